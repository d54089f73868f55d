/**
 * @fileoverview Turns goroutine dumps taken from test binaries into leak, deadlock and
 * crash sites: filters the testing framework's and the runtime's own goroutines (the way
 * go.uber.org/goleak does: goroutines parked inside `testing.(*T).Run` /
 * `testing.(*M).Run` / `t.Parallel`, runtime-only stacks, signal handling), applies the
 * user's `ignore-top` / `ignore-created-by`, attributes each goroutine to the test (down
 * to the subtest, see subtests.ts) that started it through its `created by` chain and the
 * ancestor stacks printed under `GODEBUG=tracebackancestors=N`
 * (runtime/traceback.go printAncestorTraceback), and groups goroutines by creating site,
 * then blocking site.
 *
 * Three kinds of dump are read: the file the injected check writes after the tests
 * ({@link readCheckFile}), the dump a test binary prints when `-timeout` fires or the
 * runtime finds every goroutine asleep (deadlocks), and the dump that comes with a panic,
 * a fatal error (`concurrent map writes`) or a fatal signal ({@link crashFromOutput}).
 */
import { blockingSite, parseGoroutineDump, type Frame, type Goroutine, type GoroutineProfile } from '../profiles/index.js';
import type { IgnoreOptions } from './inject.js';
import { attributeChain, type SubtestNamer } from './subtests.js';

export { testOfFunction } from './subtests.js';

/** One site: the goroutines created at the same line and blocked (or running) at the same line in the same state. */
export interface GoroutineSite {
  /** `leak`: alive after the tests; `deadlock`: blocked when the binary timed out or all goroutines slept; `crash`: the goroutine that panicked or hit a fatal error. */
  kind: 'leak' | 'deadlock' | 'crash';
  /** Import path of the package whose tests ran. */
  importPath: string;
  state: string;
  /** Innermost frame in user code: where the goroutine is blocked (or panicked). */
  site: Frame;
  stack: Frame[];
  createdBy?: Frame;
  /** Number of goroutines (over all runs with --count). */
  count: number;
  /** Tests (subtests when known: `TestPool/before_wait`) the goroutines are attributed to, sorted; empty when unknown. */
  tests: string[];
  /** How the tests were found: the `created by` / ancestor chain, the only running test, or `-run` isolation. */
  attribution: 'chain' | 'running' | 'isolated' | 'none';
  /** Largest `, N minutes` among the goroutines. */
  waitMinutes?: number;
  goroutineIds: number[];
  /** kind `crash`: the panic or fatal error (`panic: send on closed channel`). */
  message?: string;
  /** `--shake`: the round and its seed in which the site first showed. */
  shake?: { round: number; seed: string };
}

/** Goroutines in these states are not blocked: they run, wait for a CPU, or are in a system call. */
export function isRunningState(state: string): boolean {
  return state === 'running' || state === 'runnable' || state === 'syscall' || state === 'preempted';
}

/**
 * Raw text of each goroutine in a dump, by id (the parser skips ancestor stacks, which
 * the attribution needs).
 */
