/**
 * @fileoverview Expresses `leakscope test` results as findings so the static reporters
 * (text with code frames, JSON, SARIF, GitHub annotations) render them: one finding per
 * site with rule id `goroutine-leak` (alive after the package's tests) or `deadlock`
 * (blocked when the test binary timed out or the runtime found every goroutine asleep),
 * located at the blocking line in the user's code. When a static rule explains the
 * blocking function (`explainFrames`), its finding and fix become the hint.
 */
import fs from 'node:fs';
import path from 'node:path';
import { explainFrames, type FrameExplanation } from '../analysis/attach.js';
import type { Finding, RelatedLocation } from '../analysis/finding.js';
import { DOCS_BASE, type RuleMeta } from '../analysis/meta.js';

const TEST_DOCS = `${DOCS_BASE.replace(/\/src\/rules$/, '')}/docs/test.md`;
import { isStdlib, type Frame } from '../profiles/index.js';
import type { GoroutineSite } from './dump.js';
import type { TestRunResult } from './run.js';

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

/** A finding for one site; `explanation` carries the static finding in the same function, if any. */
export function siteFinding(site: GoroutineSite, readSource: (f: string) => string | undefined, explanation?: FrameExplanation): Finding {
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
  const what =
    site.kind === 'leak'
      ? `${plural(site.count, 'goroutine')} leaked by ${tests}: still blocked in "${site.state}"${wait} in ${short(site.site.function)} at ${rel(site.site)}${creator} after the tests of ${site.importPath} finished`
      : `${plural(site.count, 'goroutine')} deadlocked in ${tests}: blocked in "${site.state}"${wait} in ${short(site.site.function)} at ${rel(site.site)}${creator} when the test binary of ${site.importPath} was stopped`;
  const related: RelatedLocation[] = [];
  if (site.createdBy && !isStdlib(site.createdBy.function) && site.createdBy.file && fs.existsSync(site.createdBy.file)) {
    related.push({ file: site.createdBy.file, range: lineRange(site.createdBy.file, site.createdBy.line, readSource), message: 'the goroutine was started here' });
  }
  let fixHint = adviceFor(site.state);
  // Only a static finding at the blocking line (reported on it, or naming it, as
  // select-without-exit does for the select of its loop) explains this goroutine; other
  // findings in the same function are shown as context, not as the fix.
  const names = new RegExp(`\\bline ${site.site.line}\\b`);
  for (const stat of explanation?.findings ?? []) {
    const sameFile = path.resolve(stat.file) === path.resolve(site.site.file);
    const onLine = sameFile && (stat.range.start.line === site.site.line || names.test(stat.message));
    if (onLine && fixHint === adviceFor(site.state)) {
      fixHint = `static analysis [${stat.ruleId}]: ${stat.message}${stat.fixHint ? ` - fix: ${stat.fixHint}` : ''}`;
    }
    related.push({ file: stat.file, range: stat.range, message: `${onLine ? '' : 'also in this function: '}${stat.ruleId}: ${stat.message}` });
  }
  const f: Finding = {
    ruleId: site.kind === 'leak' ? 'goroutine-leak' : 'deadlock',
    severity: 'error',
    message: what,
    file: site.site.file,
    range: lineRange(site.site.file, site.site.line, readSource),
    fixHint,
  };
  if (related.length > 0) f.related = related;
  return f;
}

/** Findings for every site, with static explanations attached when `explain` is set. */
export async function resultFindings(result: TestRunResult, readSource: (f: string) => string | undefined, explain = true): Promise<Finding[]> {
  let ex = new Map<string, FrameExplanation>();
  // Only user code is analysed: a site in the standard library (an idle net/http
  // connection, say) would make the static analysis load a whole GOROOT package.
  const user = result.sites.filter((s) => !isStdlib(s.site.function)).map((s) => s.site);
  if (explain && user.length > 0) {
    try {
      ex = await explainFrames(user);
    } catch {
      ex = new Map();
    }
  }
  return result.sites.map((s) => siteFinding(s, readSource, ex.get(`${s.site.file}:${s.site.line}`)));
}

/** Notices for the non-finding outcomes: uncovered packages, crashes, failed tests. */
export function resultNotices(result: TestRunResult): string[] {
  const out: string[] = [];
  for (const u of result.uncovered) out.push(`${u.importPath}: NOT CHECKED for leaks: ${u.reason}`);
  for (const c of result.crashed) out.push(`${c.importPath}: ${c.reason}${c.runningTests.length > 0 ? ` while running ${c.runningTests.join(', ')}` : ''}`);
  for (const t of result.failedTests) out.push(`${t.importPath}: ${t.test} failed (not a leak)`);
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

/** 0 clean; 1 leaks, deadlocks or failed tests. */
export function exitCodeOf(result: TestRunResult): number {
  return result.sites.length > 0 || result.crashed.length > 0 || result.failedTests.length > 0 || result.failedPackages.length > 0 ? 1 : 0;
}
