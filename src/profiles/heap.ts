/**
 * @fileoverview Top allocation sites of a heap/allocs profile, flat and
 * cumulative, like `go tool pprof -top` with `-sample_index` (google/pprof
 * internal/report). Flat is attributed to the innermost frame of each sample;
 * cumulative to every distinct frame on the stack (counted once per sample,
 * so recursion does not double count).
 */
import type { Frame, HeapProfile } from './model.js';

/** The four sample types Go heap profiles carry (runtime/pprof/protomem.go). */
export type HeapSampleType = 'inuse_space' | 'inuse_objects' | 'alloc_space' | 'alloc_objects';

/** One allocation site. */
export interface HeapSite {
  function: string;
  file: string;
  line: number;
  flat: number;
  cum: number;
}

/** Result of {@link topAllocationSites}. */
export interface HeapTop {
  sampleType: string;
  unit: string;
  /** Sum of the sample type over all samples. */
  total: number;
  sites: HeapSite[];
}

/** Options for {@link topAllocationSites}. */
export interface HeapTopOptions {
  /** Default `inuse_space`. */
  sampleType?: HeapSampleType | string;
  /** Maximum number of sites (default all). */
  limit?: number;
  /** Sort by `flat` (default) or `cum`. */
  sortBy?: 'flat' | 'cum';
}

/** Index of a sample type in a profile, or throws with the available names. */
export function sampleIndex(profile: HeapProfile, sampleType: string): number {
  const i = profile.sampleTypes.findIndex((t) => t.type === sampleType);
  if (i < 0) {
    throw new Error(`${profile.source}: no sample type "${sampleType}" (have ${profile.sampleTypes.map((t) => t.type).join(', ')})`);
  }
  return i;
}

/** Key of a site: function, file and line. */
export function siteKey(f: Frame): string {
  return `${f.function} ${f.file}:${f.line}`;
}

/**
 * Top allocation sites by a sample type, with flat and cumulative values and
 * source positions. Sites with zero flat and cum are omitted.
 */
export function topAllocationSites(profile: HeapProfile, options: HeapTopOptions = {}): HeapTop {
  const type = options.sampleType ?? 'inuse_space';
  const idx = sampleIndex(profile, type);
  // Parsers intern Frame objects, so identity lookups hit almost always; the
  // string key is only computed once per distinct Frame object. `mark`
  // replaces a per-sample Set for counting cum once per sample.
  const byKey = new Map<string, HeapSite & { mark: number }>();
  const byFrame = new Map<Frame, HeapSite & { mark: number }>();
  let total = 0;
  const samples = profile.samples;
  for (let n = 0; n < samples.length; n++) {
    const s = samples[n]!;
    const v = s.values[idx] ?? 0;
    if (v === 0) continue;
    total += v;
    const stack = s.stack;
    for (let i = 0; i < stack.length; i++) {
      const f = stack[i]!;
      let site = byFrame.get(f);
      if (site === undefined) {
        const k = siteKey(f);
        site = byKey.get(k);
        if (site === undefined) {
          site = { function: f.function, file: f.file, line: f.line, flat: 0, cum: 0, mark: -1 };
          byKey.set(k, site);
        }
        byFrame.set(f, site);
      }
      if (i === 0) site.flat += v;
      if (site.mark !== n) {
        site.cum += v;
        site.mark = n;
      }
    }
  }
  const sites = new Map<string, HeapSite>();
  for (const [k, { function: fn, file, line, flat, cum }] of byKey) sites.set(k, { function: fn, file, line, flat, cum });
  const by = options.sortBy ?? 'flat';
  const list = [...sites.values()]
    .filter((s) => s.flat !== 0 || s.cum !== 0)
    .sort((a, b) => (by === 'flat' ? b.flat - a.flat || b.cum - a.cum : b.cum - a.cum || b.flat - a.flat) || siteKey(a).localeCompare(siteKey(b)));
  return {
    sampleType: type,
    unit: profile.sampleTypes[idx]!.unit,
    total,
    sites: options.limit !== undefined ? list.slice(0, options.limit) : list,
  };
}
