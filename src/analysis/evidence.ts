/**
 * @fileoverview What the source says about a goroutine dump, for the classifier
 * (src/profiles/classify.ts `GroupEvidence`) and the reports:
 *
 * - the static findings of every user frame of every goroutine (not only the blocking
 *   one: a double lock through a method call is reported at the caller's frame);
 * - the wait-for graph (src/profiles/waitfor.ts) with the lock facts of each frame
 *   (lockquery.ts), its cycles, and the goroutines that wait for a lock their own stack
 *   holds (a `double-lock` finding at one of their frames), reported as deadlocks with
 *   every goroutine in them;
 * - per group: the deadlock it is part of, the lock finding that explains its wait, and
 *   whether it is an idle pool (poolquery.ts).
 */
import path from 'node:path';
import { blockingSite, userFrames, waitGraph, describeCycle, type Frame, type GoroutineGroup, type GoroutineProfile, type GroupEvidence, type WaitGraph, type WaitEdge } from '../profiles/index.js';
import { attachFindings, explainFrames, type FrameExplanation } from './attach.js';
import type { Finding } from './finding.js';
import { locksOfFrames, PackageCache } from './lockquery.js';
import { poolEvidence } from './poolquery.js';

/** A set of goroutines that can never proceed: a wait-for cycle, or one goroutine waiting for a lock it holds. */
export interface Deadlock {
  goroutines: number[];
  /** Goroutines waiting (directly or not) for a lock held in the deadlock. */
  behind: number[];
  edges: WaitEdge[];
  description: string;
  /** The description, one clause per goroutine or edge. */
  parts: string[];
  /** The static finding that explains it (a self-deadlock found through `double-lock`). */
  finding?: { ruleId: string; message: string; file: string; line: number };
}

/** Everything `dumpEvidence` found. */
export interface DumpEvidence {
  graph: WaitGraph;
  deadlocks: Deadlock[];
  /** Per group key. */
  groups: Map<string, GroupEvidence>;
  /** Static explanations per user frame, keyed `file:line` as the dump prints them. */
  frames: Map<string, FrameExplanation>;
}

/** Options of {@link dumpEvidence}. */
export interface EvidenceOptions {
  /** Maps a path from the dump to a local path. */
  mapPath?: (file: string) => string;
  /**
   * Static findings already computed over the frames' directories (no analysis is run);
   * `false` skips the static rules (no findings per frame; lock facts and pools are still read).
   */
  findings?: false | readonly Finding[];
  /** Packages already loaded (several dumps of the same program). */
  cache?: PackageCache;
}

const LOCK_RULES = new Set(['double-lock', 'lock-order', 'missing-unlock']);
const LOCK_WAITS = new Set(['sync.Mutex.Lock', 'sync.RWMutex.Lock', 'sync.RWMutex.RLock']);


const key = (f: { file: string; line: number }): string => `${f.file}:${f.line}`;

/**
 * Reads the source of the frames of a dump (where it exists on this machine) and returns
 * the evidence for each group of `groups` (grouped from the same profile).
 */
export async function dumpEvidence(profile: GoroutineProfile, groups: readonly GoroutineGroup[], opts: EvidenceOptions = {}): Promise<DumpEvidence> {
  const frames = new Map<string, Frame>();
  for (const g of profile.goroutines) for (const f of userFrames(g.frames)) if (!frames.has(key(f))) frames.set(key(f), f);
  const list = [...frames.values()];
  const mapOpt = opts.mapPath ? { mapPath: opts.mapPath } : {};
  const cache = opts.cache ?? new PackageCache();
  let explained = new Map<string, FrameExplanation>();
  if (Array.isArray(opts.findings)) explained = attachFindings(list, opts.findings, mapOpt);
  else if (opts.findings !== false && list.length > 0) {
    try {
      explained = await explainFrames(list, mapOpt);
    } catch {
      explained = new Map();
    }
  }
  const lockFacts = locksOfFrames(list, { ...mapOpt, cache });
  const graph = waitGraph(profile, (f) => lockFacts.get(key(f)));
  const base = (f: string): string => path.basename(f);
  const deadlocks: Deadlock[] = graph.cycles.map((c) => {
    const parts = describeCycle(c, base);
    return { goroutines: c.goroutines, behind: c.behind, edges: c.edges, description: parts.join('; '), parts };
  });
  // A goroutine blocked on a lock with a double-lock finding at one of its frames waits
  // for itself, even when the dump's argument words cannot show the addresses.
  for (const g of profile.goroutines) {
    if (g.id === undefined || !LOCK_WAITS.has(g.state) || deadlocks.some((d) => d.goroutines.includes(g.id!))) continue;
    const f = lockFindingOn(g.frames, explained, new Set(['double-lock']));
    if (!f) continue;
    const w = blockingSite(g.frames);
    const description = `goroutine ${g.id} waits at ${base(w.file)}:${w.line} for a lock its own stack holds (double-lock at ${base(f.file)}:${f.line}: ${f.message})`;
    deadlocks.push({ goroutines: [g.id], behind: [], edges: [], finding: f, description, parts: [description] });
  }
  for (const d of deadlocks) {
    // Goroutines behind a self-deadlock: those waiting for the same mutex.
    if (d.goroutines.length !== 1 || d.behind.length > 0) continue;
    const t = graph.waits.get(d.goroutines[0]!);
    if (t) d.behind = [...graph.waits].filter(([id, w]) => id !== d.goroutines[0] && w.address === t.address).map(([id]) => id);
  }
  deadlocks.sort((a, b) => a.goroutines[0]! - b.goroutines[0]!);
  const pools = poolEvidence(profile, groups, { ...mapOpt, cache });
  const out = new Map<string, GroupEvidence>();
  for (const grp of groups) {
    const ev: GroupEvidence = {};
    const ds = deadlocks.filter((d) => grp.ids.some((id) => d.goroutines.includes(id)));
    if (ds.length > 0) ev.deadlock = { goroutines: [...new Set(ds.flatMap((d) => d.goroutines))].sort((a, b) => a - b), description: ds.map((d) => d.description).join('; ') };
    else {
      const behind = deadlocks.filter((d) => grp.ids.some((id) => d.behind.includes(id)));
      if (behind.length > 0) ev.behindDeadlock = { goroutines: [...new Set(behind.flatMap((d) => d.goroutines))].sort((a, b) => a - b) };
    }
    if (LOCK_WAITS.has(grp.state)) {
      const f = lockFindingOn(grp.stack, explained, LOCK_RULES);
      if (f) ev.lockFinding = f;
    }
    const pool = pools.get(grp.key);
    if (pool) ev.pool = pool;
    if (ev.deadlock || ev.behindDeadlock || ev.lockFinding || ev.pool) out.set(grp.key, ev);
  }
  return { graph, deadlocks, groups: out, frames: explained };
}

/** The first finding of `rules` located at (the line of) one of the stack's user frames. */
function lockFindingOn(stack: readonly Frame[], explained: ReadonlyMap<string, FrameExplanation>, rules: ReadonlySet<string>): Deadlock['finding'] {
  for (const f of userFrames(stack)) {
    const ex = explained.get(key(f));
    if (!ex) continue;
    for (const s of ex.findings) {
      if (!rules.has(s.ruleId) || s.range.start.line !== f.line) continue;
      return { ruleId: s.ruleId, message: s.message, file: s.file, line: s.range.start.line };
    }
  }
  return undefined;
}
