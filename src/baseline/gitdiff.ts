/**
 * @fileoverview `--new-from-rev` / `--new-from-merge-base`: which lines changed since a git
 * revision, and which findings touch them.
 *
 * leakscope runs git itself: `git diff --unified=0 <rev> --` compares the revision with the
 * working tree (committed, staged and unstaged changes alike, as golangci-lint's
 * `new-from-rev` does), and `git ls-files --others --exclude-standard` adds untracked files,
 * whose every line is new. Hunk headers (`@@ -a,b +c,d @@`, "Unified format" in the GNU diff
 * manual; git's diff documentation) give the added lines `c .. c+d-1` of the new file. A
 * pure deletion (`d` = 0, after line `c`) marks lines `c` and `c+1`: removing a
 * `defer cancel()` or an `Unlock()` creates a finding on a neighbouring line that did not
 * change itself. Renames are followed (`-M`), so a moved file only counts its edited lines.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Finding, Range } from '../analysis/finding.js';

/** A git problem the user must fix (not a repository, unknown revision, git missing). The CLI exits 2. */
export class GitDiffError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitDiffError';
  }
}

/** Changed lines per file (real absolute path), or `all` for a new or untracked file. */
export type ChangedLines = Map<string, Set<number> | 'all'>;

/** What to compare with: a revision, or the merge base of a branch and HEAD. */
export interface DiffBase {
  rev?: string;
  mergeBase?: string;
}

/** The id of git's empty tree object (`git hash-object -t tree /dev/null`). */
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

function git(cwd: string, args: string[]): { code: number; stdout: string; stderr: string } {
  // -c core.quotepath=off: paths with non-ASCII characters come out as they are.
  const r = spawnSync('git', ['-c', 'core.quotepath=off', ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, LC_ALL: 'C' } });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    throw new GitDiffError(code === 'ENOENT' ? 'git was not found on PATH (needed for --new-from-rev / --new-from-merge-base)' : `cannot run git: ${r.error.message}`);
  }
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** Undoes git's C-style quoting of unusual path names (`"a\tb.go"`, octal escapes for bytes). */
export function unquoteGitPath(p: string): string {
  if (!p.startsWith('"') || !p.endsWith('"')) return p;
  const bytes: number[] = [];
  const body = p.slice(1, -1);
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const n = body[i + 1] as string;
    if (/[0-7]/.test(n)) {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(simple[n] ?? n.charCodeAt(0));
      i++;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Parses `git diff --unified=0` output into changed lines of the new files, keyed by the
 * path after `+++ b/` (relative to the repository root).
 */
export function parseUnifiedDiff(diff: string): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  let current: Set<number> | undefined;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ')) {
      const p = unquoteGitPath(line.slice(4));
      if (p === '/dev/null') {
        current = undefined;
        continue;
      }
      const rel = p.startsWith('b/') ? p.slice(2) : p.startsWith('"b/') ? p.slice(3) : p;
      current = out.get(rel) ?? new Set<number>();
      out.set(rel, current);
      continue;
    }
    const m = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (m && current) {
      const start = Number(m[1]);
      const count = m[2] === undefined ? 1 : Number(m[2]);
      if (count === 0) {
        current.add(start);
        current.add(start + 1);
      } else for (let i = 0; i < count; i++) current.add(start + i);
    }
  }
  return out;
}

function realpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/**
 * The lines changed in the working tree since `base` (see the file overview), for the
 * repository containing `cwd`. Throws {@link GitDiffError} outside a repository, for an
 * unknown revision or branch, or when git is missing.
 */
export function changedLinesSince(cwd: string, base: DiffBase): { rev: string; changed: ChangedLines } {
  const flag = base.mergeBase !== undefined ? '--new-from-merge-base' : '--new-from-rev';
  const given = (base.mergeBase ?? base.rev ?? '').trim();
  if (given === '') throw new GitDiffError(`${flag} needs a revision`);
  if (given.startsWith('-')) throw new GitDiffError(`${flag}: "${given}" is not a revision`);
  const top = git(cwd, ['rev-parse', '--show-toplevel']);
  if (top.code !== 0) throw new GitDiffError(`${flag} needs a git repository, and ${cwd} is not inside one`);
  const root = realpath(top.stdout.trim());
  let rev = given;
  if (base.mergeBase !== undefined) {
    if (git(root, ['rev-parse', '--verify', '--quiet', `${given}^{commit}`]).code !== 0) {
      throw new GitDiffError(`${flag}: unknown branch or revision "${given}" in ${root}`);
    }
    const mb = git(root, ['merge-base', given, 'HEAD']);
    if (mb.code !== 0) throw new GitDiffError(`${flag}: "${given}" and HEAD have no common ancestor in ${root}`);
    rev = mb.stdout.trim();
  }
  const v = git(root, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
  let commit = v.stdout.trim();
  if (v.code !== 0) {
    // Before the first commit there is no HEAD (a pre-commit hook on a new repository):
    // compare with the empty tree, so every line is new.
    if (rev === 'HEAD' && git(root, ['rev-list', '-n', '1', '--all']).stdout.trim() === '') commit = EMPTY_TREE;
    else throw new GitDiffError(`${flag}: unknown revision "${given}" in ${root}`);
  }
  const d = git(root, ['diff', '--no-color', '--no-ext-diff', '--unified=0', '-M', commit, '--']);
  if (d.code !== 0) throw new GitDiffError(`git diff ${given} failed: ${d.stderr.trim()}`);
  const changed: ChangedLines = new Map();
  for (const [rel, lines] of parseUnifiedDiff(d.stdout)) changed.set(path.join(root, rel), lines);
  const untracked = git(root, ['ls-files', '--others', '--exclude-standard', '-z']);
  if (untracked.code === 0) for (const rel of untracked.stdout.split('\0')) if (rel) changed.set(path.join(root, rel), 'all');
  return { rev: commit, changed };
}

function touches(changed: ChangedLines, file: string, r: Range, resolve: (f: string) => string): boolean {
  const lines = changed.get(resolve(file));
  if (!lines) return false;
  if (lines === 'all') return true;
  for (let l = r.start.line; l <= Math.max(r.start.line, r.end.line); l++) if (lines.has(l)) return true;
  return false;
}

/**
 * Keeps the findings whose primary location or one of whose related locations (the
 * trace: the return that keeps a lock, the goroutine's start) touches a changed line.
 * Relative finding paths are resolved against `cwd`.
 */
export function filterToChanged(findings: readonly Finding[], changed: ChangedLines, cwd: string): Finding[] {
  const cache = new Map<string, string>();
  const resolve = (f: string): string => {
    let r = cache.get(f);
    if (r === undefined) cache.set(f, (r = realpath(path.resolve(cwd, f))));
    return r;
  };
  return findings.filter((f) => touches(changed, f.file, f.range, resolve) || (f.related ?? []).some((r) => touches(changed, r.file, r.range, resolve)));
}
