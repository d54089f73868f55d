/**
 * @fileoverview Expresses `leakscope test` results as findings so the static reporters
 * (text with code frames, JSON, SARIF, GitHub annotations) render them: one finding per
 * site with rule id `goroutine-leak` (alive after the package's tests), `deadlock`
 * (blocked when the test binary timed out or the runtime found every goroutine asleep) or
 * `crash` (the goroutine that panicked or hit a fatal error), located at the blocking (or
 * panicking) line in the user's code. When a static rule explains the blocking function
 * (`explainFrames`), its finding and fix become the hint. Also the notices, the summary
 * of what ran, and the leaks grouped by creating site.
 */
import fs from 'node:fs';
import path from 'node:path';
import { explainFrames, type FrameExplanation } from '../analysis/attach.js';
import type { Finding, RelatedLocation } from '../analysis/finding.js';
import { DOCS_BASE, type RuleMeta } from '../analysis/meta.js';

const TEST_DOCS = `${DOCS_BASE.replace(/\/src\/rules$/, '')}/docs/test.md`;
import { isStdlib, userFrames, type Frame } from '../profiles/index.js';
import { isRunningState, type GoroutineSite } from './dump.js';
import { exactRunPattern, type ShakeReport, type TestRunResult } from './run.js';

/** Rule metadata of the runtime findings (SARIF `tool.driver.rules`). */
export const RUNTIME_RULES: RuleMeta[] = [
  {
    id: 'goroutine-leak',
    severity: 'error',
    since: '0.2.0',
    description: 'A goroutine started by a test was still alive after the package\'s tests finished and had settled.',
    help:
      'leakscope test injects a check after the tests of each package; goroutines started by the tests that are still blocked after a settle period are leaks. Make sure every goroutine has a way to exit: close or drain its channels, cancel its context, release its locks.',
    docsUrl: TEST_DOCS,
    enabledByDefault: true,
    category: 'goroutine-leak',
  },
  {
    id: 'deadlock',
    severity: 'error',
    since: '0.2.0',
    description: 'A test timed out or the runtime found all goroutines asleep; the goroutine was blocked at this line.',
    help:
      'The test binary was stopped by -timeout or crashed with "all goroutines are asleep - deadlock!". The blocked goroutines and the tests that were running are reported; fix the missing send, receive, close, unlock or Done.',
    docsUrl: TEST_DOCS,
    enabledByDefault: true,
    category: 'deadlock',
  },
  {
    id: 'crash',
    severity: 'error',
    since: '0.3.0',
    description: 'A goroutine panicked, or the runtime stopped the test binary with a fatal error (concurrent map writes) or a fatal signal; reported at the line that crashed.',
    help:
      'The test binary died: the dump that came with the panic or fatal error is read, the goroutine that crashed is reported at its innermost line in your code with the goroutine that created it, and the goroutines of tests that had already finished are reported as leaks. A panic after the tests (send on a closed channel by a goroutine a test left behind) is a leak that ended in a crash.',
    docsUrl: TEST_DOCS,
    enabledByDefault: true,
    category: 'goroutine-leak',
  },
];

/** Generic advice by wait reason (runtime/runtime2.go waitReasonStrings). */
function adviceFor(state: string): string {
  if (state === 'select (no cases)') return 'select {} blocks forever by definition: wait on a channel or context that is closed when the work ends';
  if (state.endsWith('(nil chan)')) return 'a nil channel blocks forever (Go spec, "Channel types"): make the channel before use, or take this case out of the select only on purpose';
  if (state.startsWith('chan receive')) return 'nothing ever sends on or closes this channel: close it when the producer is done, or select on ctx.Done()/a quit channel';
  if (state.startsWith('chan send')) return 'nobody receives this value any more: give the channel a buffer of the number of sends, or select on ctx.Done()/a quit channel';
  if (state.startsWith('select')) return 'no case of this select can proceed: add a case on ctx.Done() or a quit channel that is closed when the test ends';
  if (state.includes('Mutex') || state.includes('RWMutex')) return 'the lock is never released: unlock on every path (defer mu.Unlock())';
  if (state.includes('WaitGroup')) return 'Wait never returns: every Add needs a matching Done on every path (defer wg.Done())';
  if (state.includes('Cond')) return 'nothing signals this sync.Cond: Signal/Broadcast after changing the condition';
  if (state === 'sleep') return 'the goroutine sleeps past the end of the tests: use a timer with a stop channel or context';
  return 'make sure the goroutine can exit when the test ends (cancel its context, close its channels)';
}

