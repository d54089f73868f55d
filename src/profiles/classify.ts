/**
 * @fileoverview Decides which goroutine groups are suspected leaks, and says why.
 *
 * The rules are data ({@link HEALTHY_IDLERS}, {@link NEVER_WAKES},
 * {@link BLOCKING_STATES}) evaluated in this order:
 *
 * 1. `(leaked)` from the runtime (Go 1.26 goroutineleak detection: blocked on
 *    a primitive unreachable from any live goroutine) is always a leak.
 * 2. Known healthy idlers are never leaks: net/http accept and connection
 *    loops, os/signal, runtime workers, the testing framework, `select {}` in
 *    main, goroutines that are running.
 * 3. States that can never wake up (`select (no cases)`, nil channel
 *    operations) are leaks regardless of count.
 * 4. Blocking states (channel, select, sync) are leaks when the group is large
 *    (`minGroupSize` identical goroutines: leaks accumulate per request, a
 *    worker pool does not grow) or has waited long (`longWaitMinutes`). A
 *    small group blocked briefly is reported as not suspect: from a dump alone
 *    a worker in `select` on a live quit channel looks exactly like a leaked
 *    one, and the count over time (see trend.ts) is what separates them.
 * 5. With no state (debug=1 text), a large group parked in user code is
 *    suspect; everything else is left alone.
 * 6. Given the profile: after `all goroutines are asleep - deadlock!` every
 *    blocked group is deadlocked, and every non-idler group listed by a goleak
 *    failure is a leak (see {@link classifyGroup}).
 *
 * Evidence from the source and the whole dump ({@link GroupEvidence}, built by
 * src/analysis/attach.ts `dumpEvidence`) comes before the counting rules:
 *
 * - goroutines in a wait-for cycle (src/profiles/waitfor.ts), or waiting for a lock
 *   their own stack holds, are deadlocked whatever their number;
 * - a goroutine blocked on a lock is suspect at once when a static `double-lock`,
 *   `lock-order` or `missing-unlock` finding sits at a frame of its stack;
 * - a group parked at the head of a loop that receives work from a channel is an idle
 *   pool when live code can still send on the channel (or close it), and suspect when
 *   nothing live can; an idle pool turns suspect only on evidence: its wait time
 *   passes the threshold, the runtime marks it leaked, or (across snapshots) it grows;
 * - blocked senders in large numbers stay suspicious: a pool is made of receivers.
 *
 * Wait reason strings are runtime/runtime2.go waitReasonStrings.
 */
import { blockingSite, frameString, isStdlib, type GoroutineGroup } from './group.js';
import type { Frame, GoroutineProfile } from './model.js';

/** Per-group verdict. */
export interface Verdict {
  suspect: boolean;
  /** Human-readable explanation. */
  reason: string;
  /** Identifier of the rule that decided, e.g. `runtime-leaked`, `idler:http-accept`, `blocked-large-group`. */
  rule: string;
}

/** What the source and the rest of the dump say about one group (see src/analysis/attach.ts `dumpEvidence`). */
export interface GroupEvidence {
  /** The group's goroutines are in a wait-for cycle, or wait for a lock their own stack holds. */
  deadlock?: { goroutines: number[]; description: string };
  /** The group's goroutines wait (directly or not) for a lock held by deadlocked goroutines. */
  behindDeadlock?: { goroutines: number[] };
  /** A static finding at a frame of the stack that explains a lock wait. */
  lockFinding?: { ruleId: string; message: string; file: string; line: number };
  /** The group waits at the head of a work loop on channels (see `pool`). */
  pool?: {
    /** `live`: live code can still send on (or close) a channel it waits on; `none`: nothing live can. */
    senders: 'live' | 'none';
    /**
     * For `none`: certain whatever the group's size (the function that owns the channel
     * returned and nothing else has it, or nothing in the package ever sends on it). A
     * `none` that rests on which goroutines happen to be alive (an owner parked past its
     * last send, no live caller of the sender) counts only for groups of `minGroupSize`.
     */
    certain?: boolean;
    /** Why, for the reason text (`Server.Submit (server.go:40) sends on s.jobs`). */
    reason: string;
  };
}

/** Thresholds for {@link classifyGroup}. */
export interface ClassifyOptions {
  /** A blocked group with at least this many goroutines is suspect (default 5). */
  minGroupSize?: number;
  /** A blocked group that has waited at least this many minutes is suspect (default 10). */
  longWaitMinutes?: number;
}

