/**
 * @fileoverview Running test/goparse (the go/parser side of the differential parser
 * tests): building it once per process, feeding it file lists, listing Go files the way
 * the differential tests pick them, and comparing its listings with ours.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { canonicalListing, listingHash } from './canonical.js';

/** The repository root (this file runs from bench/parser or dist/bench/parser). */
function repoRoot(): string {
  let d = import.meta.dirname;
  while (!fs.existsSync(path.join(d, 'package.json'))) {
    const up = path.dirname(d);
    if (up === d) throw new Error('repository root not found');
    d = up;
  }
  return d;
}

let built: string | undefined;

/** `go env NAME`. */
export function goEnv(name: string): string {
  return execFileSync('go', ['env', name], { encoding: 'utf8' }).trim();
}

/**
 * Builds test/goparse and returns the binary: one per source text and Go version, kept in
 * the temporary directory, so test runs and workers share it instead of each building one.
 */
export function buildGoparse(): string {
  if (built && fs.existsSync(built)) return built;
  const source = path.join(repoRoot(), 'test', 'goparse', 'main.go');
  const key = createHash('sha256').update(fs.readFileSync(source)).update(goEnv('GOVERSION')).digest('hex').slice(0, 16);
  const bin = path.join(os.tmpdir(), `leakscope-goparse-${key}`, 'goparse');
  if (!fs.existsSync(bin)) {
    fs.mkdirSync(path.dirname(bin), { recursive: true });
    // Built under a temporary name and renamed, so a concurrent run never sees half a binary.
    const tmp = `${bin}.${process.pid}`;
    // The program uses the standard library only: no module needed.
    execFileSync('go', ['build', '-o', tmp, source], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, GO111MODULE: 'off' } });
    fs.renameSync(tmp, bin);
  }
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

/** What `compareWithGoParser` found. */
export interface Comparison {
  /** Files both parsers accepted and listed. */
  compared: number;
  /** Files go/parser rejects (they are not compared). */
  rejected: string[];
  /** Files whose listings differ. */
  differ: string[];
  /** The first differing line of the first few, for messages. */
  details: string[];
}

/**
 * Compares go/parser's canonical listing of each file (hashed, one Go process for all)
 * with ours. Files go/parser rejects are set aside: the comparison is about trees.
 */
export function compareWithGoParser(files: string[]): Comparison {
  const bin = buildGoparse();
  const ref = new Map<string, string>();
  for (const line of runGoparse(bin, 'hash', files.join('\n') + '\n').split('\n')) {
    if (!line) continue;
    const [file, hash, lines] = line.split('\t');
    ref.set(file as string, `${hash} ${lines}`);
  }
  const out: Comparison = { compared: 0, rejected: [], differ: [], details: [] };
  for (const f of files) {
    const expected = ref.get(f);
    if (expected === undefined) throw new Error(`goparse printed nothing for ${f}`);
    if (expected.startsWith('ERROR')) {
      out.rejected.push(f);
      continue;
    }
    const { hash, lines } = listingHash(canonicalListing(fs.readFileSync(f, 'utf8')));
    out.compared++;
    if (`${hash} ${lines}` !== expected) out.differ.push(f);
  }
  out.details = out.differ.slice(0, 3).map((f) => firstDifference(bin, f));
  return out;
}

/** The first line where the listings of a file differ, with context. */
export function firstDifference(bin: string, file: string): string {
  const want = runGoparse(bin, 'dump', '', [file]).split('\n');
  const got = canonicalListing(fs.readFileSync(file, 'utf8')).split('\n');
  for (let i = 0; i < Math.max(want.length, got.length); i++) {
    if (want[i] !== got[i]) return `${file}: line ${i + 1}: go/parser "${want[i]}" ours "${got[i]}" (after "${want[i - 1]}")`;
  }
  return `${file}: same listing`;
}
