import path from 'node:path';
import { expect, it } from 'vitest';
import { describeOutcome, runFixtures } from '../src/analysis/fixtures.js';
const ids = (process.env.FX_RULES ?? '').split(',');
for (const id of ids) it(id, async () => {
  const o = await runFixtures(id, path.resolve(__dirname, '../src/rules', id, 'testdata'));
  expect(describeOutcome(o)).toBe('');
});