function short(fn: string): string {
  const slash = fn.lastIndexOf('/');
  return fn.slice(slash + 1);
}

function lineRange(file: string, line: number, readSource: (f: string) => string | undefined): Finding['range'] {
  const text = readSource(file)?.split('\n')[line - 1];
  if (text === undefined) return { start: { line, column: 1 }, end: { line, column: 1 } };
  const first = text.length - text.trimStart().length;
  return { start: { line, column: first + 1 }, end: { line, column: text.trimEnd().length + 1 } };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The command that repeats the round of `--shake` in which a site showed. */
export function replayCommand(shake: Pick<ShakeReport, 'cpu'>, seed: string, importPath: string, tests: readonly string[]): string {
  const run = tests.length === 1 ? ` -run '${exactRunPattern(tests[0]!)}'` : '';
  return `leakscope test --shake --seed ${seed} --count 1 --cpu ${shake.cpu} ${importPath}${run ? ` --${run}` : ''}`;
}

/** A finding for one site; `explanation` carries the static finding in the same function, if any. */
export function siteFinding(
  site: GoroutineSite,
  readSource: (f: string) => string | undefined,
  explanation?: FrameExplanation,
  shake?: Pick<ShakeReport, 'cpu'>,
  /** Static findings on the lines of the stack's other frames (the callers of the blocking function). */
  frameFindings: { frame: Frame; findings: Finding[] }[] = [],
): Finding {
  const rel = (f: Frame): string => `${path.basename(f.file)}:${f.line}`;
  const tests =
    site.tests.length === 0
      ? 'an unknown test (run with --isolate to attribute it)'
      : site.tests.join(', ') + (site.attribution === 'isolated' ? ' (isolated with -run)' : '');
  const wait = site.waitMinutes ? `, ${site.waitMinutes} min` : '';
  const creator = !site.createdBy
    ? ''
    : site.createdBy.function === 'testing.(*T).Run'
      ? ' (the test goroutine itself)'
      : `, created by ${short(site.createdBy.function)} at ${rel(site.createdBy)}`;
  const running = isRunningState(site.state);
  const doing = running ? `still running (busy loop?) in ${short(site.site.function)} at ${rel(site.site)}` : `still blocked in "${site.state}"${wait} in ${short(site.site.function)} at ${rel(site.site)}`;
  let what: string;
  if (site.kind === 'leak') what = `${plural(site.count, 'goroutine')} leaked by ${tests}: ${doing}${creator} after the tests of ${site.importPath} finished`;
  else if (site.kind === 'deadlock') what = `${plural(site.count, 'goroutine')} deadlocked in ${tests}: blocked in "${site.state}"${wait} in ${short(site.site.function)} at ${rel(site.site)}${creator} when the test binary of ${site.importPath} was stopped`;
  else {
    const by = site.tests.length === 0 ? '' : ` (goroutine of ${site.tests.join(', ')})`;
    what = `${site.message ?? 'crash'} in ${short(site.site.function)} at ${rel(site.site)}${creator}${by}: the test binary of ${site.importPath} died`;
  }
  if (site.shake && shake) what += `; showed under --shake in round ${site.shake.round + 1} (seed ${site.shake.seed}), replay: ${replayCommand(shake, site.shake.seed, site.importPath, site.tests)}`;
  const related: RelatedLocation[] = [];
  if (site.createdBy && !isStdlib(site.createdBy.function) && site.createdBy.file && fs.existsSync(site.createdBy.file)) {
    related.push({ file: site.createdBy.file, range: lineRange(site.createdBy.file, site.createdBy.line, readSource), message: 'the goroutine was started here' });
  }
  const generic = site.kind === 'crash' ? crashAdvice(site.message ?? '') : running ? 'the goroutine keeps running after the tests: a loop that never blocks and never checks for cancellation (ctx.Done(), a quit channel) spins forever' : adviceFor(site.state);
  let fixHint = generic;
  // Only a static finding at the blocking line (reported on it, or naming it, as
  // select-without-exit does for the select of its loop) explains this goroutine; other
  // findings in the same function are shown as context, not as the fix.
  const names = new RegExp(`\\bline ${site.site.line}\\b`);
  for (const stat of explanation?.findings ?? []) {
    const sameFile = path.resolve(stat.file) === path.resolve(site.site.file);
    const onLine = sameFile && (stat.range.start.line === site.site.line || names.test(stat.message));
    if (onLine && fixHint === generic) {
      fixHint = `static analysis [${stat.ruleId}]: ${stat.message}${stat.fixHint ? ` - fix: ${stat.fixHint}` : ''}`;
    }
    related.push({ file: stat.file, range: stat.range, message: `${onLine ? '' : 'also in this function: '}${stat.ruleId}: ${stat.message}` });
  }
  // A lock rule at a caller's frame explains a lock wait (a method that holds the lock
  // calls one that locks it again): it is the fix.
  for (const { frame, findings } of frameFindings) {
    for (const stat of findings) {
      const explains = LOCK_RULES.has(stat.ruleId) && LOCK_STATES.has(site.state) && fixHint === generic;
      if (explains) fixHint = `static analysis [${stat.ruleId}] at ${short(frame.function)} (${rel(frame)}): ${stat.message}${stat.fixHint ? ` - fix: ${stat.fixHint}` : ''}`;
      related.push({ file: stat.file, range: stat.range, message: `on the stack, in ${short(frame.function)}: ${stat.ruleId}: ${stat.message}` });
    }
  }
  const f: Finding = {
    ruleId: site.kind === 'leak' ? 'goroutine-leak' : site.kind,
    severity: 'error',
    message: what,
    file: site.site.file,
    range: lineRange(site.site.file, site.site.line, readSource),
    fixHint,
  };
  if (related.length > 0) f.related = related;
  return f;
}

const LOCK_RULES = new Set(['double-lock', 'lock-order', 'missing-unlock']);
const LOCK_STATES = new Set(['sync.Mutex.Lock', 'sync.RWMutex.Lock', 'sync.RWMutex.RLock']);

/** Advice for a crash by its message (runtime/panic.go, runtime/map.go fatal errors). */
function crashAdvice(message: string): string {
  if (/send on closed channel/.test(message)) return 'a goroutine sent on a channel after it was closed: only the sender side may close, after every send is done (a WaitGroup over the senders, then close)';
  if (/close of closed channel/.test(message)) return 'the channel is closed twice: close it in one place, or guard the close with sync.Once';
  if (/concurrent map/.test(message)) return 'the map is used by several goroutines without a lock: guard it with a sync.Mutex or use sync.Map';
  if (/nil pointer|invalid memory address/.test(message)) return 'a nil pointer was dereferenced: a goroutine that outlives its test often sees state the test already tore down';
  if (/negative WaitGroup counter/.test(message)) return 'Done was called more times than Add: call Add once per goroutine, before the go statement';
  return 'a goroutine crashed: see the message and the creating site; goroutines that outlive their test often crash on state the test already tore down';
}

/** Findings for every site, with static explanations attached when `explain` is set. */
export async function resultFindings(result: TestRunResult, readSource: (f: string) => string | undefined, explain = true): Promise<Finding[]> {
  let ex = new Map<string, FrameExplanation>();
  // Only user code is analysed: a site in the standard library (an idle net/http
  // connection, say) would make the static analysis load a whole GOROOT package. Every
  // user frame of the stacks, not only the blocking one: a double lock through a method
  // call is reported at the caller's frame.
  const frames = (s: GoroutineSite): Frame[] => userFrames(s.stack);
  const user = result.sites.filter((s) => !isStdlib(s.site.function)).flatMap((s) => [s.site, ...frames(s)]);
  if (explain && user.length > 0) {
    try {
      ex = await explainFrames(user);
    } catch {
      ex = new Map();
    }
  }
  return result.sites.map((s) => {
    const others = frames(s)
      .filter((f) => f.file !== s.site.file || f.line !== s.site.line)
      .map((f) => ({ frame: f, findings: (ex.get(`${f.file}:${f.line}`)?.findings ?? []).filter((x) => x.range.start.line === f.line) }))
      .filter((x) => x.findings.length > 0);
    return siteFinding(s, readSource, ex.get(`${s.site.file}:${s.site.line}`), result.shake, others);
  });
}

/** Notices for the non-finding outcomes: uncovered packages, crashes, failed tests. */
export function resultNotices(result: TestRunResult): string[] {
  const out: string[] = [];
  for (const u of result.uncovered) out.push(`${u.importPath}: NOT CHECKED for leaks: ${u.reason}`);
  for (const c of result.crashed) {
    const when = c.runningTests.length > 0 ? ` while running ${c.runningTests.join(', ')}` : c.kind === 'crash' ? ' after the tests had finished' : '';
    const seed = c.shake ? ` (--shake round ${c.shake.round + 1}, seed ${c.shake.seed})` : '';
    out.push(`${c.importPath}: ${c.reason}${when}${seed}`);
  }
  for (const t of result.failedTests) out.push(`${t.importPath}: ${t.test} failed (not a leak)${t.shakeSeed !== undefined ? `: it fails under --shake (seed ${t.shakeSeed}) and passes without leakscope; its timing assumptions do not hold under other schedules` : ''}`);
  for (const t of result.stackDependent) {
    out.push(`${t.importPath}: ${t.test} depends on its call stack: leak check not applied to this test (it fails with leakscope's injected TestMain on the stack and passes without it)`);
  }
  for (const p of result.failedPackages) out.push(`${p.importPath}: the test binary failed outside any test`);
  out.push(...result.notices);
  if (result.packagesRun === 0 && result.uncovered.length === 0) out.push('no tests ran (no test files, or -run matched nothing)');
  return out;
}

/** The text block that keeps the output of tests that failed for other reasons. */
export function failedOutputText(result: TestRunResult): string {
  const parts: string[] = [];
  for (const t of result.failedTests) parts.push(`--- ${t.importPath} ${t.test} failed:\n${t.output.trimEnd()}`);
  for (const p of result.failedPackages) parts.push(`--- ${p.importPath} failed:\n${p.output.trimEnd()}`);
  for (const c of result.crashed) if (c.output.trim() !== '') parts.push(`--- ${c.importPath}: output before "${c.reason}":\n${c.output.trimEnd()}`);
  return parts.length === 0 ? '' : parts.join('\n\n') + '\n';
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/**
 * What ran, in one or two lines: packages, tests run / passed / failed / skipped, the
 * goroutines the tests started (all checked after the tests), the time; and with
 * `--shake`, the seed, the rounds and where each package stopped.
 */
export function summaryText(result: TestRunResult): string {
  const s = result.summary;
  const parts = [`${plural(s.packages, 'package')}`];
  const dependent = result.stackDependent.length;
  const tests = `${plural(s.tests, 'test')} run${s.subtests > 0 ? ` (${s.subtests} of them subtests)` : ''}: ${s.passed} passed, ${s.failed - dependent} failed, ${s.skipped} skipped${dependent > 0 ? `, ${dependent} not checked (depend${dependent === 1 ? 's' : ''} on ${dependent === 1 ? 'its' : 'their'} call stack)` : ''}`;
  parts.push(tests);
  if (s.goroutines !== undefined) {
    const leaked = result.sites.filter((x) => x.kind === 'leak').reduce((n, x) => n + x.count, 0);
    parts.push(`${plural(s.goroutines, 'goroutine')} started by the tests checked${leaked > 0 ? ` (${leaked} left behind)` : ', all exited'}`);
  }
  parts.push(seconds(s.durationMs));
  const lines = [`Checked ${parts.join(', ')}.`];
  const sh = result.shake;
  if (sh) {
    const stopped = sh.packages.filter((p) => p.stoppedAt);
    const clean = sh.packages.length - stopped.length;
    const where = stopped.map((p) =>
      sh.allRuns
        ? `${p.importPath}: leaks in ${p.leakRounds} of ${plural(p.rounds, 'round')} (first in round ${p.stoppedAt!.round + 1}, seed ${p.stoppedAt!.seed})`
        : `${p.importPath} stopped in round ${p.stoppedAt!.round + 1} (seed ${p.stoppedAt!.seed})`,
    );
    lines.push(
      `--shake: seed ${sh.seed}, up to ${plural(sh.rounds, 'round')} x -cpu ${sh.cpu}${sh.allRuns ? ' (--all-runs)' : ''}, ${plural(sh.sites, 'perturbation point')} in ${plural(sh.files, 'file')}` +
        (where.length > 0 ? `; ${where.join('; ')}` : '') +
        (clean > 0 ? `; ${plural(clean, 'package')} ran all ${plural(sh.rounds, 'round')} without a leak` : '') +
        '.',
    );
  }
  return lines.join('\n') + '\n';
}

/**
 * The leaks grouped by the line that created the goroutines (a library's `go` statement
 * is shared by every test that leaks through it), each with its blocking sites and the
 * (sub)tests that left them behind.
 */
export function creatingSitesText(result: TestRunResult, baseDir: string): string {
  const leaks = result.sites.filter((s) => s.kind === 'leak');
  if (leaks.length < 2) return '';
  const byCreator = new Map<string, GoroutineSite[]>();
  for (const s of leaks) {
    const k = s.createdBy ? `${s.createdBy.file}:${s.createdBy.line}` : '';
    let l = byCreator.get(k);
    if (!l) byCreator.set(k, (l = []));
    l.push(s);
  }
  const rel = (f: string): string => (path.isAbsolute(f) && f.startsWith(baseDir + path.sep) ? path.relative(baseDir, f) : f);
  const out = ['Leaked goroutines by creating site:'];
  for (const [, sites] of byCreator) {
    const c = sites[0]!.createdBy;
    const n = sites.reduce((a, s) => a + s.count, 0);
    out.push(`  ${c ? `${rel(c.file)}:${c.line} (${short(c.function)})` : 'unknown creator'}: ${plural(n, 'goroutine')}`);
    for (const s of sites) {
      const tests = s.tests.length === 0 ? 'unknown test' : s.tests.length <= 4 ? s.tests.join(', ') : `${s.tests.slice(0, 4).join(', ')} and ${s.tests.length - 4} more`;
      out.push(`    ${s.count} ${isRunningState(s.state) ? 'running' : `in "${s.state}"`} at ${rel(s.site.file)}:${s.site.line}, left by ${tests}`);
    }
  }
  return out.join('\n') + '\n';
}

/** 0 clean; 1 leaks, deadlocks or failed tests. */
export function exitCodeOf(result: TestRunResult): number {
  return result.sites.length > 0 || result.crashed.length > 0 || result.failedTests.length > 0 || result.failedPackages.length > 0 ? 1 : 0;
}
