/**
 * @fileoverview Differential test of the Go parser against go/parser (issue 12,
 * "Correctness, proven"): for every non-testdata `.go` file of `$(go env GOROOT)/src`
 * (vendor included), test/goparse (go/parser) and bench/parser/canonical.ts (our parser)
 * must print the same canonical listing of the syntax tree and comments. One Go process
 * hashes every file; listings are only printed in full for files that differ.
 *
 * Real modules from the module proxy are compared the same way by
 * `npm run parser:modules` (CI runs it; it downloads, so it is not part of `npm test`).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareWithGoParser, goEnv, goFilesUnder } from '../../bench/parser/goparse.js';
import { requireGo } from '../support/go.js';

const hasGo = requireGo('the differential parser test');

describe.skipIf(!hasGo)('differential: our parser and go/parser agree on every file of GOROOT/src', () => {
  it('same canonical listing for each non-testdata .go file', () => {
    const files = goFilesUnder(path.join(goEnv('GOROOT'), 'src'));
    expect(files.length).toBeGreaterThan(5000);
    const r = compareWithGoParser(files);
    expect({ differ: r.differ.length, first: r.differ.slice(0, 20), details: r.details }).toEqual({ differ: 0, first: [], details: [] });
    // go/parser accepts every file of GOROOT/src outside testdata: all are compared.
    expect(r.rejected).toEqual([]);
    expect(r.compared).toBe(files.length);
    console.log(`differential: ${r.compared} files of ${path.join(goEnv('GOROOT'), 'src')} give go/parser's listing`);
    // Parsing 5,500 files twice (Go and us) and diffing takes about a minute on a quiet 2-core
    // machine but over four at a load average above 20: a generous limit, not a speed check.
  }, 600_000);
});
