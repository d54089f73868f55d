/**
 * @fileoverview End-to-end tests of `leakscope test` on real Go packages
 * (test/testrun/testdata/<case>, each its own module): every seed leak pattern, a
 * deadlock caught by -timeout, packages with their own TestMain (rewritten, method
 * value, and the uncoverable shape that must be reported), t.Parallel() attribution,
 * --isolate, --count, ignore options from the command line and .leakscope.yaml, the
 * report formats, a clean package, a failing test, a package that does not compile and
 * a missing go command. Expected lines are found through `// site: <name>` comments
 * in the Go sources, so the assertions are exact file:line pairs.
 *
 * The go build and module caches are the user's (shared across packages); the runs are
 * concurrent because most of their time is the injected check's settle period.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { requireGo } from '../support/go.js';
import { runTestCommand, snapshot, type Run } from './helpers.js';

const TESTDATA = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata');

async function leakscope(caseName: string, args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return runTestCommand(path.join(TESTDATA, caseName), args, env);
}

/** `file:line` of the `// site: name` comment in a testdata file. */
function site(caseName: string, file: string, name: string): string {
  const lines = fs.readFileSync(path.join(TESTDATA, caseName, file), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(`// site: ${name}`));
  if (i < 0) throw new Error(`no site ${name} in ${caseName}/${file}`);
  return `${file}:${i + 1}`;
}

interface JsonSite {
  kind: string;
  package: string;
  state: string;
  file: string;
  line: number;
  count: number;
  tests: string[];
  attribution: string;
}

interface JsonDoc {
  findings: { ruleId: string; file: string; line: number; message: string; fixHint?: string }[];
  notices: string[];
  test: {
    sites: JsonSite[];
    crashed: { importPath: string; reason: string; runningTests: string[]; output: string }[];
    failedTests: { test: string; output: string }[];
    uncovered: { importPath: string; reason: string }[];
  };
}

/** Sites as `kind file:line state count tests` strings, sorted. */
function sites(doc: JsonDoc): string[] {
  return doc.test.sites
    .map((s) => `${s.kind} ${path.basename(s.file)}:${s.line} ${s.state} x${s.count} ${s.tests.join(',')}`)
    .sort();
}

