/**
 * @fileoverview A real git repository in a temporary directory for the adoption tests
 * (baselines, `--new-from-rev`, the GitHub Action script, `leakscope init`): commits with
 * a fixed identity, isolated from the user's and the system's git configuration.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Environment that makes git ignore ~/.gitconfig and /etc/gitconfig and commit as a fixed author. */
export const GIT_ENV: Record<string, string> = {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'leakscope test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'leakscope test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

/** Runs git in `dir` and returns its trimmed stdout (throws with stderr on failure). */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** `git init` on branch main. */
export function gitInit(dir: string): void {
  git(dir, 'init', '-q', '-b', 'main');
}

/** Writes `files` (relative path → contents; null deletes), stages everything and commits. Returns the commit id. */
export function commit(dir: string, message: string, files: Record<string, string | null>): string {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, ...rel.split('/'));
    if (content === null) fs.rmSync(p, { force: true });
    else {
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, content);
    }
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}