/** A known-healthy long-lived goroutine pattern. */
export interface IdlerRule {
  id: string;
  description: string;
  /** Matches when any frame's function is in this list. */
  anyFrame?: readonly string[];
  /** Matches when the state is in this list. */
  states?: readonly string[];
  /** Restricts `anyFrame` to these states. */
  onlyStates?: readonly string[];
  /** Matches when the innermost non-runtime frame starts with one of these prefixes. */
  topFramePrefix?: readonly string[];
  /** Matches when the stack is non-empty and every frame starts with one of these prefixes. */
  allFramesPrefix?: readonly string[];
}

/** Healthy idlers, most specific first; order matters only for the reported rule id. */
export const HEALTHY_IDLERS: readonly IdlerRule[] = [
  {
    id: 'http-accept',
    description: 'net/http server accept loop waiting for connections',
    anyFrame: ['net/http.(*Server).Serve', 'net/http.(*Server).ListenAndServe', 'net/http.Serve'],
    // Between two Accepts (a connection just arrived, e.g. the profile request itself)
    // the loop is runnable or running, or in the accept system call.
    onlyStates: ['IO wait', 'unknown', 'runnable', 'running', 'syscall'],
  },
  {
    id: 'http-conn',
    description: 'net/http connection loop waiting for the peer (keep-alive)',
    // Only while reading from the network: a handler blocked on a channel
    // also has (*conn).serve on its stack and must still be reported.
    anyFrame: ['net/http.(*conn).serve', 'net/http.(*connReader).backgroundRead'],
    onlyStates: ['IO wait'],
  },
  {
    id: 'http-client-conn',
    description: 'net/http client connection loop (persistConn readLoop/writeLoop)',
    topFramePrefix: ['net/http.(*persistConn).readLoop', 'net/http.(*persistConn).writeLoop', 'net/http.(*http2ClientConn).readLoop', 'net/http.(*http2serverConn).serve'],
  },
  {
    id: 'signal',
    description: 'os/signal delivery loop',
    anyFrame: ['os/signal.signal_recv', 'os/signal.loop', 'os/signal.Notify.func1'],
  },
  {
    id: 'runtime-worker',
    description: 'Go runtime background worker',
    states: [
      'GC worker (idle)', 'GC worker (active)', 'force gc (idle)', 'GC sweep wait', 'GC scavenge wait',
      'finalizer wait', 'cleanup wait', 'GOMAXPROCS updater (idle)', 'trace reader (blocked)',
      'GC weak to strong wait', 'wait for GC cycle',
    ],
    anyFrame: [
      'runtime.gcBgMarkWorker', 'runtime.forcegchelper', 'runtime.bgsweep', 'runtime.bgscavenge',
      'runtime.runfinq', 'runtime.runFinalizers', 'runtime.(*cleanupQueue).createGs', 'runtime.updateMaxProcsGoroutine',
      'runtime.unique_runtime_registerUniqueMapCleanup.func1', 'runtime.timerproc',
    ],
  },
  {
    // System goroutines only appear with GOTRACEBACK=system (runtime/traceback.go
    // isSystemGoroutine): signal mask thread (ensureSigM), trace reader, etc.
    id: 'runtime-internal',
    description: 'Go runtime system goroutine (runtime frames only)',
    allFramesPrefix: ['runtime.', 'internal/runtime/'],
  },
  {
    id: 'testing',
    description: 'testing framework goroutine (test runner, alarm)',
    topFramePrefix: ['testing.(*T).Run', 'testing.runTests', 'testing.(*M).', 'testing.tRunner.func1', 'testing.(*F).'],
  },
  // Last, so the more specific idlers above name the goroutine when they match.
  {
    id: 'running',
    description: 'running or runnable, not blocked',
    states: ['running', 'runnable', 'syscall', 'preempted', 'copystack', 'idle', 'dead'],
  },
];

/** States in which a goroutine can never be woken. */
export const NEVER_WAKES: ReadonlyMap<string, string> = new Map([
  ['select (no cases)', 'blocked forever in select {} (no cases)'],
  ['chan receive (nil chan)', 'blocked forever receiving from a nil channel'],
  ['chan send (nil chan)', 'blocked forever sending on a nil channel'],
]);

/** Blocking states and how to describe them. `unknown` is handled separately. */
export const BLOCKING_STATES: ReadonlyMap<string, string> = new Map([
  ['chan receive', 'blocked receiving from a channel'],
  ['chan send', 'blocked sending on a channel'],
  ['select', 'blocked in select'],
  ['sync.Mutex.Lock', 'blocked acquiring a sync.Mutex'],
  ['sync.RWMutex.Lock', 'blocked acquiring a sync.RWMutex (write)'],
  ['sync.RWMutex.RLock', 'blocked acquiring a sync.RWMutex (read)'],
  ['sync.WaitGroup.Wait', 'blocked in sync.WaitGroup.Wait'],
  ['sync.Cond.Wait', 'blocked in sync.Cond.Wait'],
  ['semacquire', 'blocked on a semaphore'],
  ['synctest.Wait', 'blocked in synctest.Wait'],
]);

