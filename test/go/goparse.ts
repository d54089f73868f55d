/**
 * @fileoverview Running test/goparse (the go/parser side of the differential parser
 * tests): building it once per run, feeding it file lists, and listing Go files the way
 * the differential tests pick them.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SOURCE = path.resolve(import.meta.dirname, '..', 'goparse', 'main.go');
let built: string | undefined;

/** `go env NAME`. */
export function goEnv(name: string): string {
  return execFileSync('go', ['env', name], { encoding: 'utf8' }).trim();
}

/** Builds test/goparse into a temporary directory (once per process) and returns the binary. */
export function buildGoparse(): string {
  if (built && fs.existsSync(built)) return built;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakscope-goparse-'));
  const bin = path.join(dir, 'goparse');
  // GOFLAGS=-mod=mod would need a module; the program uses the standard library only.
  execFileSync('go', ['build', '-o', bin, SOURCE], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, GO111MODULE: 'off' } });
  built = bin;
  return bin;
}

/** Runs `goparse <mode> [args]` with `input` on stdin and returns its output. */
export function runGoparse(bin: string, mode: 'hash' | 'dump' | 'errors', input: string, args: string[] = []): string {
  return execFileSync(bin, [mode, ...args], { input, encoding: 'utf8', maxBuffer: 1 << 30 });
}

/** Every `.go` file under `root`, testdata directories excluded (vendor included), sorted. */
export function goFilesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'testdata') walk(p);
      } else if (e.isFile() && e.name.endsWith('.go')) out.push(p);
    }
  };
  walk(root);
  return out.sort();
}
