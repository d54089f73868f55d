/**
 * @fileoverview `leakscope test` tells what it did (issue 18, part 4), on real Go
 * packages under test/testrun/testdata: the summary of a run (packages, tests run /
 * passed / failed / skipped, goroutines checked, time), attribution to subtests through
 * the goroutine ancestry (nested and parallel subtests, a named subtest function, a
 * table-driven subtest), the leaks grouped by creating site, a test that compares its own
 * call stack (re-run without the injection: a note, not a failure), a panic after the
 * tests and a `concurrent map writes` fatal error reported as findings at the crashing
 * line with the other goroutines of the dump, and a goroutine still running after the
 * tests reported as such. Expected lines come from `// site: <name>` comments.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { requireGo } from '../support/go.js';
import { runTestCommand, type Run } from './helpers.js';

const TESTDATA = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata');

function leakscope(caseName: string, args: string[]): Promise<Run> {
  return runTestCommand(path.join(TESTDATA, caseName), args);
}

function line(caseName: string, file: string, name: string): number {
  const lines = fs.readFileSync(path.join(TESTDATA, caseName, file), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(`// site: ${name}`));
  if (i < 0) throw new Error(`no site ${name} in ${caseName}/${file}`);
  return i + 1;
}

interface Doc {
  findings: { ruleId: string; file: string; line: number; message: string; fixHint?: string; related?: { file: string; line: number; message: string }[] }[];
  notices: string[];
  test: {
    summary: { packages: number; tests: number; passed: number; failed: number; skipped: number; subtests: number; goroutines?: number };
    stackDependent: { importPath: string; test: string }[];
    sites: { kind: string; file: string; line: number; state: string; count: number; running: boolean; tests: string[]; message?: string; createdBy: { file: string; line: number } | null }[];
    crashed: { importPath: string; kind: string; reason: string; runningTests: string[] }[];
    failedTests: { test: string }[];
  };
}

describe.skipIf(!requireGo('leakscope test output tests'))('leakscope test tells its story', () => {
  describe.concurrent('runs', () => {
    it('attributes leaks to subtests through the ancestry, grouped by creating site, with the summary of the run', async () => {
      const r = await leakscope('subtests', ['-f', 'json', '--no-explain']);
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.stdout) as Doc;
      expect(doc.test.sites).toHaveLength(1);
      const s = doc.test.sites[0]!;
      expect(`${s.file}:${s.line}`).toBe(`pool.go:${line('subtests', 'pool.go', 'worker')}`);
      expect(s.createdBy).toMatchObject({ file: 'pool.go', line: line('subtests', 'pool.go', 'spawn') });
      // 1 (before close) + 1 (the table case that forgets) + 3 (the named helper); the
      // subtests that close their pool are not blamed.
      expect(s.count).toBe(5);
      expect(s.tests).toEqual(['TestNamedSubtest/uses_helper', 'TestPool/configuration/before_close', 'TestTable/*']);
      expect(doc.test.summary).toMatchObject({ packages: 1, tests: 11, passed: 11, failed: 0, skipped: 0, subtests: 8 });
      expect(doc.test.summary.goroutines).toBeGreaterThanOrEqual(5);
      const text = await leakscope('subtests', ['--no-explain']);
      expect(text.stdout).toMatch(/\nChecked 1 package, 11 tests run \(8 of them subtests\): 11 passed, 0 failed, 0 skipped, \d+ goroutines started by the tests checked \(5 left behind\), [\d.]+ s\.\n$/);
    });

    it('reports a panic after the tests at the sending line, with its creator and the other goroutines of the dump', async () => {
      const r = await leakscope('crash', ['-f', 'json', '--no-explain', './afterpanic']);
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.stdout) as Doc;
      const sent = line('crash', 'afterpanic/notify.go', 'send-closed');
      const waiter = line('crash', 'afterpanic/notify.go', 'waiter');
      expect(doc.test.sites.map((s) => `${s.kind} ${s.file}:${s.line} ${s.tests.join(',')}`).sort()).toEqual(
        [`crash afterpanic/notify.go:${sent} TestNotify`, `leak afterpanic/notify.go:${waiter} TestWait`].sort(),
      );
      const crash = doc.findings.find((f) => f.ruleId === 'crash')!;
      expect(crash.message).toBe(
        `panic: send on closed channel in afterpanic.NotifyLater.func1 at notify.go:${sent}, created by afterpanic.NotifyLater at notify.go:${sent - 2} (goroutine of TestNotify): the test binary of example.com/crash/afterpanic died`,
      );
      expect(crash.fixHint).toMatch(/^a goroutine sent on a channel after it was closed/);
      expect(crash.related?.[0]?.message).toBe('the goroutine was started here');
      expect(doc.test.crashed).toEqual([expect.objectContaining({ importPath: 'example.com/crash/afterpanic', kind: 'crash', reason: 'panic: send on closed channel', runningTests: [] })]);
      expect(doc.notices).toContain('example.com/crash/afterpanic: panic: send on closed channel after the tests had finished');
      // Not "the leak check did not run" and nothing else: the crash is the story.
      expect(doc.notices.some((n) => /did not run|failed outside any test/.test(n))).toBe(false);
    });

    it('reports "concurrent map writes" at the writing line, and a goroutine still running after the tests apart from blocked ones', async () => {
      const r = await leakscope('crash', ['-f', 'json', '--no-explain', './mapwrites', './busy']);
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.stdout) as Doc;
      const write = line('crash', 'mapwrites/counter.go', 'map-write');
      const spin = line('crash', 'busy/spin.go', 'spin');
      const crash = doc.test.sites.find((s) => s.kind === 'crash')!;
      expect(`${crash.file}:${crash.line} ${crash.message} ${crash.tests.join(',')}`).toBe(`mapwrites/counter.go:${write} fatal error: concurrent map writes TestCount`);
      const busy = doc.test.sites.find((s) => s.file === 'busy/spin.go')!;
      // A running goroutine is wherever the dump caught it: the loop's test (line `spin`) or its
      // body (the next line).
      expect(busy).toMatchObject({ kind: 'leak', running: true, tests: ['TestSpin'] });
      expect([spin, spin + 1]).toContain(busy.line);
      const f = doc.findings.find((x) => x.file === 'busy/spin.go')!;
      expect(f.message).toMatch(new RegExp(`^1 goroutine leaked by TestSpin: still running \\(busy loop\\?\\) in busy\\.Spin\\.func1 at spin\\.go:${busy.line}, created by busy\\.Spin`));
      expect(f.message).not.toMatch(/blocked/);
      expect(doc.test.summary.failed).toBe(1); // TestCount died with the binary
    });

    it('attaches a static finding at a caller\'s frame: the double lock through a method explains the deadlocked Lock', async () => {
      const r = await leakscope('deadlock', ['--timeout', '0', '-f', 'json']);
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.stdout) as Doc;
      const relock = line('deadlock', 'bank.go', 'relock');
      const f = doc.findings.find((x) => x.ruleId === 'deadlock' && x.line === relock)!;
      expect(f.fixHint).toMatch(/^static analysis \[double-lock\] at deadlock\.\(\*Account\)\.Transfer \(bank\.go:\d+\): calling Account\.Deposit Locks a\.mu/);
      expect(f.related?.some((x) => /^on the stack, in deadlock\.\(\*Account\)\.Transfer: double-lock: /.test(x.message))).toBe(true);
    });

    it('re-runs a test that fails only under the injection: a note that it depends on its call stack, not a failure', async () => {
      const r = await leakscope('stackdep', []);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(
        'note: example.com/stackdep: ExampleCallers depends on its call stack: leak check not applied to this test (it fails with leakscope\'s injected TestMain on the stack and passes without it)\n',
      );
      expect(r.stdout).toMatch(/No problems found\.\nChecked 1 package, 2 tests run: 1 passed, 0 failed, 0 skipped, 1 not checked \(depends on its call stack\), /);
      expect(r.stdout).not.toContain('--- '); // no failure output
    });
  });
});
