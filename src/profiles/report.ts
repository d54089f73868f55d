/**
 * @fileoverview Builds the `leakscope goroutines --format json` document
 * (issue 5 contract: `{"total", "truncated", "groups": [{"count", "state",
 * "waitMinutes", "suspect", "reason", "location", "createdBy", "labels",
 * "stack"}]}`) from a goroutine profile, so the CLI only has to print it.
 */
import { classifyGroup, type ClassifyOptions, type GroupEvidence } from './classify.js';
import { groupGoroutines, type Similarity } from './group.js';
import type { GoroutineProfile } from './model.js';

/** A frame as it appears in the JSON contract. */
export interface JsonFrame {
  function: string;
  file: string;
  line: number;
}

/** One group in the JSON contract (extra fields beyond the contract are additive). */
export interface GoroutineReportGroup {
  count: number;
  state: string;
  waitMinutes: { min: number; max: number } | null;
  suspect: boolean;
  reason: string;
  rule: string;
  location: JsonFrame;
  createdBy: (JsonFrame & { goroutineId?: number }) | null;
  labels: Record<string, string>;
  stack: JsonFrame[];
  ids: number[];
  leaked: number;
}

/** The JSON document for `leakscope goroutines`. */
export interface GoroutineReport {
  source: string;
  format: string;
  total: number;
  truncated: boolean;
  leakProfile: boolean;
  suspectCount: number;
  groups: GoroutineReportGroup[];
}

const jf = (f: { function: string; file: string; line: number }): JsonFrame => ({ function: f.function, file: f.file, line: f.line });

/**
 * Groups, classifies and serialises a goroutine profile. Suspect groups come
 * first, then by count.
 */
export function goroutineReport(
  profile: GoroutineProfile,
  options: ClassifyOptions & {
    similarity?: Similarity;
    /** Evidence from the source and the whole dump, by group key (src/analysis/attach.ts `dumpEvidence`). */
    evidence?: ReadonlyMap<string, GroupEvidence>;
  } = {},
): GoroutineReport {
  const groups = groupGoroutines(profile, { similarity: options.similarity ?? 'similar' }).map((g): GoroutineReportGroup => {
    const v = classifyGroup(g, options, profile, options.evidence?.get(g.key));
    const out: GoroutineReportGroup = {
      count: g.count,
      state: g.state,
      waitMinutes: g.waitMinutes ? { ...g.waitMinutes } : null,
      suspect: v.suspect,
      reason: v.reason,
      rule: v.rule,
      location: jf(g.location),
      createdBy: g.createdBy ? { ...jf(g.createdBy), ...(g.createdBy.goroutineId !== undefined ? { goroutineId: g.createdBy.goroutineId } : {}) } : null,
      labels: g.labels,
      stack: g.stack.map(jf),
      ids: g.ids,
      leaked: g.leakedCount,
    };
    return out;
  });
  groups.sort((a, b) => Number(b.suspect) - Number(a.suspect) || b.count - a.count);
  return {
    source: profile.source,
    format: profile.format,
    total: profile.total,
    truncated: profile.truncated,
    leakProfile: profile.leakProfile,
    suspectCount: groups.filter((g) => g.suspect).reduce((a, g) => a + g.count, 0),
    groups,
  };
}
