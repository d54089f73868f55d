/**
 * The editor server under random edit scripts on real Go files (fixed seeds, so a failure
 * replays): the standard library's context, os/exec and sync.WaitGroup sources and the
 * bundled leaking examples, each edited with random insertions, deletions and
 * replacements of Go fragments, brackets, quotes, comments and non-ASCII text, sent as
 * incremental changes, sometimes faster than the debounce.
 *
 * Checked: the server never crashes or logs an error; every publishDiagnostics names a
 * version the client sent, versions never go back, and every range lies inside the text
 * of the version it names; and the last diagnostics equal a fresh `analyze` of the final
 * text written to disk (syntax findings aside, which the server leaves to gopls).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/engine.js';
import { REPO_ROOT, removeTempDirs, tempTree } from '../cli/helpers.js';
import { goVersion } from '../support/go.js';
import { rng } from '../profiles/helpers.js';
import { LspClient } from './client.js';

const FRAGMENTS = [
  'go func() {\n\tch <- 1\n}()\n',
  'ctx, cancel := context.WithCancel(ctx)\n',
  'defer cancel()\n',
  'select {\ncase <-ch:\ncase <-time.After(time.Second):\n}\n',
  'for v := range ch {\n_ = v\n}\n',
  'mu.Lock()\n',
  'var wg sync.WaitGroup\nwg.Add(1)\n',
  '}',
  '{',
  ')',
  '(',
  '"',
  '`',
  '/*',
  '*/',
  '//leakscope:ignore lost-cancel because\n',
  'func (',
  'package x\n',
  'é€😀',
  '\n',
  '\t',
  '\u0000',
];

interface Subject {
  name: string;
  text: string;
}

function subjects(): Subject[] {
  const out: Subject[] = [];
  const root = goVersion() ? execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim() : '';
  for (const rel of ['src/context/context.go', 'src/os/exec/exec.go', 'src/sync/waitgroup.go']) {
    const p = path.join(root, rel);
    if (root && fs.existsSync(p)) out.push({ name: rel, text: fs.readFileSync(p, 'utf8') });
  }
  for (const ex of ['lostcancel', 'abandonedsender', 'doublelock']) {
    out.push({ name: `examples/${ex}/main.go`, text: fs.readFileSync(path.join(REPO_ROOT, 'examples', ex, 'main.go'), 'utf8') });
  }
  return out;
}

/** An offset not inside a surrogate pair. */
function offsetIn(text: string, r: number): number {
  let o = Math.floor(r * (text.length + 1));
  const c = text.charCodeAt(o);
  if (o > 0 && o < text.length && c >= 0xdc00 && c <= 0xdfff) o--;
  return o;
}

/** The LSP position (UTF-16 line and character) of an offset. */
function positionAt(text: string, offset: number): { line: number; character: number } {
  const lines = text.slice(0, offset).split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1]!.length };
}

const key = (d: { code?: string | number; range: { start: { line: number; character: number }; end: { line: number; character: number } } }): string =>
  `${d.code} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;

let client: LspClient;
beforeAll(async () => {
  client = new LspClient(15);
  await client.initialize(tempTree());
});
afterAll(async () => {
  expect(await client.stop()).toBe(0);
  removeTempDirs();
});

describe('leakscope lsp under random edit scripts', () => {
  const list = subjects();
  it.each(list.map((s, i) => [s.name, i] as const))('%s', async (name, i) => {
    const subject = list[i]!;
    const random = rng(0x5eed + i * 7919);
    const dir = tempTree({ 'go.mod': 'module example.com/fuzz\n\ngo 1.22\n', [`p/${path.basename(name)}`]: subject.text });
    const file = path.join(dir, 'p', path.basename(name));
    const uri = await client.open(file, subject.text);
    await client.diagnostics(uri, 1);
    for (let step = 0; step < 30; step++) {
      const doc = client.docs.get(uri)!;
      const edits = [];
      const n = 1 + Math.floor(random() * 3);
      let text = doc.getText();
      for (let e = 0; e < n; e++) {
        const a = offsetIn(text, random());
        const kind = random();
        const frag = FRAGMENTS[Math.floor(random() * FRAGMENTS.length)]!;
        let b = a;
        if (kind < 0.35) b = Math.min(text.length, offsetIn(text, Math.min(1, a / (text.length + 1) + random() * 0.02)));
        const ins = kind < 0.2 ? '' : frag;
        // Positions of each edit refer to the text after the previous ones (LSP semantics).
        const lo = Math.min(a, b);
        const hi = Math.max(a, b);
        edits.push({ range: { start: positionAt(text, lo), end: positionAt(text, hi) }, text: ins });
        text = text.slice(0, lo) + ins + text.slice(hi);
      }
      const v = await client.change(uri, edits);
      expect(client.docs.get(uri)!.getText()).toBe(text);
      if (random() < 0.3) await client.diagnostics(uri, v);
    }
    const final = client.docs.get(uri)!;
    const got = await client.diagnostics(uri, final.version);

    // Every notification: a version we sent, never going back, ranges inside that text.
    let prev = 0;
    for (const p of client.published.filter((x) => x.uri === uri)) {
      const text = client.sent.get(uri)!.get(p.version!);
      expect(text, `version ${p.version}`).toBeDefined();
      expect(p.version!).toBeGreaterThanOrEqual(prev);
      prev = p.version!;
      const lines = text!.split('\n');
      for (const d of p.diagnostics) {
        for (const pos of [d.range.start, d.range.end]) {
          expect(pos.line).toBeLessThan(lines.length);
          expect(pos.character).toBeLessThanOrEqual(lines[pos.line]!.replace(/\r$/, '').length + 1);
        }
      }
    }

    // The final diagnostics are what a fresh analysis of the final text reports.
    const oracleDir = tempTree({ 'go.mod': 'module example.com/fuzz\n\ngo 1.22\n', [`p/${path.basename(name)}`]: final.getText() });
    const expected = (await analyze([path.join(oracleDir, 'p')], { cwd: oracleDir, workers: 0 })).findings
      .filter((f) => f.ruleId !== 'syntax')
      .map((f) => key({ code: f.ruleId, range: { start: { line: f.range.start.line - 1, character: f.range.start.column - 1 }, end: { line: f.range.end.line - 1, character: f.range.end.column - 1 } } }));
    expect(got.map(key).sort()).toEqual(expected.sort());
    if (process.env.LEAKSCOPE_FUZZ_VERBOSE) console.log(name, 'notifications', client.published.filter((x) => x.uri === uri).length, 'diagnostics', client.published.filter((x) => x.uri === uri).reduce((n, p) => n + p.diagnostics.length, 0), 'final', got.length);
    await client.close(uri);
    expect(client.stderr).toBe('');
    expect(client.messages).toEqual([]);
  });
});
