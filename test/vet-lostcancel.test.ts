/**
 * Compares lost-cancel with go vet's lostcancel on the rule's fixtures: both must report
 * the same definition lines, except lines marked `// leakscope-vs-vet: differs: <why>`
 * (vet's secondary "this return statement" diagnostics, and cases where vet guesses).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analysis/engine.js';
import { requireGo } from './support/go.js';

const fixtures = path.resolve(__dirname, '../src/rules/lost-cancel/testdata');

describe.skipIf(!requireGo('the go vet lostcancel comparison'))('lost-cancel vs go vet -lostcancel', () => {
  it('reports the same lines as vet on the fixtures where both apply', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ls-vet-'));
    try {
      const differs = new Set<string>();
      for (const f of fs.readdirSync(fixtures).filter((x) => x.endsWith('.go'))) {
        const text = fs.readFileSync(path.join(fixtures, f), 'utf8');
        fs.writeFileSync(path.join(dir, f), text);
        text.split('\n').forEach((l, i) => {
          if (l.includes('leakscope-vs-vet: differs')) differs.add(`${f}:${i + 1}`);
        });
      }
      fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/a\n\ngo 1.22\n');
      let out = '';
      try {
        execFileSync('go', ['vet', '-lostcancel', './...'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GOFLAGS: '-mod=mod' } });
      } catch (e) {
        out = String((e as { stderr?: string }).stderr ?? '');
      }
      const vet = new Set<string>();
      for (const line of out.split('\n')) {
        const m = /^(?:\.\/)?([\w.]+\.go):(\d+):\d+: (.*)$/.exec(line.trim());
        if (!m) continue;
        const key = `${m[1]}:${m[2]}`;
        if (!differs.has(key)) vet.add(key);
      }
      const res = await analyze([fixtures], { only: ['lost-cancel'], noConfig: true, workers: 0 });
      const ours = new Set(res.findings.map((f) => `${path.basename(f.file)}:${f.range.start.line}`).filter((k) => !differs.has(k)));
      expect(vet.size, `go vet printed nothing we could parse:\n${out}`).toBeGreaterThan(10);
      expect([...ours].sort()).toEqual([...vet].sort());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
