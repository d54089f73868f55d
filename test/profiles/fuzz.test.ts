/**
 * Mutation fuzzing of the readers with a fixed seed: byte flips, truncation,
 * line shuffles, deletions, duplications and junk insertion applied to real
 * dumps and protobufs. Every outcome must be a profile (possibly partial) or
 * one of the two documented errors naming the source; results must stay
 * bounded by the input (no runaway output) and be fully materialisable.
 */
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isProfileError, readProfile, type AnyProfile } from '../../src/profiles/index.js';
import { fixture, rng } from './helpers.js';

const TEXT_SEEDS = [
  'debug2-leaky.txt',
  'debug2-goroutineleak.txt',
  'debug1-leaky.txt',
  'heap-debug1.txt',
  'goleak.txt',
  'test-timeout.txt',
  'synctest-panic.txt',
  'sigquit-gotraceback-system.txt',
  'race.txt',
  'go120-variants.txt',
];
const BINARY_SEEDS = ['debug0-leaky.pb.gz', 'debug0-goroutineleak.pb.gz', 'heap.pb.gz'];

type Mutator = (b: Buffer, r: () => number) => Buffer;

const pick = <T,>(xs: readonly T[], r: () => number): T => xs[Math.floor(r() * xs.length)]!;

const lines = (b: Buffer) => b.toString('latin1').split('\n');
const join = (ls: string[]) => Buffer.from(ls.join('\n'), 'latin1');

const MUTATORS: Record<string, Mutator> = {
  flipBytes: (b, r) => {
    const c = Buffer.from(b);
    const n = 1 + Math.floor(r() * 8);
    for (let i = 0; i < n; i++) c[Math.floor(r() * c.length)] = Math.floor(r() * 256);
    return c;
  },
  truncate: (b, r) => b.subarray(0, Math.floor(r() * b.length)),
  shuffleLines: (b, r) => {
    const ls = lines(b);
    for (let k = 0; k < 1 + Math.floor(r() * 5); k++) {
      const i = Math.floor(r() * ls.length);
      const j = Math.floor(r() * ls.length);
      [ls[i], ls[j]] = [ls[j]!, ls[i]!];
    }
    return join(ls);
  },
  deleteLines: (b, r) => {
    const ls = lines(b);
    for (let k = 0; k < 1 + Math.floor(r() * 5); k++) ls.splice(Math.floor(r() * ls.length), 1 + Math.floor(r() * 3));
    return join(ls);
  },
  duplicateLines: (b, r) => {
    const ls = lines(b);
    const i = Math.floor(r() * ls.length);
    ls.splice(i, 0, ...ls.slice(i, i + 1 + Math.floor(r() * 4)));
    return join(ls);
  },
  insertJunk: (b, r) => {
    const at = Math.floor(r() * b.length);
    const junk = Buffer.from(Array.from({ length: 1 + Math.floor(r() * 40) }, () => Math.floor(r() * 256)));
    return Buffer.concat([b.subarray(0, at), junk, b.subarray(at)]);
  },
  mangleDelimiters: (b, r) => {
    const s = b.toString('latin1');
    const targets = ['[', ']', ':', '(', ')', '\t', ' +0x', 'goroutine ', 'created by ', '{', '"', '@', '#'];
    const t = pick(targets, r);
    let out = s;
    for (let k = 0; k < 3; k++) {
      const i = out.indexOf(t, Math.floor(r() * out.length));
      if (i >= 0) out = out.slice(0, i) + pick(['', 'x', '\n', '\r\n', t + t], r) + out.slice(i + t.length);
    }
    return Buffer.from(out, 'latin1');
  },
};

/** Forces every lazy part of a result and checks it is bounded by the input. */
function check(p: AnyProfile, input: Buffer): void {
  const maxLines = input.length + 1;
  const json = JSON.stringify(p);
  expect(typeof json).toBe('string');
  if (p.kind === 'goroutine') {
    expect(p.goroutines.length).toBeLessThanOrEqual(maxLines);
    for (const g of p.goroutines) {
      expect(Number.isFinite(g.count)).toBe(true);
      for (const f of g.frames) expect(typeof f.function).toBe('string');
    }
  } else if (p.kind === 'heap') {
    for (const s of p.samples) {
      expect(s.values.every((v) => typeof v === 'number')).toBe(true);
      expect(Array.isArray(s.stack)).toBe(true);
    }
  } else {
    expect(p.races.length).toBeLessThanOrEqual(maxLines);
  }
}

function fuzz(seedNames: string[], load: (n: string) => Buffer, iterations: number, seed: number) {
  const r = rng(seed);
  const names = Object.keys(MUTATORS);
  const outcomes = { parsed: 0, unrecognized: 0, malformed: 0 };
  for (let i = 0; i < iterations; i++) {
    const name = pick(seedNames, r);
    let b = load(name);
    // One to three stacked mutations.
    for (let k = 0; k < 1 + Math.floor(r() * 3); k++) b = MUTATORS[pick(names, r)]!(b, r);
    const source = `fuzz#${i}:${name}`;
    try {
      check(readProfile(b, source), b);
      outcomes.parsed++;
    } catch (e) {
      if (!isProfileError(e)) {
        throw new Error(`iteration ${i} (${name}) threw a non-profile error: ${(e as Error).stack}`);
      }
      expect(e.message.startsWith(source)).toBe(true);
      expect(e.message).not.toContain('\n');
      if (e.name === 'UnrecognizedFormatError') outcomes.unrecognized++;
      else outcomes.malformed++;
    }
  }
  return outcomes;
}

describe('fuzzing the readers (fixed seed)', () => {
  it('text formats: 2500 mutated dumps give a (partial) profile or a clear error', () => {
    const cache = new Map(TEXT_SEEDS.map((n) => [n, fixture(n)]));
    const o = fuzz(TEXT_SEEDS, (n) => cache.get(n)!, 2500, 0x5eed);
    // The mutations must exercise both outcomes, not just one.
    expect(o.parsed).toBeGreaterThan(1000);
    expect(o.malformed + o.unrecognized).toBeGreaterThan(50);
  });

  it('protobuf: 1500 mutated profiles give a profile or a clear error', () => {
    const cache = new Map(BINARY_SEEDS.map((n) => [n, gunzipSync(fixture(n))]));
    const o = fuzz(BINARY_SEEDS, (n) => cache.get(n)!, 1500, 0xbeef);
    expect(o.parsed).toBeGreaterThan(50);
    expect(o.malformed).toBeGreaterThan(50);
  });

  it('gzip wrapped input: 300 mutated .pb.gz files', () => {
    const cache = new Map(BINARY_SEEDS.map((n) => [n, fixture(n)]));
    fuzz(BINARY_SEEDS, (n) => cache.get(n)!, 300, 0xfeed);
  });
});
