/**
 * @fileoverview Differential test of the Go parser against go/parser (issue 12,
 * "Correctness, proven"): for every non-testdata `.go` file of `$(go env GOROOT)/src`,
 * test/goparse (go/parser) and test/go/canonical.ts (our parser) must print the same
 * canonical listing of the syntax tree and comments. One Go process hashes every file;
 * the listings themselves are only printed for files that differ, to show where.
 *
 * Real modules from the module proxy are checked the same way by
 * `node dist/bench/parser-modules.js` (they need the network, so not in `npm test`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalListing, listingHash } from './canonical.js';
import { requireGo } from '../support/go.js';
import { buildGoparse, goEnv, goFilesUnder, runGoparse } from './goparse.js';

const hasGo = requireGo('the differential parser test');

describe.skipIf(!hasGo)('differential: our parser and go/parser agree on every file of GOROOT/src', () => {
  it('same canonical listing for each non-testdata .go file', () => {
    const goroot = goEnv('GOROOT');
    const files = goFilesUnder(path.join(goroot, 'src'));
    expect(files.length).toBeGreaterThan(5000);
    const bin = buildGoparse();
    const ref = new Map<string, string>();
    for (const line of runGoparse(bin, 'hash', files.join('\n') + '\n').split('\n')) {
      if (!line) continue;
      const [file, hash, lines] = line.split('\t');
      ref.set(file as string, `${hash} ${lines}`);
    }
    expect(ref.size).toBe(files.length);
    const differ: string[] = [];
    let compared = 0;
    for (const f of files) {
      const expected = ref.get(f) as string;
      // go/parser rejects a few files on purpose (none in GOROOT/src outside testdata today).
      if (expected.startsWith('ERROR')) continue;
      const { hash, lines } = listingHash(canonicalListing(fs.readFileSync(f, 'utf8')));
      compared++;
      if (`${hash} ${lines}` !== expected) differ.push(f);
    }
    const details = differ.slice(0, 3).map((f) => firstDifference(bin, f));
    expect({ differ: differ.length, first: differ.slice(0, 20), details }).toEqual({ differ: 0, first: [], details: [] });
    expect(compared).toBe(files.length);
  });
});

/** The first line where the listings of a file differ, with context. */
export function firstDifference(bin: string, file: string): string {
  const want = runGoparse(bin, 'dump', '', [file]).split('\n');
  const got = canonicalListing(fs.readFileSync(file, 'utf8')).split('\n');
  for (let i = 0; i < Math.max(want.length, got.length); i++) {
    if (want[i] !== got[i]) return `${file}: line ${i + 1}: go/parser "${want[i]}" ours "${got[i]}" (after "${want[i - 1]}")`;
  }
  return `${file}: same listing`;
}
