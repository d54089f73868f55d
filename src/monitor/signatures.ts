/**
 * @fileoverview Known-leak signatures: a catalog shipped as data
 * (`src/monitor/signatures/catalog.yaml`, versioned) plus the user's own files, matched on
 * every scrape, in the spirit of threat-intelligence matching. Each entry names the stack
 * shape that identifies a leak people really hit (persistConn loops of unclosed response
 * bodies, `database/sql` rows never closed, ...), the versions it affects, the fix and a
 * reference.
 *
 * Matching: a goroutine group matches when every `frames` regular expression matches some
 * frame's function, in order from the innermost frame outwards (a subsequence), no
 * `not-frames` expression matches any frame, and its state is in `states` when given. The
 * counts of matching groups are summed; the signature matches when the sum reaches
 * `min-count`. Heap signatures match allocation samples the same way and sum in-use bytes
 * (`min-inuse-bytes`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../analysis/config.js';
import type { Frame, GoroutineGroup, HeapProfile } from '../profiles/index.js';
import { sampleIndex } from '../profiles/index.js';
import { parseYaml, validate, whereOf, type Spec } from './yamlspec.js';

/** One catalog entry. */
export interface Signature {
  id: string;
  title: string;
  description: string;
  profile: 'goroutine' | 'heap';
  frames: RegExp[];
  notFrames: RegExp[];
  states: string[];
  minCount: number;
  minInuseBytes: number;
  /** Affected versions, as text (`Go < 1.23 (module go directive)`, `all`). */
  affected: string;
  fix: string;
  references: string[];
  /** Catalog file and line. */
  origin: string;
  /** Catalog version it came from. */
  catalogVersion: number;
}

/** A match on one scrape. */
export interface SignatureMatch {
  signature: Signature;
  /** Goroutines (goroutine signatures) or in-use bytes (heap signatures). */
  count: number;
  /** Innermost user frame of the largest matching group/sample. */
  site?: Frame;
  /** Stack of the largest matching group/sample. */
  stack?: Frame[];
}

const CATALOG_SCHEMA: Spec = {
  kind: 'object',
  required: ['version', 'signatures'],
  fields: {
    version: { kind: 'int', min: 1 },
    signatures: {
      kind: 'list',
      of: {
        kind: 'object',
        required: ['id', 'title', 'profile', 'match', 'fix'],
        fields: {
          id: { kind: 'string', pattern: /^[a-z0-9][a-z0-9-]*$/, what: 'a lower-case id with dashes' },
          title: { kind: 'string' },
          description: { kind: 'string' },
          profile: { kind: 'enum', values: ['goroutine', 'heap'] },
          match: {
            kind: 'object',
            required: ['frames'],
            fields: {
              frames: { kind: 'list', of: { kind: 'regex' }, min: 1 },
              'not-frames': { kind: 'list', of: { kind: 'regex' } },
              states: { kind: 'strings' },
              'min-count': { kind: 'int', min: 1 },
              'min-inuse-bytes': { kind: 'size' },
            },
          },
          affected: { kind: 'string' },
          fix: { kind: 'string' },
          references: { kind: 'strings' },
        },
      },
    },
  },
};

/** Path of the bundled catalog (in the package: `src/monitor/signatures/catalog.yaml`). */
export function bundledCatalogPath(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // src/monitor/ when run from source (vitest), dist/src/monitor/ when built.
  for (const p of [path.join(here, 'signatures', 'catalog.yaml'), path.join(here, '..', '..', '..', 'src', 'monitor', 'signatures', 'catalog.yaml')]) {
    if (fs.existsSync(p)) return p;
  }
  throw new Error(`leakscope: the bundled signature catalog is missing (looked next to ${here})`);
}