function innermostNonRuntime(frames: readonly Frame[]): Frame | undefined {
  return frames.find((f) => !f.function.startsWith('runtime.') && !f.function.startsWith('internal/'));
}

/** Returns the healthy-idler rule matching a group, if any. */
export function matchIdler(group: Pick<GoroutineGroup, 'state' | 'stack'>): IdlerRule | undefined {
  for (const r of HEALTHY_IDLERS) {
    if (r.states?.includes(group.state)) return r;
    if (r.anyFrame && (!r.onlyStates || r.onlyStates.includes(group.state))) {
      if (group.stack.some((f) => r.anyFrame!.includes(f.function))) return r;
    }
    if (r.topFramePrefix) {
      const top = innermostNonRuntime(group.stack);
      if (top && r.topFramePrefix.some((p) => top.function.startsWith(p))) return r;
    }
    if (r.allFramesPrefix && group.stack.length > 0) {
      if (group.stack.every((f) => r.allFramesPrefix!.some((p) => f.function.startsWith(p)))) return r;
    }
  }
  return undefined;
}

/** Where a group was read from: a deadlock crash or a goleak failure changes what its blocked goroutines mean. */
export type ProfileContext = Partial<Pick<GoroutineProfile, 'format' | 'panicMessage'>>;

/** `fatal error: all goroutines are asleep - deadlock!` (runtime/proc.go checkdead). */
const DEADLOCK = /all goroutines are asleep - deadlock/;

/**
 * Classifies one group. With `profile`, two kinds of input are evidence on
 * their own: after the runtime's `all goroutines are asleep - deadlock!`
 * (runtime/proc.go checkdead: no goroutine can ever run again) every blocked
 * goroutine is deadlocked, and a goleak failure lists goroutines still alive
 * when the test ended that are not on goleak's ignore list, so every listed
 * goroutine that is not a known idler is a leak whatever the group size.
 */
export function classifyGroup(group: GoroutineGroup, options: ClassifyOptions = {}, profile?: ProfileContext, evidence?: GroupEvidence): Verdict {
  const e = evidence ? classifyByEvidence(group, options, evidence) : undefined;
  if (e) return e;
  const v = classifyGroupAlone(group, options);
  if (v.suspect || v.rule.startsWith('idler:') || !profile) return v;
  const at = frameString(group.location);
  if (profile.panicMessage !== undefined && DEADLOCK.test(profile.panicMessage) && (BLOCKING_STATES.has(group.state) || group.state === 'unknown')) {
    return {
      suspect: true,
      rule: 'runtime-deadlock',
      reason: `${group.count} goroutine(s) ${BLOCKING_STATES.get(group.state) ?? 'blocked'} at ${at} when the runtime reported "all goroutines are asleep - deadlock!"`,
    };
  }
  if (profile.format === 'goleak') {
    return { suspect: true, rule: 'goleak', reason: `goleak found ${group.count} goroutine(s) still running at ${at} after the test ended (state ${group.state})` };
  }
  return v;
}

const LOCK_WAITS = new Set(['sync.Mutex.Lock', 'sync.RWMutex.Lock', 'sync.RWMutex.RLock']);

