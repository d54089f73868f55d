/**
 * @fileoverview Shared by the `leakscope test` end-to-end tests: running the command on a
 * testdata module through `execute`, and a snapshot of a tree that proves nothing was
 * written to it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execute, type CliIO } from '../../src/cli/main.js';

/** Output of one `leakscope test` run. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `leakscope test <args>` in `cwd` (GOFLAGS=-mod=mod, then `env`). */
export async function runTestCommand(cwd: string, args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    isTTY: false,
    env: { GOFLAGS: '-mod=mod', ...env },
    cwd,
  };
  const code = await execute(['test', ...args], io);
  return { code, stdout, stderr };
}

/** Content and mtime of every file under a directory (to prove nothing was written). */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const p = path.join(e.parentPath, e.name);
    out.set(p, `${fs.statSync(p).mtimeMs} ${fs.readFileSync(p, 'utf8')}`);
  }
  return out;
}
