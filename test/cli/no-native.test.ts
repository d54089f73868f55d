/**
 * @fileoverview What the analysis commands load (issue 12: `check`, the profile readers and
 * `test` load no native code; the monitor's stack is loaded by `monitor` and `user` only).
 *
 * Each case runs the built CLI (bin/leakscope.js) in a child process with a preload that
 * records every native addon the process opens (`process.dlopen`, which Node's loader
 * calls for each `.node` file) and every package under node_modules that CommonJS loads
 * (the server stack is CommonJS), then asserts on what was recorded.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers.js';

const BIN = path.join(REPO_ROOT, 'bin', 'leakscope.js');

/** Packages of the monitor and editor stacks that an analysis command has no use for. */
const SERVER_STACK = ['fastify', 'pino', 'better-sqlite3', '@node-rs/argon2', 'prom-client', 'vscode-languageserver'];

let dir = '';
let preload = '';

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakscope-native-'));
  preload = path.join(dir, 'record.cjs');
  fs.writeFileSync(
    preload,
    `const Module = require('node:module');
const fs = require('node:fs');
const out = process.env.LEAKSCOPE_LOAD_RECORD;
const addons = [];
const packages = new Set();
const dlopen = process.dlopen;
process.dlopen = function (m, file, ...rest) { addons.push(String(file)); return dlopen.call(this, m, file, ...rest); };
const load = Module._load;
Module._load = function (request, parent, isMain) {
  const r = load.apply(this, arguments);
  try {
    const f = Module._resolveFilename(request, parent, isMain);
    const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(f);
    if (m) packages.add(m[1]);
  } catch {}
  return r;
};
process.on('exit', () => fs.writeFileSync(out, JSON.stringify({ addons, packages: [...packages] })));
`,
  );
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI with `args` and returns what it loaded. */
function loaded(name: string, args: string[]): { code: number | null; addons: string[]; packages: string[] } {
  const record = path.join(dir, `${name}.json`);
  const r = spawnSync(process.execPath, ['--require', preload, BIN, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, LEAKSCOPE_LOAD_RECORD: record, NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (!fs.existsSync(record)) throw new Error(`leakscope ${args.join(' ')} wrote no record (exit ${r.status}): ${r.stderr}`);
  const rec = JSON.parse(fs.readFileSync(record, 'utf8')) as { addons: string[]; packages: string[] };
  return { code: r.status, ...rec };
}

describe('commands load only what they use', () => {
  it('check loads no native code and none of the server stack', () => {
    const r = loaded('check', ['check', '--no-config', 'examples']);
    expect(r.code).toBe(1); // the examples leak
    expect(r.addons).toEqual([]);
    expect(r.packages.filter((p) => SERVER_STACK.includes(p))).toEqual([]);
    expect(r.packages).toContain('commander'); // the record itself works
  });

  it('a profile reader loads no native code and none of the server stack', () => {
    const r = loaded('goroutines', ['goroutines', path.join('src', 'profiles', 'testdata', 'debug2-leaky.txt')]);
    expect(r.code === 0 || r.code === 1).toBe(true);
    expect(r.addons).toEqual([]);
    expect(r.packages.filter((p) => SERVER_STACK.includes(p))).toEqual([]);
  });

  it('a store command still loads the monitor layer when it runs', () => {
    // A query on a data directory that holds no store: the command loads the store layer to
    // open it, then fails (exit 2) with a message naming the directory.
    const r = loaded('query', ['query', '--data-dir', path.join(dir, 'none'), 'SELECT 1']);
    expect(r.code).toBe(2);
    expect(r.packages).toContain('better-sqlite3');
  });
});