function classifyByEvidence(group: GoroutineGroup, options: ClassifyOptions, ev: GroupEvidence): Verdict | undefined {
  const at = frameString(group.location);
  if (ev.deadlock) {
    const n = ev.deadlock.goroutines.length;
    return {
      suspect: true,
      rule: n === 1 ? 'self-deadlock' : 'lock-cycle',
      reason: n === 1 ? `deadlocked on itself: ${ev.deadlock.description}` : `deadlocked in a cycle of ${n} goroutines (${ev.deadlock.goroutines.join(', ')}): ${ev.deadlock.description}`,
    };
  }
  if (ev.behindDeadlock) {
    return {
      suspect: true,
      rule: 'behind-deadlock',
      reason: `${group.count} goroutine(s) ${BLOCKING_STATES.get(group.state) ?? 'blocked'} at ${at} wait for a lock held by deadlocked goroutines (${ev.behindDeadlock.goroutines.join(', ')}): they can never proceed either`,
    };
  }
  if (ev.lockFinding && LOCK_WAITS.has(group.state)) {
    const f = ev.lockFinding;
    return {
      suspect: true,
      rule: `static-${f.ruleId}`,
      reason: `${group.count} goroutine(s) ${BLOCKING_STATES.get(group.state)} at ${at}, and leakscope's static analysis reports ${f.ruleId} on this stack at ${f.file.slice(f.file.lastIndexOf('/') + 1)}:${f.line}: ${f.message}`,
    };
  }
  if (ev.pool && group.leakedCount === 0) {
    const longWait = options.longWaitMinutes ?? 10;
    const maxWait = group.waitMinutes?.max ?? 0;
    if (ev.pool.senders === 'none') {
      if (!ev.pool.certain && group.count < (options.minGroupSize ?? 5)) return undefined;
      return { suspect: true, rule: 'no-live-sender', reason: `${group.count} goroutine(s) wait for work at ${at}, but nothing live can send on or close what they wait on: ${ev.pool.reason}` };
    }
    if (maxWait >= longWait) {
      return { suspect: true, rule: 'idle-pool-long-wait', reason: `${group.count} goroutine(s) idle at ${at} for ${maxWait} minutes (${ev.pool.reason}): an idle pool this long, or abandoned` };
    }
    return { suspect: false, rule: 'idle-pool', reason: `idle pool: ${group.count} goroutine(s) wait for work at ${at}; ${ev.pool.reason} (suspect only if it grows across snapshots or waits ${longWait}+ minutes)` };
  }
  return undefined;
}

function classifyGroupAlone(group: GoroutineGroup, options: ClassifyOptions): Verdict {
  const minGroup = options.minGroupSize ?? 5;
  const longWait = options.longWaitMinutes ?? 10;
  const at = frameString(group.location);
  // `select {}` in main.main is the idiom for "serve until killed"; the runtime's leak
  // profile reports it (nothing can wake main), but it is not a leak.
  if (group.state === 'select (no cases)' && group.location.function === 'main.main') {
    return { suspect: false, rule: 'idler:main-select', reason: 'main parks forever in select {} on purpose' };
  }
  if (group.leakedCount > 0) {
    return {
      suspect: true,
      rule: 'runtime-leaked',
      reason: `runtime reports ${group.leakedCount} goroutine(s) leaked (blocked on a primitive no live goroutine can reach) at ${at}`,
    };
  }
  const idler = matchIdler(group);
  if (idler) return { suspect: false, rule: `idler:${idler.id}`, reason: idler.description };
  const never = NEVER_WAKES.get(group.state);
  if (never) {
    return { suspect: true, rule: 'never-wakes', reason: `${group.count} goroutine(s) ${never} at ${at}` };
  }
  const maxWait = group.waitMinutes?.max ?? 0;
  const desc = BLOCKING_STATES.get(group.state);
  if (desc) {
    if (group.count >= minGroup) {
      return {
        suspect: true,
        rule: 'blocked-large-group',
        reason: `${group.count} identical goroutines ${desc} at ${at}${maxWait > 0 ? ` for up to ${maxWait} minutes` : ''}`,
      };
    }
    if (maxWait >= longWait) {
      return { suspect: true, rule: 'blocked-long-wait', reason: `${group.count} goroutine(s) ${desc} at ${at} for ${maxWait} minutes` };
    }
    return {
      suspect: false,
      rule: 'blocked-small-group',
      reason: `${group.count} goroutine(s) ${desc} for under ${longWait} minutes: looks like a live worker (fewer than ${minGroup})`,
    };
  }
  if (group.state === 'unknown') {
    if (group.count >= minGroup && !isStdlib(blockingSite(group.stack).function)) {
      return {
        suspect: true,
        rule: 'parked-large-group',
        reason: `${group.count} identical goroutines parked at ${at} (this format records no wait state)`,
      };
    }
    return { suspect: false, rule: 'no-state', reason: 'no wait state recorded and the group is small' };
  }
  if (maxWait >= longWait && group.state !== 'IO wait' && group.state !== 'sleep') {
    return { suspect: true, rule: 'long-wait', reason: `${group.count} goroutine(s) in ${group.state} at ${at} for ${maxWait} minutes` };
  }
  return { suspect: false, rule: 'not-blocking', reason: `state "${group.state}" is not a leak pattern` };
}

/** A group with its verdict. */
export type ClassifiedGroup = GoroutineGroup & Verdict;

/** Classifies every group; returns new objects with `suspect`, `reason` and `rule` added. `evidence` is looked up by group key. */
export function classifyGroups(
  groups: readonly GoroutineGroup[],
  options: ClassifyOptions = {},
  profile?: ProfileContext,
  evidence?: ReadonlyMap<string, GroupEvidence>,
): ClassifiedGroup[] {
  return groups.map((g) => ({ ...g, ...classifyGroup(g, options, profile, evidence?.get(g.key)) }));
}
