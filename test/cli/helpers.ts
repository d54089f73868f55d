/**
 * @fileoverview Shared helpers for the end-to-end CLI tests: an in-process runner with a
 * capturing `CliIO`, temporary Go trees, directory snapshots and small Go sources whose
 * findings (rule and line) are known.
 *
 * `execute` resolves target paths against `process.cwd()` (see check.test.ts), so the
 * tests pass absolute paths and set `io.cwd` to the temporary tree, which makes report
 * paths relative to it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execute } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/main.js';

/** Repository root (two levels above this file). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** What one CLI run produced. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** `io.cwd` (default: the repository root). */
  cwd?: string;
  isTTY?: boolean;
  /** `io.env` (default: empty, so the caller's NO_COLOR/FORCE_COLOR cannot leak in). */
  env?: Record<string, string | undefined>;
}

/** Runs `execute(argv)` in-process with a capturing io. */
export async function run(argv: string[], opts: RunOptions = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    isTTY: opts.isTTY ?? false,
    env: opts.env ?? {},
    cwd: opts.cwd ?? REPO_ROOT,
  };
  const code = await execute(argv, io);
  return { code, stdout, stderr };
}

/** Runs `leakscope check <args...>` with `io.cwd` set to `dir`. */
export function check(dir: string, args: string[], opts: Omit<RunOptions, 'cwd'> = {}): Promise<RunResult> {
  return run(['check', ...args], { ...opts, cwd: dir });
}

const created: string[] = [];

/**
 * Creates a temporary directory holding `files` (relative path → contents) and returns
 * its real path (macOS /var → /private/var). Removed by {@link removeTempDirs}.
 */
export function tempTree(files: Record<string, string | Uint8Array> = {}): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ls-')));
  created.push(dir);
  writeTree(dir, files);
  return dir;
}

/** Writes `files` under `dir`, creating parent directories. */
export function writeTree(dir: string, files: Record<string, string | Uint8Array>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, ...rel.split('/'));
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
}

/** Removes every directory made by {@link tempTree} (restoring permissions first). */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) {
    const restore = (p: string): void => {
      let st: fs.Stats;
      try {
        st = fs.lstatSync(p);
      } catch {
        return;
      }
      if (st.isSymbolicLink()) return;
      try {
        fs.chmodSync(p, st.isDirectory() ? 0o755 : 0o644);
      } catch {
        // best effort
      }
      if (st.isDirectory()) for (const e of fs.readdirSync(p)) restore(path.join(p, e));
    };
    restore(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `path`, `type`, `size`, `mtimeMs` and `mode` of every entry below `dir` (symlinks not followed). */
export function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      const st = fs.lstatSync(p);
      const type = st.isSymbolicLink() ? `link->${fs.readlinkSync(p)}` : st.isDirectory() ? 'dir' : 'file';
      out.push(`${path.relative(dir, p)} ${type} ${st.isDirectory() ? '' : st.size} ${st.mtimeMs} ${(st.mode & 0o7777).toString(8)}`);
      if (st.isDirectory() && !st.isSymbolicLink()) walk(p);
    }
  };
  walk(dir);
  return out;
}

/** A JSON finding, as `--format json` prints it. */
export interface JsonFinding {
  ruleId: string;
  severity: string;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fixHint?: string;
  fix?: unknown;
  related?: Array<{ file: string; line: number; message: string }>;
}

/** The JSON report. */
export interface JsonReport {
  version: string;
  findings: JsonFinding[];
  summary: { errors: number; warnings: number; infos: number; files?: number; packages?: number };
  notices: string[];
}

/** Runs `check --format json` and parses stdout. */
export async function checkJson(dir: string, args: string[]): Promise<RunResult & { report: JsonReport }> {
  const r = await check(dir, ['--format', 'json', ...args]);
  let report: JsonReport;
  try {
    report = JSON.parse(r.stdout) as JsonReport;
  } catch (e) {
    throw new Error(`stdout is not JSON (exit ${r.code}): ${(e as Error).message}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
  return { ...r, report };
}

/** `file:line ruleId` for each finding, for compact assertions. */
export function where(report: JsonReport): string[] {
  return report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`);
}

/** True when `s` looks like it contains a JavaScript stack trace. */
export function hasStackTrace(s: string): boolean {
  return /^\s+at .+(:\d+:\d+\)?|\(native\))$/m.test(s) || /\b(Error|TypeError|RangeError):.*\n\s+at /.test(s) || s.includes('internal error');
}

const ESC = String.fromCharCode(27);

/** An ANSI escape sequence (SGR, as picocolors emits). */
export const ANSI = new RegExp(`${ESC}\\[[0-9;]*m`);

/** `s` without ANSI SGR sequences. */
export function stripAnsi(s: string): string {
  return s.replace(new RegExp(ANSI.source, 'g'), '');
}

// ---------------------------------------------------------------------------------------
// Go sources with known findings. Line numbers are asserted by the tests.

/**
 * lost-cancel at line 6 (column 7): the `return nil` at line 8 skips `defer cancel()`. The
 * parent is the caller's (a WithCancel of Background whose context is unused on that path is info).
 */
export const LOST_CANCEL = `package app

import "context"

func Run(parent context.Context, x bool) error {
	ctx, cancel := context.WithCancel(parent)
	if x {
		return nil
	}
	defer cancel()
	return use(ctx)
}

func use(ctx context.Context) error { return ctx.Err() }
`;

/** lost-cancel at line 8: the cancel func of WithTimeout is assigned to `_`. */
export const DISCARDED_CANCEL = `package app

import (
	"context"
	"time"
)

func Poll() error {
	ctx, _ := context.WithTimeout(context.Background(), time.Second)
	return ctx.Err()
}
`;
/** Line of the finding in {@link DISCARDED_CANCEL}. */
export const DISCARDED_CANCEL_LINE = 9;

/** abandoned-sender at line 8: the send on `ch` after the timeout case wins. */
export const ABANDONED_SENDER = `package app

import "time"

func Fetch() int {
	ch := make(chan int)
	go func() {
		ch <- compute()
	}()
	select {
	case v := <-ch:
		return v
	case <-time.After(time.Second):
		return 0
	}
}

func compute() int { return 42 }
`;

/** waitgroup-add-in-goroutine at line 9. */
export const WG_ADD = `package app

import "sync"

func All(n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		go func() {
			wg.Add(1)
			defer wg.Done()
		}()
	}
	wg.Wait()
}
`;

/** The corrected shapes of all three patterns: no findings. */
export const CLEAN = `package app

import (
	"context"
	"sync"
	"time"
)

func Run(x bool) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if x {
		return nil
	}
	return ctx.Err()
}

func Fetch() int {
	ch := make(chan int, 1)
	go func() {
		ch <- 42
	}()
	select {
	case v := <-ch:
		return v
	case <-time.After(time.Second):
		return 0
	}
}

func All(n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
		}()
	}
	wg.Wait()
}
`;

/** A go.mod for generated trees. */
export const GO_MOD = 'module example.com/app\n\ngo 1.22\n';
