/**
 * @fileoverview lost-cancel's severity split (the fixture harness checks messages, not
 * severities): a WithCancel whose parent is never done and whose context nothing used on
 * the path that misses the cancel is info; WithTimeout, a context handed to a goroutine,
 * and a parent that may be cancelled stay warnings.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analysis/engine.js';

const dir = path.resolve(__dirname, '../src/rules/lost-cancel/testdata');

describe('lost-cancel severities', () => {
  it('info for a never-done parent with an unused context, warning otherwise', async () => {
    const res = await analyze([dir], { only: ['lost-cancel'], noConfig: true, workers: 0, lazy: false });
    const got = res.findings
      .filter((f) => path.basename(f.file) === 'neverdone.go')
      .map((f) => `${f.range.start.line} ${f.severity}`)
      .sort();
    expect(got).toEqual(['33 info', '43 info', '52 warning', '63 warning', '78 warning']);
  });
});
