/**
 * @fileoverview What the collector stores of a goroutine profile: one row per group, with the
 * pprof labels its members share (Go 1.26 `tracebacklabels` dumps and debug=0 protobufs).
 */
import { describe, expect, it } from 'vitest';
import { readProfile, type GoroutineProfile } from '../../src/profiles/index.js';
import { goroutineRows } from '../../src/monitor/process.js';
import { fixture } from '../profiles/helpers.js';

describe('goroutineRows', () => {
  for (const name of ['debug2-leaky.txt', 'debug0-leaky.pb.gz']) {
    it(`keeps the labels every member of a group carries (${name})`, () => {
      const rows = goroutineRows(readProfile(fixture(name), name) as GoroutineProfile);
      const labelled = rows.filter((r) => r.labels);
      expect(labelled.length).toBeGreaterThan(0);
      for (const r of labelled) expect(r.labels).toEqual({ role: 'worker' });
      // Groups whose goroutines carry no labels store none.
      expect(rows.filter((r) => !r.labels).length).toBeGreaterThan(0);
      expect(rows.every((r) => r.labels === undefined || Object.keys(r.labels).length > 0)).toBe(true);
    });
  }
});
