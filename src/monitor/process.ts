/**
 * @fileoverview Turns a parsed profile into what the store keeps and the detectors read:
 * goroutine groups (the `similar` grouping of `leakscope goroutines`, identified by a hash
 * of the grouping key) and heap allocation sites (in-use bytes and objects per innermost
 * user frame, so growth is attributed to the line that allocates, not to `runtime.malg`).
 */
import { createHash } from 'node:crypto';
import { blockingSite, groupGoroutines, groupKey, sampleIndex, type Frame, type GoroutineProfile, type HeapProfile } from '../profiles/index.js';
import type { GroupRow, HeapRow } from './store/types.js';

/** Hash of a goroutine group's key (state, frames, creator). */
export function groupHash(key: string): string {
  return createHash('sha1').update(key).digest('hex').slice(0, 32);
}

/** Groups of a goroutine profile as store rows, largest first. */
export function goroutineRows(p: GoroutineProfile): GroupRow[] {
  return groupGoroutines(p, { similarity: 'similar' }).map((g) => {
    const row: GroupRow = {
      hash: groupHash(g.key),
      state: g.state,
      frames: g.stack,
      site: g.location,
      count: g.count,
      leaked: g.leakedCount,
      maxWait: g.waitMinutes?.max ?? 0,
    };
    if (Object.keys(g.labels).length > 0) row.labels = g.labels;
    if (g.createdBy) row.createdBy = { function: g.createdBy.function, file: g.createdBy.file, line: g.createdBy.line };
    return row;
  });
}

/** Key of a site. */
export function siteString(f: Frame): string {
  return `${f.function} ${f.file}:${f.line}`;
}

/** Summary of a heap profile: per-site in-use values and process-lifetime allocation totals. */
export interface HeapSummary {
  sites: HeapRow[];
  inuseBytes: number;
  /** Sum of alloc_space: cumulative since the process started, so a decrease means a restart. */
  allocBytes: number;
}

/** Aggregates a heap profile by allocation site (innermost non-standard-library frame). */
export function heapRows(p: HeapProfile): HeapSummary {
  const ib = sampleIndex(p, 'inuse_space');
  const io = p.sampleTypes.findIndex((t) => t.type === 'inuse_objects');
  const ab = p.sampleTypes.findIndex((t) => t.type === 'alloc_space');
  const bySite = new Map<string, HeapRow>();
  let inuse = 0;
  let alloc = 0;
  for (const s of p.samples) {
    if (ab >= 0) alloc += s.values[ab] ?? 0;
    const b = s.values[ib] ?? 0;
    if (b === 0) continue;
    inuse += b;
    const site = blockingSite(s.stack);
    const k = siteString(site);
    let row = bySite.get(k);
    if (!row) bySite.set(k, (row = { site: { function: site.function, file: site.file, line: site.line }, inuseBytes: 0, inuseObjects: 0 }));
    row.inuseBytes += b;
    if (io >= 0) row.inuseObjects += s.values[io] ?? 0;
  }
  const sites = [...bySite.values()].map((r) => ({ ...r, inuseBytes: Math.round(r.inuseBytes), inuseObjects: Math.round(r.inuseObjects) })).sort((a, b) => b.inuseBytes - a.inuseBytes);
  return { sites, inuseBytes: Math.round(inuse), allocBytes: Math.round(alloc) };
}

/** Re-exported so callers can build the same key for a goroutine. */
export { groupKey };
