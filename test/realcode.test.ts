/**
 * @fileoverview The real-code triage file readers of `npm run realcode` (bench/realcode.ts):
 * the committed modules list and triage table must parse, and every row must be well formed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readModules, readTriage } from '../bench/realcode.js';

const ROOT = path.resolve(import.meta.dirname, '..');

describe('realcode corpus files', () => {
  it('modules.txt pins at least 8 modules with go.sum hashes and none of the held-out projects', () => {
    const mods = readModules(fs.readFileSync(path.join(ROOT, 'bench/realcode/modules.txt'), 'utf8'));
    expect(mods.length).toBeGreaterThanOrEqual(8);
    for (const m of mods) {
      expect(m.version).toMatch(/^v\d+\.\d+\.\d+/);
      expect(m.sum).toMatch(/^h1:[A-Za-z0-9+/]{43}=$/);
      expect(m.path).not.toMatch(/etcd|prometheus|moby|docker\/docker|kubernetes|k8s\.io/);
    }
  });

  it('readTriage reads verdict rows, tells the info sample apart, and ignores other tables', () => {
    const md = [
      '## Warning and error findings',
      '| verdict | rule | location | reason |',
      '|---|---|---|---|',
      '| TP | abandoned-sender | `a.com/m@v1.0.0/x.go:12` | the receiver returns first |',
      '| ? | double-lock | a.com/m@v1.0.0/y.go:3 | |',
      '| rule | TP | FP |',
      '## A sample of info findings',
      '| FP | time-after-in-loop | `a.com/m@v1.0.0/z.go:9` | go 1.23 |',
    ].join('\n');
    const t = readTriage(md);
    expect(t.rows.map((r) => [r.verdict, r.rule, r.location, r.reason])).toEqual([
      ['TP', 'abandoned-sender', 'a.com/m@v1.0.0/x.go:12', 'the receiver returns first'],
      ['?', 'double-lock', 'a.com/m@v1.0.0/y.go:3', ''],
    ]);
    expect(t.info.map((r) => r.location)).toEqual(['a.com/m@v1.0.0/z.go:9']);
  });

  it('the committed triage has no duplicate rows and every triaged row gives a reason', () => {
    const t = readTriage(fs.readFileSync(path.join(ROOT, 'bench/triage/realcode.md'), 'utf8'));
    const keys = t.rows.map((r) => `${r.rule} ${r.location}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of [...t.rows, ...t.info]) if (r.verdict !== '?') expect(r.reason, `realcode.md:${r.mdLine}`).not.toBe('');
  });
});
