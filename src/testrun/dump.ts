/**
 * @fileoverview Turns goroutine dumps taken from test binaries into leak and deadlock
 * sites: filters the testing framework's and the runtime's own goroutines (the way
 * go.uber.org/goleak does: goroutines parked inside `testing.(*T).Run` /
 * `testing.(*M).Run` / `t.Parallel`, runtime-only stacks, signal handling), applies
 * the user's `ignore-top` / `ignore-created-by`, attributes each goroutine to the test
 * that started it through its `created by` chain and the ancestor stacks printed under
 * `GODEBUG=tracebackancestors=N` (runtime/traceback.go printAncestorTraceback), and
 * groups goroutines by blocking site.
 */
import { blockingSite, parseGoroutineDump, type Frame, type Goroutine, type GoroutineProfile } from '../profiles/index.js';
import type { IgnoreOptions } from './inject.js';

/** One leak or deadlock site: the goroutines blocked at the same line in the same state. */
export interface GoroutineSite {
  kind: 'leak' | 'deadlock';
  /** Import path of the package whose tests ran. */
  importPath: string;
  state: string;
  /** Innermost frame in user code: where the goroutine is blocked. */
  site: Frame;
  stack: Frame[];
  createdBy?: Frame;
  /** Number of goroutines (over all runs with --count). */
  count: number;
  /** Tests the goroutines are attributed to (sorted); empty when unknown. */
  tests: string[];
  /** How the tests were found: the `created by` / ancestor chain, the only running test, or `-run` isolation. */
  attribution: 'chain' | 'running' | 'isolated' | 'none';
  /** Largest `, N minutes` among the goroutines. */
  waitMinutes?: number;
  goroutineIds: number[];
}

/** Function name without package path: `example.com/a.TestX.func1` → `TestX.func1`. */
function localName(fn: string): string {
  const slash = fn.lastIndexOf('/');
  const dot = fn.indexOf('.', slash + 1);
  return dot < 0 ? fn : fn.slice(dot + 1);
}

/**
 * The top-level test a function belongs to: `pkg.TestX`, `pkg.TestX.func1.2` → `TestX`.
 * go test only runs `TestXxx` where Xxx does not start with a lower-case letter
 * (cmd/go "Testing functions"); `TestMain` is not a test.
 */
export function testOfFunction(fn: string): string | undefined {
  const name = localName(fn).split('.', 1)[0] ?? '';
  if (!/^Test(?![a-z])/.test(name) || name === 'TestMain') return undefined;
  return name;
}