describe.skipIf(!requireGo('leakscope test end-to-end tests'))('leakscope test', () => {
  describe.concurrent('runs', () => {
    it('reports one site per seed leak pattern with the test that started it, and the static explanation', async () => {
      const before = snapshot(path.join(TESTDATA, 'leaky'));
      const r = await leakscope('leaky', ['-f', 'json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.stdout) as JsonDoc;
      const L = (n: string): string => site('leaky', 'leaky.go', n);
      expect(sites(doc)).toEqual(
        [
          `leak ${L('recv-no-sender')} chan receive x1 TestRecvNoSender`,
          `leak ${L('abandoned-sender')} chan send x1 TestAbandonedSender`,
          `leak ${L('range-never-closed')} chan receive x1 TestRangeNeverClosed`,
          `leak ${L('for-select-no-exit')} select x1 TestForSelectNoExit`,
          `leak ${L('mutex-held-forever')} sync.Mutex.Lock x1 TestMutexHeldForever`,
          `leak ${L('waitgroup-forever')} sync.WaitGroup.Wait x1 TestWaitGroupForever`,
        ].sort(),
      );
      expect(doc.findings.every((f) => f.ruleId === 'goroutine-leak' && f.file === 'leaky.go')).toBe(true);
      // The static rule on the blocking line becomes the fix.
      const sender = doc.findings.find((f) => `leaky.go:${f.line}` === L('abandoned-sender'));
      expect(sender?.fixHint).toMatch(/^static analysis \[abandoned-sender\]: .*"ch".* - fix: make the channel buffered/);
      expect(sender?.message).toMatch(/^1 goroutine leaked by TestAbandonedSender: still blocked in "chan send" in leaky\.fetch\.func1 at leaky\.go:30, created by leaky\.fetch at leaky\.go:28/);
      // The user's files are untouched: the check comes in through -overlay.
      expect(snapshot(path.join(TESTDATA, 'leaky'))).toEqual(before);
    });

    it('counts every run with --count, honours --ignore-top and ignore-created-by from .leakscope.yaml, and points SARIF at the blocking line', async () => {
      const cfgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ls-testrun-'));
      const cfg = path.join(cfgDir, 'leakscope.yaml');
      fs.writeFileSync(cfg, 'ignore-created-by:\n  - example.com/leaky.consume\n');
      try {
        const r = await leakscope('leaky', [
          '--count', '2',
          '--ignore-top', 'example.com/leaky.leakyGoroutine.func1',
          '-c', cfg,
          '--no-explain',
          '-f', 'sarif',
          '--', '-run', 'TestRecvNoSender|TestRangeNeverClosed|TestAbandonedSender|TestNoLeak',
        ]);
        expect(r.code).toBe(1);
        const sarif = JSON.parse(r.stdout) as {
          runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[];
        };
        const run = sarif.runs[0]!;
        expect(run.tool.driver.rules.map((x) => x.id)).toEqual(['goroutine-leak', 'deadlock', 'crash']);
        expect(run.results.map((x) => `${x.locations[0]!.physicalLocation.artifactLocation.uri}:${x.locations[0]!.physicalLocation.region.startLine}`)).toEqual([
          site('leaky', 'leaky.go', 'abandoned-sender'),
        ]);
        expect(run.results[0]!.message.text).toMatch(/^2 goroutines leaked by TestAbandonedSender/);
      } finally {
        fs.rmSync(cfgDir, { recursive: true, force: true });
      }
    });

    it('reports a deadlocked test (timeout) with its blocked goroutines grouped and the running test', async () => {
      const r = await leakscope('deadlock', ['--timeout', '3s', '-f', 'json', '--no-explain']);
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.stdout) as JsonDoc;
      expect(sites(doc)).toEqual(
        [
          `deadlock ${site('deadlock', 'bank.go', 'relock')} sync.Mutex.Lock x1 TestTransferDeadlocks`,
          `deadlock ${site('deadlock', 'bank.go', 'waiting-worker')} chan receive x1 TestTransferDeadlocks`,
        ].sort(),
      );
      expect(doc.test.crashed).toEqual([
        { importPath: 'example.com/deadlock', reason: 'test timed out after 3s', kind: 'deadlock', runningTests: ['TestTransferDeadlocks'], output: expect.stringContaining('=== RUN   TestTransferDeadlocks\n') as unknown },
      ]);
      expect(doc.test.crashed[0]!.output).not.toContain('goroutine ');
      expect(doc.test.failedTests).toEqual([]);
      expect(doc.findings.map((f) => f.ruleId)).toEqual(['deadlock', 'deadlock']);
    });

    it('reports "all goroutines are asleep" (no -timeout alarm) the same way, as text with code frames', async () => {
      const r = await leakscope('deadlock', ['--timeout', '0', '--no-explain']);
      expect(r.code).toBe(1);
      const relock = site('deadlock', 'bank.go', 'relock').split(':')[1]!;
      const worker = site('deadlock', 'bank.go', 'waiting-worker').split(':')[1]!;
      expect(r.stdout).toContain(
        `  ${relock}:2  error  1 goroutine deadlocked in TestTransferDeadlocks: blocked in "sync.Mutex.Lock" in deadlock.(*Account).Deposit at bank.go:${relock} (the test goroutine itself) when the test binary of example.com/deadlock was stopped  [deadlock]\n`,
      );
      expect(r.stdout).toContain(`    > ${relock} |     a.mu.Lock() // site: relock\n`);
      expect(r.stdout).toContain(`  ${worker}:3  error  1 goroutine deadlocked in TestTransferDeadlocks: blocked in "chan receive" in deadlock.Report.func1 at bank.go:${worker}, created by deadlock.Report at bank.go:${Number(worker) - 1}`);
      expect(r.stdout).toContain('note: example.com/deadlock: all goroutines are asleep - deadlock! while running TestTransferDeadlocks\n');
      expect(r.stdout).toContain('2 problems (2 errors, 0 warnings, 0 info) in 1 file\n');
      expect(r.stdout).toContain('--- example.com/deadlock: output before "all goroutines are asleep - deadlock!":\n=== RUN   TestQuick\n');
    });

    it('covers a package with its own TestMain (external test package) and its internal tests', async () => {
      const before = snapshot(path.join(TESTDATA, 'testmain'));
      const r = await leakscope('testmain', ['-f', 'json', '--no-explain']);
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.stdout) as JsonDoc;
      expect(sites(doc)).toEqual(
        [
          `leak ${site('testmain', 'store.go', 'watch')} select x1 TestWatchExternal`,
          `leak ${site('testmain', 'store.go', 'notify')} chan send x1 TestNotifyInternal`,
        ].sort(),
      );
      expect(doc.test.failedTests).toEqual([]);
      expect(snapshot(path.join(TESTDATA, 'testmain'))).toEqual(before);
    });

    it('covers a TestMain that runs the tests through the method value m.Run (GitHub annotation output)', async () => {
      const r = await leakscope('testmainmethod', ['-f', 'github', '--no-explain']);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^::error file=pool\.go,line=7,col=2,endLine=7,endColumn=22,title=leakscope \(goroutine-leak\)::1 goroutine leaked by TestSpawn: still blocked in "chan receive"/);
      expect(r.stdout.trim().split('\n')).toHaveLength(1);
    });

    it('says clearly that a package whose TestMain hands *testing.M to another package was not checked', async () => {
      const r = await leakscope('testmainhelper', []);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('note: example.com/testmainhelper: NOT CHECKED for leaks: helper_test.go: TestMain does not use m.Run');
    });

    it('attributes leaks of t.Parallel() tests through the created-by chain and ancestors', async () => {
      const r = await leakscope('parallel', ['-f', 'json', '--no-explain']);
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.stdout) as JsonDoc;
      expect(sites(doc)).toEqual(
        [
          `leak ${site('parallel', 'worker.go', 'worker')} chan receive x2 TestWorkerA,TestWorkerB`,
          `leak ${site('parallel', 'worker.go', 'watcher')} chan receive x1 TestSupervisor`,
        ].sort(),
      );
      expect(doc.test.sites.every((s) => s.attribution === 'chain')).toBe(true);
    });

    it('--isolate re-runs the leaking package one test at a time and agrees with the chain', async () => {
      const r = await leakscope('parallel', ['-f', 'json', '--no-explain', '--isolate']);
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.stdout) as JsonDoc;
      expect(sites(doc)).toEqual(
        [
          `leak ${site('parallel', 'worker.go', 'worker')} chan receive x2 TestWorkerA,TestWorkerB`,
          `leak ${site('parallel', 'worker.go', 'watcher')} chan receive x1 TestSupervisor`,
        ].sort(),
      );
      expect(doc.test.sites.every((s) => s.attribution === 'isolated')).toBe(true);
    });

    it('checks each package of a module separately (./...): leaks in one, clean one, one without tests', async () => {
      const r = await leakscope('multi', ['-f', 'json', '--no-explain']);
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.stdout) as JsonDoc;
      expect(doc.test.sites.map((s) => `${s.package} ${s.file}:${s.line} ${s.tests.join(',')}`)).toEqual([
        `example.com/multi/a ${site('multi', 'a/a.go', 'subscribe')} TestSubscribe`,
      ]);
      expect(doc.notices).toEqual([]);
      const clean = await leakscope('multi', ['./b', './c']);
      expect(clean.stdout).toMatch(/^No problems found\.\nChecked 1 package, 1 test run: 1 passed, 0 failed, 0 skipped, \d+ goroutines? started by the tests checked, all exited, [\d.]+ s\.\n$/);
      expect(clean.code).toBe(0);
    });

    it('reports nothing for a clean package (goroutines stopped, one settling late, one started by init)', async () => {
      const r = await leakscope('clean', []);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^No problems found\.\nChecked 1 package, 4 tests run: 4 passed, 0 failed, 0 skipped, \d+ goroutines started by the tests checked, all exited, [\d.]+ s\.\n$/);
      expect(r.code).toBe(0);
    });

    it('reports a test that fails for another reason as such and keeps its output', async () => {
      const r = await leakscope('failing', ['-f', 'json']);
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.stdout) as JsonDoc;
      expect(doc.test.sites).toEqual([]);
      expect(doc.test.failedTests.map((t) => t.test)).toEqual(['TestAdd']);
      expect(doc.test.failedTests[0]!.output).toContain('failing_test.go:6: checking 2+2');
      expect(doc.test.failedTests[0]!.output).toContain('failing_test.go:8: Add(2, 2) = 0, want 4');
      expect(doc.notices).toContain('example.com/failing: TestAdd failed (not a leak)');
    });

    it('passes go test flags after --', async () => {
      const r = await leakscope('failing', ['--', '-run', '^TestFine$']);
      expect(r.stdout).toMatch(/^No problems found\.\nChecked 1 package, 1 test run: 1 passed, 0 failed/);
      expect(r.code).toBe(0);
    });

    it('exits 2 with the compiler message when the package does not build', async () => {
      const r = await leakscope('broken', []);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('broken.go:6:9: cannot use "large" (untyped string constant) as int value in return statement');
      expect(r.stdout).toBe('');
    });

    it('exits 2 when the go command is missing', async () => {
      const r = await leakscope('clean', [], { PATH: path.join(os.tmpdir(), 'leakscope-no-such-dir') });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/the go command was not found/);
    });
  });
});
