import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeOutcome, runFixtures } from '../src/analysis/fixtures.js';
import { ALL_RULES } from '../src/rules/index.js';

const rulesDir = path.resolve(__dirname, '../src/rules');

describe('rule fixtures (// want)', () => {
  for (const rule of ALL_RULES) {
    it(`${rule.meta.id}: every finding is wanted and every want is found`, async () => {
      const dir = path.join(rulesDir, rule.meta.id, 'testdata');
      const o = await runFixtures(rule.meta.id, dir);
      expect(o.expectations.length, 'fixtures must contain positives').toBeGreaterThan(0);
      expect(describeOutcome(o)).toBe('');
    });
  }
});

describe('rule registry parity', () => {
  const folders = fs.readdirSync(rulesDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  it('every rule folder is registered and every registered rule has a folder', () => {
    expect(ALL_RULES.map((r) => r.meta.id).sort()).toEqual(folders);
  });
  for (const id of folders) {
    it(`${id} has README sections, fixtures with positives and negatives`, () => {
      const readme = fs.readFileSync(path.join(rulesDir, id, 'README.md'), 'utf8');
      expect(readme, `${id}/README.md lacks a "## Why it ..." section`).toMatch(/^## Why it /m);
      for (const h of [`# ${id}`, '## Rule Details', '## Examples', '### Incorrect', '### Correct', '## How to fix', '## Options', '## When Not To Use It']) {
        expect(readme, `${id}/README.md lacks "${h}"`).toContain(h);
      }
      const td = path.join(rulesDir, id, 'testdata');
      const gos = fs.readdirSync(td, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.go'));
      expect(gos.length).toBeGreaterThan(0);
      const text = gos.map((f) => fs.readFileSync(path.join(td, f), 'utf8')).join('\n');
      const wants = text.split('\n').filter((l) => /\/\/\s*want\s/.test(l)).length;
      expect(wants, `${id}: at least 8 positives`).toBeGreaterThanOrEqual(8);
      const funcs = text.split('\n').filter((l) => /^func /.test(l)).length;
      expect(funcs - wants, `${id}: at least 8 negatives`).toBeGreaterThanOrEqual(8);
    });
  }
});