export function goroutineBlocks(text: string): Map<number, string> {
  const out = new Map<number, string>();
  const re = /^goroutine (\d+) (?:gp=\S+ m=\S+(?: mp=\S+)? )?\[/gm;
  let m: RegExpExecArray | null;
  const starts: { id: number; at: number }[] = [];
  while ((m = re.exec(text)) !== null) starts.push({ id: Number(m[1]), at: m.index });
  for (let i = 0; i < starts.length; i++) {
    const s = starts[i]!;
    let end = text.indexOf('\n\n', s.at);
    const next = starts[i + 1]?.at ?? text.length;
    if (end < 0 || end > next) end = next;
    out.set(s.id, text.slice(s.at, end));
  }
  return out;
}

/** How tests are named: the subtest namer and the names the package ran. */
export interface AttributionContext {
  namer?: SubtestNamer;
  /** Test names seen in the test2json events of the package. */
  known?: ReadonlySet<string>;
}

/**
 * The test that started a goroutine, from its text block: the subtest when the chain of
 * ancestors reaches it (see subtests.ts), else the first `TestXxx` function in its own
 * frames, its creator, then its ancestors' stacks.
 */
export function attributeBlock(block: string, ctx: AttributionContext = {}): string | undefined {
  return attributeChain(block, ctx.namer, ctx.known)?.test;
}

function isFramework(fn: string): boolean {
  return fn.startsWith('runtime.') || fn.startsWith('testing.') || fn.startsWith('os/signal.') || fn === 'main.main';
}

/**
 * True for goroutines the testing framework or the runtime own, or that are parked inside
 * the framework (a parent test waiting in `t.Run`, a parallel test waiting in `t.Parallel`,
 * the main goroutine in `m.Run`): their innermost frame outside runtime/internal/sync is in
 * package testing, or the stack has no frame outside the framework.
 */
export function isFrameworkGoroutine(g: Goroutine): boolean {
  if (g.frames.length === 0) return true;
  if (g.frames.some((f) => f.function.includes('.leakscopeRunM') || f.function.includes('.leakscopeCheck') || f.function.includes('/_leakscope_shake.'))) return true;
  if (g.frames.every((f) => isFramework(f.function) || f.file.endsWith('_testmain.go'))) return true;
  for (const f of g.frames) {
    const fn = f.function;
    if (fn.startsWith('runtime.') || fn.startsWith('internal/') || fn.startsWith('sync.')) continue;
    return fn.startsWith('testing.');
  }
  return false;
}

/** goleak-compatible ignore matching: exact function name of the top frame / of the creator. */
export function isIgnored(g: Goroutine, ignore: IgnoreOptions): boolean {
  const top = g.frames[0]?.function;
  if (top !== undefined && ignore.ignoreTop.includes(top)) return true;
  if (g.createdBy && ignore.ignoreCreatedBy.includes(g.createdBy.function)) return true;
  return false;
}

interface Attributed {
  g: Goroutine;
  test: string | undefined;
  /** Set when the test came from the only running test rather than the stack. */
  byRunning?: boolean;
}

/** The grouping key of a site: kind, state, creating line, blocking line. */
export function siteKey(s: Pick<GoroutineSite, 'kind' | 'state' | 'site' | 'createdBy'>): string {
  return `${s.kind}\n${s.state}\n${s.createdBy ? `${s.createdBy.file}:${s.createdBy.line}` : ''}\n${s.site.file}:${s.site.line}`;
}

/** Orders sites by creating site first, then blocking site, then state. */
export function compareSites(a: GoroutineSite, b: GoroutineSite): number {
  const ca = a.createdBy ? `${a.createdBy.file}\n${String(a.createdBy.line).padStart(8, '0')}` : '';
  const cb = b.createdBy ? `${b.createdBy.file}\n${String(b.createdBy.line).padStart(8, '0')}` : '';
  return ca.localeCompare(cb) || a.site.file.localeCompare(b.site.file) || a.site.line - b.site.line || a.kind.localeCompare(b.kind) || a.state.localeCompare(b.state);
}

function groupSites(kind: GoroutineSite['kind'], importPath: string, list: Attributed[], attribution: GoroutineSite['attribution']): GoroutineSite[] {
  const byKey = new Map<string, GoroutineSite>();
  for (const { g, test, byRunning } of list) {
    const site = blockingSite(g.frames);
    const key = siteKey({ kind, state: g.state, site, ...(g.createdBy ? { createdBy: g.createdBy } : {}) });
    let s = byKey.get(key);
    if (!s) {
      s = { kind, importPath, state: g.state, site, stack: g.frames, count: 0, tests: [], attribution: 'none', goroutineIds: [] };
      if (g.createdBy) s.createdBy = g.createdBy;
      byKey.set(key, s);
    }
    s.count += g.count;
    if (g.id !== undefined) s.goroutineIds.push(g.id);
    if (g.waitMinutes !== undefined) s.waitMinutes = Math.max(s.waitMinutes ?? 0, g.waitMinutes);
    if (test !== undefined && !s.tests.includes(test)) {
      s.tests.push(test);
      s.tests.sort();
      if (s.attribution !== attribution) s.attribution = byRunning ? (s.attribution === 'none' ? 'running' : s.attribution) : attribution;
    }
  }
  return [...byKey.values()].sort(compareSites);
}

/** What the injected check wrote for one package. */
export interface CheckResult {
  sites: GoroutineSite[];
  /** Goroutines the tests started (runtime/metrics `/sched/goroutines-created`, Go 1.26+); undefined when the runtime does not say. */
  created?: number;
  /** Rounds of `m.Run` (1 without --shake). */
  rounds: number;
  /** Rounds that left goroutines behind. */
  leakRounds: number;
}

/**
 * Reads the file the injected check wrote: a `leakscope-stats:` line, then one section
 * per round that left goroutines behind (`leakscope-section: round=R seed=S`, the ids of
 * goroutines that existed before, a debug=2 dump). Returns the leak sites.
 */
export function readCheckFile(text: string, importPath: string, ignore: IgnoreOptions, isolatedTest?: string, ctx: AttributionContext = {}): CheckResult {
  const out: CheckResult = { sites: [], rounds: 1, leakRounds: 0 };
  const stats = /^leakscope-stats: created=(-?\d+) rounds=(\d+)/m.exec(text);
  if (stats) {
    const c = Number(stats[1]);
    if (c >= 0) out.created = c;
    out.rounds = Number(stats[2]);
  }
  const parts = text.split(/^leakscope-section: /m).slice(1);
  // The format before sections: `leakscope-before: ...` and the dump, or `leakscope-clean`.
  if (parts.length === 0 && text.startsWith('leakscope-before:')) parts.push(`round=0\n${text}`);
  const all: GoroutineSite[] = [];
  for (const part of parts) {
    const nl = part.indexOf('\n');
    const head = part.slice(0, nl < 0 ? part.length : nl);
    const round = Number(/round=(\d+)/.exec(head)?.[1] ?? 0);
    const seed = /seed=(\d+)/.exec(head)?.[1];
    const body = nl < 0 ? '' : part.slice(nl + 1);
    const bnl = body.indexOf('\n');
    const header = bnl < 0 ? body : body.slice(0, bnl);
    const before = new Set(header.replace(/^leakscope-before:\s*/, '').split(/\s+/).filter(Boolean).map(Number));
    const dump = bnl < 0 ? '' : body.slice(bnl + 1);
    if (dump.trim() === '') continue;
    out.leakRounds++;
    const profile = parseGoroutineDump(Buffer.from(dump), importPath);
    const blocks = goroutineBlocks(dump);
    const list: Attributed[] = [];
    for (const g of profile.goroutines) {
      if (g.id !== undefined && before.has(g.id)) continue;
      if (isFrameworkGoroutine(g) || isIgnored(g, ignore)) continue;
      const test = isolatedTest ?? (g.id !== undefined ? attributeBlock(blocks.get(g.id) ?? '', ctx) : undefined);
      list.push({ g, test });
    }
    for (const s of groupSites('leak', importPath, list, isolatedTest ? 'isolated' : 'chain')) {
      if (seed !== undefined) s.shake = { round, seed };
      all.push(s);
    }
  }
  out.sites = mergeSites(all);
  return out;
}

/** Leak sites of a check file (see {@link readCheckFile}). */
export function leaksFromCheck(text: string, importPath: string, ignore: IgnoreOptions, isolatedTest?: string, ctx: AttributionContext = {}): GoroutineSite[] {
  return readCheckFile(text, importPath, ignore, isolatedTest, ctx).sites;
}

/** Merges sites with the same key (several rounds, several isolated runs): counts add up, tests are united, the first shaken round is kept. */
export function mergeSites(sites: readonly GoroutineSite[]): GoroutineSite[] {
  const byKey = new Map<string, GoroutineSite>();
  for (const s of sites) {
    const k = `${s.importPath}\n${siteKey(s)}`;
    const prev = byKey.get(k);
    if (!prev) {
      byKey.set(k, { ...s, tests: [...s.tests], goroutineIds: [...s.goroutineIds] });
      continue;
    }
    prev.count += s.count;
    prev.goroutineIds.push(...s.goroutineIds);
    for (const t of s.tests) if (!prev.tests.includes(t)) prev.tests.push(t);
    prev.tests.sort();
    if (s.waitMinutes !== undefined) prev.waitMinutes = Math.max(prev.waitMinutes ?? 0, s.waitMinutes);
    if (prev.attribution === 'none') prev.attribution = s.attribution;
  }
  return [...byKey.values()].sort(compareSites);
}

/** What a crashed, deadlocked or timed-out test binary printed, reduced to its dump. */
export interface CrashDump {
  /** `test timed out after 5s`, `all goroutines are asleep - deadlock!`, `panic: send on closed channel`, `fatal error: concurrent map writes`. */
  reason: string;
  /** Deadlocks (timeout, all asleep) report blocked goroutines as `deadlock` sites; crashes report the crashing goroutine as a `crash` site. */
  kind: 'deadlock' | 'crash';
  runningTests: string[];
  /** Deadlock sites; or the crash site followed by the leak sites of tests that had finished. */
  sites: GoroutineSite[];
  /** Goroutines of tests still running at the crash (not judged: they were interrupted). */
  interrupted: number;
  /** What the binary printed before the panic or fatal error (the tests' own output). */
  output: string;
}

/** Where the tests stood when the binary died: running (per test2json) and finished tests. */
export interface CrashContext extends AttributionContext {
  running: string[];
  finished?: ReadonlySet<string>;
}

const CRASH_START = /^(?:panic: |fatal error: |SIGQUIT: quit|SIG[A-Z]+: |unexpected signal )/m;

function isParentOrSelf(test: string, of: string): boolean {
  return test === of || of.startsWith(`${test}/`) || test.startsWith(`${of}/`);
}

/**
 * Finds a goroutine dump in a test binary's output and returns what it shows: for
 * `panic: test timed out after ...` (with its `running tests:` list) and
 * `fatal error: all goroutines are asleep - deadlock!`, the blocked goroutines grouped by
 * site as deadlocks; for any other panic, fatal error (`concurrent map writes`) or fatal
 * signal, the goroutine that crashed (the first one printed: runtime/panic.go prints the
 * current goroutine first) as a `crash` site at its innermost user frame, and the other
 * goroutines of tests that had already finished (or of all tests, when none was running)
 * as leaks. Without a goroutine dump after the message there is nothing to read.
 */
export function crashFromOutput(output: string, importPath: string, ignore: IgnoreOptions, ctx: CrashContext): CrashDump | undefined {
  const m = CRASH_START.exec(output);
  if (!m) return undefined;
  const at = m.index;
  const text = output.slice(at);
  if (!/^goroutine \d+ /m.test(text)) return undefined;
  const firstLine = text.slice(0, text.indexOf('\n') < 0 ? text.length : text.indexOf('\n')).trim();
  const timeout = /^panic: (test timed out after \S+)/.exec(firstLine);
  const asleep = /^fatal error: (all goroutines are asleep - deadlock!)/.exec(firstLine);
  const reason = timeout?.[1] ?? asleep?.[1] ?? firstLine.replace(/ \[recovered(?:, repanicked)?\]$/, '');
  const kind: CrashDump['kind'] = timeout || asleep ? 'deadlock' : 'crash';
  let profile: GoroutineProfile;
  try {
    profile = parseGoroutineDump(Buffer.from(text), importPath);
  } catch {
    return { reason, kind, runningTests: ctx.running, sites: [], interrupted: 0, output: output.slice(0, at) };
  }
  const runningTests = [...new Set([...(profile.runningTests ?? []), ...ctx.running])].sort();
  const runningTop = [...new Set(runningTests.map((t) => t.split('/', 1)[0]!))].sort();
  const blocks = goroutineBlocks(text);
  const attribute = (g: Goroutine): string | undefined => (g.id !== undefined ? attributeBlock(blocks.get(g.id) ?? '', ctx) : undefined);
  if (kind === 'deadlock') {
    const list: Attributed[] = [];
    for (const g of profile.goroutines) {
      if (isFrameworkGoroutine(g) || isIgnored(g, ignore)) continue;
      const test = attribute(g);
      if (test === undefined && runningTests.length === 1) list.push({ g, test: runningTests[0], byRunning: true });
      else list.push({ g, test });
    }
    return { reason, kind, runningTests: runningTop, sites: groupSites('deadlock', importPath, list, 'chain'), interrupted: 0, output: output.slice(0, at) };
  }
  const sites: GoroutineSite[] = [];
  const [crashed, ...others] = profile.goroutines;
  if (crashed) {
    const test = attribute(crashed);
    const innermostRunning = runningTests.filter((t) => !runningTests.some((o) => o.startsWith(`${t}/`)));
    const list: Attributed[] = [test === undefined && innermostRunning.length === 1 ? { g: crashed, test: innermostRunning[0], byRunning: true } : { g: crashed, test }];
    for (const s of groupSites('crash', importPath, list, 'chain')) sites.push({ ...s, message: reason });
  }
  const leaks: Attributed[] = [];
  let interrupted = 0;
  for (const g of others) {
    if (isFrameworkGoroutine(g) || isIgnored(g, ignore)) continue;
    const test = attribute(g);
    // Without the ids of the goroutines that existed before the tests, only goroutines
    // a test started are judged; and only those whose test had finished: the running
    // tests were cut short.
    if (test === undefined) continue;
    if (runningTests.some((r) => isParentOrSelf(test, r)) || (ctx.finished && !ctx.finished.has(test) && runningTests.length > 0)) {
      interrupted++;
      continue;
    }
    leaks.push({ g, test });
  }
  sites.push(...groupSites('leak', importPath, leaks, 'chain'));
  return { reason, kind, runningTests: runningTop, sites, interrupted, output: output.slice(0, at) };
}

/**
 * The deadlock part of {@link crashFromOutput}: a dump after `-timeout` or "all goroutines
 * are asleep", or undefined for anything else.
 */
export function deadlockFromOutput(output: string, importPath: string, ignore: IgnoreOptions, running: string[]): CrashDump | undefined {
  const c = crashFromOutput(output, importPath, ignore, { running });
  return c?.kind === 'deadlock' ? c : undefined;
}

/** The top-level test of a (sub)test name. */
export function topLevel(test: string): string {
  return test.split('/', 1)[0]!;
}
