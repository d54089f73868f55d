/**
 * @fileoverview Diffs two goroutine profiles (by group) or two heap profiles
 * (by allocation site), sorted by growth, like `go tool pprof -diff_base` but
 * keyed on what leakscope reports (blocking site or allocation site) rather
 * than on raw stacks, so snapshots survive argument and PC changes and, for
 * goroutines, snapshots of different encodings still match (the state is
 * then left out of the key).
 */
import { frameString, groupGoroutines, type Similarity } from './group.js';
import { topAllocationSites } from './heap.js';
import type { GoroutineProfile, HeapProfile } from './model.js';

/** One changed group or site. */
export interface DiffChange {
  /** `function file:line` of the blocking/allocation site (plus state for goroutines). */
  location: string;
  before: number;
  after: number;
  delta: number;
}

/** Result of {@link diffProfiles}. */
export interface ProfileDiff {
  kind: 'goroutine' | 'heap';
  /** Sample type for heap diffs. */
  sampleType?: string;
  totalBefore: number;
  totalAfter: number;
  /** Sorted by delta, largest growth first; unchanged entries omitted. */
  changes: DiffChange[];
}

/** Options for {@link diffProfiles}. */
export interface DiffOptions {
  /** Goroutine grouping (default `site`, which survives argument and offset changes). */
  similarity?: Similarity;
  /** Heap sample type (default `inuse_space`). */
  sampleType?: string;
  /** Keep entries whose delta is 0 (default false). */
  includeUnchanged?: boolean;
}

/**
 * Goroutine counts keyed by group location: `state @ function file:line`, or
 * just `function file:line` when `withState` is false (used when comparing
 * snapshots of different encodings: debug=1 records no state and protobuf
 * states are inferred, so the state would split identical sites).
 */
export function goroutineCounts(p: GoroutineProfile, similarity: Similarity = 'site', withState = true): Map<string, number> {
  const m = new Map<string, number>();
  for (const g of groupGoroutines(p, { similarity })) {
    const k = similarity === 'site' ? (withState ? `${g.state} @ ${frameString(g.location)}` : frameString(g.location)) : g.key;
    m.set(k, (m.get(k) ?? 0) + g.count);
  }
  return m;
}

/** True when all goroutine profiles come from the same encoding, so states are comparable. */
export function sameEncoding(profiles: readonly GoroutineProfile[]): boolean {
  return profiles.every((p) => p.format === profiles[0]!.format);
}

/** Heap values keyed by allocation site (flat). */
export function heapCounts(p: HeapProfile, sampleType = 'inuse_space'): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of topAllocationSites(p, { sampleType }).sites) {
    if (s.flat !== 0) m.set(`${s.function} ${s.file}:${s.line}`, s.flat);
  }
  return m;
}

function diffMaps(a: Map<string, number>, b: Map<string, number>, keepZero: boolean): DiffChange[] {
  const out: DiffChange[] = [];
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    const before = a.get(k) ?? 0;
    const after = b.get(k) ?? 0;
    if (before === after && !keepZero) continue;
    out.push({ location: k, before, after, delta: after - before });
  }
  return out.sort((x, y) => y.delta - x.delta || x.location.localeCompare(y.location));
}

const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

/**
 * Diffs two profiles of the same kind. Throws when kinds differ.
 */
export function diffProfiles(
  before: GoroutineProfile | HeapProfile,
  after: GoroutineProfile | HeapProfile,
  options: DiffOptions = {},
): ProfileDiff {
  if (before.kind !== after.kind) {
    throw new Error(`cannot diff a ${before.kind} profile (${before.source}) with a ${after.kind} profile (${after.source})`);
  }
  if (before.kind === 'goroutine') {
    const withState = sameEncoding([before, after as GoroutineProfile]);
    const a = goroutineCounts(before, options.similarity ?? 'site', withState);
    const b = goroutineCounts(after as GoroutineProfile, options.similarity ?? 'site', withState);
    return { kind: 'goroutine', totalBefore: sum(a), totalAfter: sum(b), changes: diffMaps(a, b, options.includeUnchanged ?? false) };
  }
  const type = options.sampleType ?? 'inuse_space';
  const a = heapCounts(before, type);
  const b = heapCounts(after as HeapProfile, type);
  return { kind: 'heap', sampleType: type, totalBefore: sum(a), totalAfter: sum(b), changes: diffMaps(a, b, options.includeUnchanged ?? false) };
}