function isFramework(fn: string): boolean {
  return fn.startsWith('runtime.') || fn.startsWith('testing.') || fn.startsWith('os/signal.') || fn === 'main.main';
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

/**
 * The test that started a goroutine: the first `TestXxx` function in its own frames,
 * its creator, then its ancestors' stacks (innermost ancestor first).
 */
export function attributeBlock(block: string): string | undefined {
  for (const raw of block.split('\n').slice(1)) {
    if (raw === '' || raw.startsWith('\t') || raw.startsWith('...') || raw.startsWith('[originating')) continue;
    let fn = raw.startsWith('created by ') ? raw.slice(11) : raw;
    const inG = fn.indexOf(' in goroutine ');
    if (inG >= 0) fn = fn.slice(0, inG);
    const paren = fn.lastIndexOf('(');
    if (paren > 0 && fn.endsWith(')')) fn = fn.slice(0, paren);
    const t = testOfFunction(fn);
    if (t) return t;
  }
  return undefined;
}

/**
 * True for goroutines the testing framework or the runtime own, or that are parked inside
 * the framework (a parent test waiting in `t.Run`, a parallel test waiting in `t.Parallel`,
 * the main goroutine in `m.Run`): their innermost frame outside runtime/internal/sync is in
 * package testing, or the stack has no frame outside the framework.
 */
export function isFrameworkGoroutine(g: Goroutine): boolean {
  if (g.frames.length === 0) return true;
  if (g.frames.some((f) => f.function.includes('.leakscopeRunM') || f.function.includes('.leakscopeCheck'))) return true;
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

function groupSites(kind: GoroutineSite['kind'], importPath: string, list: Attributed[], attribution: GoroutineSite['attribution']): GoroutineSite[] {
  const byKey = new Map<string, GoroutineSite>();
  for (const { g, test, byRunning } of list) {
    const site = blockingSite(g.frames);
    const key = `${g.state}\n${site.file}:${site.line}`;
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
  return [...byKey.values()].sort((a, b) => a.site.file.localeCompare(b.site.file) || a.site.line - b.site.line || a.state.localeCompare(b.state));
}

/**
 * Reads the file the injected check wrote: `leakscope-clean`, or the ids of goroutines
 * that existed before the tests followed by a debug=2 dump. Returns the leak sites.
 */
export function leaksFromCheck(text: string, importPath: string, ignore: IgnoreOptions, isolatedTest?: string): GoroutineSite[] {
  if (text.startsWith('leakscope-clean')) return [];
  const nl = text.indexOf('\n');
  const header = nl < 0 ? text : text.slice(0, nl);
  const before = new Set(header.replace(/^leakscope-before:\s*/, '').split(/\s+/).filter(Boolean).map(Number));
  const dump = nl < 0 ? '' : text.slice(nl + 1);
  if (dump.trim() === '') return [];
  const profile = parseGoroutineDump(Buffer.from(dump), importPath);
  const blocks = goroutineBlocks(dump);
  const list: Attributed[] = [];
  for (const g of profile.goroutines) {
    if (g.id !== undefined && before.has(g.id)) continue;
    if (isFrameworkGoroutine(g) || isIgnored(g, ignore)) continue;
    const test = isolatedTest ?? (g.id !== undefined ? attributeBlock(blocks.get(g.id) ?? '') : undefined);
    list.push({ g, test });
  }
  return groupSites('leak', importPath, list, isolatedTest ? 'isolated' : 'chain');
}

/** What a crashed or timed-out test binary printed, reduced to its dump. */
export interface CrashDump {
  /** `test timed out after 5s`, `all goroutines are asleep - deadlock!`. */
  reason: string;
  runningTests: string[];
  sites: GoroutineSite[];
  /** What the binary printed before the panic or fatal error (the tests' own output). */
  output: string;
}

/**
 * Finds a goroutine dump in a test binary's output (`panic: test timed out after ...` with
 * its `running tests:` list, or `fatal error: all goroutines are asleep - deadlock!`) and
 * returns the blocked goroutines grouped by site. `running` lists the tests that had
 * started but not finished according to the `-json` events.
 */
export function deadlockFromOutput(output: string, importPath: string, ignore: IgnoreOptions, running: string[]): CrashDump | undefined {
  const timeout = /^panic: (test timed out after \S+)/m.exec(output);
  const asleep = /^fatal error: (all goroutines are asleep - deadlock!)/m.exec(output);
  const reason = timeout?.[1] ?? asleep?.[1];
  if (!reason) return undefined;
  const at = Math.min(timeout?.index ?? Infinity, asleep?.index ?? Infinity);
  const text = output.slice(at);
  let profile: GoroutineProfile;
  try {
    profile = parseGoroutineDump(Buffer.from(text), importPath);
  } catch {
    return { reason, runningTests: running, sites: [], output: output.slice(0, at) };
  }
  const runningTests = [...new Set([...(profile.runningTests ?? []), ...running].map((t) => t.split('/', 1)[0]!))].sort();
  const blocks = goroutineBlocks(text);
  const list: Attributed[] = [];
  for (const g of profile.goroutines) {
    if (isFrameworkGoroutine(g) || isIgnored(g, ignore)) continue;
    const test = g.id !== undefined ? attributeBlock(blocks.get(g.id) ?? '') : undefined;
    if (test === undefined && runningTests.length === 1) list.push({ g, test: runningTests[0], byRunning: true });
    else list.push({ g, test });
  }
  return { reason, runningTests, sites: groupSites('deadlock', importPath, list, 'chain'), output: output.slice(0, at) };
}