/** Parses a catalog file's text. */
export function parseCatalog(text: string, file: string): Signature[] {
  const y = parseYaml(text, file);
  const raw = validate(y, file, y.root, CATALOG_SCHEMA, '') as {
    version: number;
    signatures: {
      id: string;
      title: string;
      description?: string;
      profile: 'goroutine' | 'heap';
      match: { frames: string[]; notFrames?: string[]; states?: string[]; minCount?: number; minInuseBytes?: number };
      affected?: string;
      fix: string;
      references?: string[];
    }[];
  };
  const seen = new Set<string>();
  return raw.signatures.map((s) => {
    const origin = whereOf(s, file);
    if (seen.has(s.id)) throw new ConfigError(origin, `signature id "${s.id}" is used twice`);
    seen.add(s.id);
    return {
      id: s.id,
      title: s.title,
      description: (s.description ?? '').trim(),
      profile: s.profile,
      frames: s.match.frames.map((f) => new RegExp(f)),
      notFrames: (s.match.notFrames ?? []).map((f) => new RegExp(f)),
      states: s.match.states ?? [],
      minCount: s.match.minCount ?? 1,
      minInuseBytes: s.match.minInuseBytes ?? 1 << 20,
      affected: s.affected ?? 'all versions',
      fix: s.fix.trim(),
      references: s.references ?? [],
      origin,
      catalogVersion: raw.version,
    };
  });
}

/** Loads the bundled catalog plus user files (user entries override bundled ones with the same id), minus `disable`. */
export function loadSignatures(userFiles: readonly string[] = [], disable: readonly string[] = []): Signature[] {
  const byId = new Map<string, Signature>();
  for (const f of [bundledCatalogPath(), ...userFiles]) {
    let text: string;
    try {
      text = fs.readFileSync(f, 'utf8');
    } catch (e) {
      throw new ConfigError(f, `cannot read signature file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    for (const s of parseCatalog(text, f)) byId.set(s.id, s);
  }
  for (const d of disable) byId.delete(d);
  return [...byId.values()];
}

/** True when the regexes match frames as an ordered subsequence, innermost first. */
export function framesMatch(frames: readonly Frame[], want: readonly RegExp[], not: readonly RegExp[]): boolean {
  for (const f of frames) for (const n of not) if (n.test(f.function)) return false;
  let i = 0;
  for (const f of frames) {
    if (i < want.length && want[i]!.test(f.function)) i++;
    if (i === want.length) return true;
  }
  return i === want.length;
}

/** Goroutine signatures matched against the groups of one scrape. */
export function matchGoroutineSignatures(sigs: readonly Signature[], groups: readonly Pick<GoroutineGroup, 'count' | 'state' | 'stack' | 'location'>[]): SignatureMatch[] {
  const out: SignatureMatch[] = [];
  for (const s of sigs) {
    if (s.profile !== 'goroutine') continue;
    let count = 0;
    let best: (typeof groups)[number] | undefined;
    for (const g of groups) {
      if (s.states.length > 0 && !s.states.includes(g.state)) continue;
      if (!framesMatch(g.stack, s.frames, s.notFrames)) continue;
      count += g.count;
      if (!best || g.count > best.count) best = g;
    }
    if (count >= s.minCount && best) out.push({ signature: s, count, site: best.location, stack: best.stack });
  }
  return out;
}

/** Heap signatures matched against the samples of one heap profile (in-use bytes). */
export function matchHeapSignatures(sigs: readonly Signature[], p: HeapProfile): SignatureMatch[] {
  const heapSigs = sigs.filter((s) => s.profile === 'heap');
  if (heapSigs.length === 0) return [];
  const ib = sampleIndex(p, 'inuse_space');
  const out: SignatureMatch[] = [];
  for (const s of heapSigs) {
    let bytes = 0;
    let best: { v: number; stack: Frame[] } | undefined;
    for (const smp of p.samples) {
      const v = smp.values[ib] ?? 0;
      if (v <= 0 || !framesMatch(smp.stack, s.frames, s.notFrames)) continue;
      bytes += v;
      if (!best || v > best.v) best = { v, stack: smp.stack };
    }
    if (bytes >= s.minInuseBytes && best) {
      const site = best.stack.find((f) => !/^(runtime|time|internal)[./]/.test(f.function)) ?? best.stack[0];
      out.push({ signature: s, count: Math.round(bytes), ...(site ? { site } : {}), stack: best.stack });
    }
  }
  return out;
}
