/**
 * @fileoverview lock-order's severity split (the fixture harness checks messages, not
 * severities): both orders in code that runs any time, or in one test, stay at the rule's
 * severity; one order only in a test function, or the two in two tests, are info.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analysis/engine.js';

const dir = path.resolve(__dirname, '../src/rules/lock-order/testdata/withtests');

describe('lock-order severities', () => {
  it('info for test-only orders, warning otherwise', async () => {
    const res = await analyze([dir], { only: ['lock-order'], noConfig: true, workers: 0, lazy: false });
    const got = res.findings.map((f) => `${path.basename(f.file)}:${f.range.start.line} ${f.severity}`).sort();
    // One finding per blocking Lock: both goroutines of each inversion, with the pair's severity.
    expect(got).toEqual([
      'other.go:8 warning',
      'store.go:22 info',
      'store.go:48 warning',
      'store_test.go:12 info',
      'store_test.go:35 warning',
      'store_test.go:43 warning',
      'store_test.go:67 info',
      'store_test.go:77 info',
    ]);
  });
});
