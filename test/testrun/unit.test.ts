/**
 * @fileoverview Unit tests of the `leakscope test` pieces that need no Go toolchain:
 * the TestMain rewrite, the generated check, argv splitting, attribution from
 * `created by` chains and ancestor stacks, framework filtering, dump reading and the
 * findings built from sites.
 */
import { describe, expect, it } from 'vitest';
import { splitOperands } from '../../src/cli/test.js';
import { formatReport } from '../../src/report/index.js';
import {
  attributeBlock,
  attributeChain,
  checkSource,
  crashFromOutput,
  deadlockFromOutput,
  exactRunPattern,
  readCheckFile,
  rewriteSubtestName,
  shakePackage,
  type SubtestNamer,
  extractRun,
  goroutineBlocks,
  leaksFromCheck,
  rewriteTestMain,
  RUNTIME_RULES,
  siteFinding,
  splitJsonStream,
  testOfFunction,
  type GoroutineSite,
} from '../../src/testrun/index.js';

const NO_IGNORE = { ignoreTop: [], ignoreCreatedBy: [] };

describe('rewriteTestMain', () => {
  it('replaces m.Run() in TestMain on the same line', () => {
    const src = 'package p\n\nimport (\n\t"os"\n\t"testing"\n)\n\nfunc TestMain(m *testing.M) {\n\tsetup()\n\tcode := m.Run()\n\tos.Exit(code)\n}\n';
    const info = rewriteTestMain('/x/p_test.go', src)!;
    expect(info.declaresTestMain).toBe(true);
    expect(info.rewrites).toBe(1);
    expect(info.rewritten).toBe(src.replace('m.Run()', 'leakscopeRunM(m)'));
    expect(info.rewritten!.split('\n')).toHaveLength(src.split('\n').length);
  });

  it('rewrites helpers that take *testing.M and method values', () => {
    const src = [
      'package p_test',
      'import "testing"',
      'func TestMain(tm *testing.M) { run := tm.Run; exit(run(), helper(tm)) }',
      'func helper(x *testing.M) int { return x.Run() }',
      'func other(r runner) int { return r.Run() }',
      '',
    ].join('\n');
    const info = rewriteTestMain('/x/p_test.go', src)!;
    expect(info.packageName).toBe('p_test');
    expect(info.rewrites).toBe(2);
    expect(info.rewritten).toContain('run := (func() int { return leakscopeRunM(tm) })');
    expect(info.rewritten).toContain('return leakscopeRunM(x)');
    expect(info.rewritten).toContain('return r.Run()');
  });

  it('flags a TestMain that never uses m.Run in the file', () => {
    const info = rewriteTestMain('/x/p_test.go', 'package p\nimport ("testing"; "x/testutil")\nfunc TestMain(m *testing.M) { testutil.Main(m) }\n')!;
    expect(info.declaresTestMain).toBe(true);
    expect(info.rewrites).toBe(0);
    expect(info.rewritten).toBeUndefined();
  });

  it('ignores files without testing.M', () => {
    expect(rewriteTestMain('/x/p_test.go', 'package p\nimport "testing"\nfunc TestX(t *testing.T) {}\n')).toBeUndefined();
  });
});

describe('checkSource', () => {
  it('uses aliased imports only, embeds the ignore lists, and adds TestMain only when asked', () => {
    const withMain = checkSource('p', 'pkg0.txt', { ignoreTop: ['a.b'], ignoreCreatedBy: ['c"d'] }, true);
    expect(withMain).not.toContain('leakscope_shake');
    const shaken = checkSource('p', 'pkg0.txt', NO_IGNORE, { withTestMain: true, shakeImport: 'example.com/m/_leakscope_shake' });
    expect(shaken).toContain('\tleakscope_shake "example.com/m/_leakscope_shake"\n');
    expect(shaken).toContain('leakscope_shake.Begin(seed + uint64(r))');
    expect(withMain).toContain('package p\n');
    expect(withMain).toContain('func TestMain(m *leakscope_testing.M)');
    expect(withMain).toContain('var leakscopeIgnoreTop = []string{"a.b"}');
    expect(withMain).toContain('var leakscopeIgnoreCreatedBy = []string{"c\\"d"}');
    expect(withMain).not.toMatch(/^\s+"(os|testing|time)"$/m);
    expect(checkSource('p_test', 'pkg0.txt', NO_IGNORE, false)).not.toContain('func TestMain');
  });
});

describe('splitOperands', () => {
  it('splits at -- using the raw argv', () => {
    expect(splitOperands(['./a', './b', '-run', 'X'], ['test', './a', './b', '--', '-run', 'X'])).toEqual({ packages: ['./a', './b'], goFlags: ['-run', 'X'] });
    expect(splitOperands(['-v'], ['test', '--format', 'json', '--', '-v'])).toEqual({ packages: [], goFlags: ['-v'] });
    expect(splitOperands(['./...'], ['test', './...'])).toEqual({ packages: ['./...'], goFlags: [] });
  });
});

describe('extractRun', () => {
  it('removes the user\'s -run (both spellings) and keeps the other flags', () => {
    expect(extractRun(['-v', '-run', 'TestA|TestB', '-race'])).toEqual({ flags: ['-v', '-race'], run: 'TestA|TestB' });
    expect(extractRun(['-run=^TestX$', '-short'])).toEqual({ flags: ['-short'], run: '^TestX$' });
    expect(extractRun(['-count=2'])).toEqual({ flags: ['-count=2'] });
  });
});

describe('attribution', () => {
  it('finds the top-level test of a function name', () => {
    expect(testOfFunction('example.com/a.TestX.func1.2')).toBe('TestX');
    expect(testOfFunction('example.com/a_test.Test_under')).toBe('Test_under');
    expect(testOfFunction('example.com/a.Testify')).toBeUndefined();
    expect(testOfFunction('example.com/a.TestMain')).toBeUndefined();
    expect(testOfFunction('example.com/a.(*T).TestX')).toBeUndefined();
  });

  it('follows created-by and ancestor stacks (GODEBUG=tracebackancestors)', () => {
    const block = [
      'goroutine 25 [chan receive]:',
      'example.com/p.watch(0xc0000a4000)',
      '\t/src/p/p.go:25 +0x1d',
      'created by example.com/p.Supervise.func1 in goroutine 24',
      '\t/src/p/p.go:20 +0x2f',
      '[originating from goroutine 24]:',
      'example.com/p.Supervise.func1(...)',
      '\t/src/p/p.go:20 +0x2f',
      'created by example.com/p.Supervise in goroutine 21',
      '[originating from goroutine 21]:',
      'example.com/p.Supervise(...)',
      '\t/src/p/p.go:19 +0x5f',
      'example.com/p.TestSupervisor(...)',
      '\t/src/p/p_test.go:22 +0x25',
      'testing.tRunner(...)',
    ].join('\n');
    expect(attributeBlock(block)).toBe('TestSupervisor');
    expect(attributeBlock('goroutine 7 [select]:\nexample.com/p.loop()\n\t/p.go:3\ncreated by example.com/p.Start in goroutine 1\n\t/p.go:9')).toBeUndefined();
    const blocks = goroutineBlocks(`goroutine 1 [running]:\nmain.main()\n\n${block}\n`);
    expect([...blocks.keys()]).toEqual([1, 25]);
  });
});

const DUMP = `leakscope-before: 1 2
goroutine 1 [running]:
example.com/p.leakscopeCheck(0x0)
\t/src/p/zz_leakscope_check_test.go:40 +0x1
example.com/p.leakscopeRunM(0x0)
\t/src/p/zz_leakscope_check_test.go:20 +0x1
main.main()
\t_testmain.go:48 +0xa5

goroutine 2 [chan receive]:
example.com/p.init.0.func1()
\t/src/p/p.go:5 +0x1
created by example.com/p.init.0 in goroutine 1
\t/src/p/p.go:4 +0x1

goroutine 9 [chan receive]:
example.com/p.Leak.func1()
\t/src/p/p.go:12 +0x1
created by example.com/p.Leak in goroutine 8
\t/src/p/p.go:11 +0x1
[originating from goroutine 8]:
example.com/p.Leak(...)
\t/src/p/p.go:11 +0x1
example.com/p.TestLeak(...)
\t/src/p/p_test.go:8 +0x1

goroutine 10 [chan receive]:
example.com/p.Leak.func1()
\t/src/p/p.go:12 +0x1
created by example.com/p.Leak in goroutine 8
\t/src/p/p.go:11 +0x1

goroutine 11 [select]:
example.com/p.ignored()
\t/src/p/p.go:30 +0x1
created by example.com/p.StartIgnored in goroutine 8
\t/src/p/p.go:29 +0x1
`;

describe('leaksFromCheck', () => {
  it('skips pre-existing, framework and ignored goroutines and groups by site', () => {
    const sites = leaksFromCheck(DUMP, 'example.com/p', { ignoreTop: [], ignoreCreatedBy: ['example.com/p.StartIgnored'] });
    expect(sites).toHaveLength(1);
    expect(sites[0]).toMatchObject({ kind: 'leak', state: 'chan receive', count: 2, tests: ['TestLeak'], goroutineIds: [9, 10] });
    expect(sites[0]!.site).toMatchObject({ file: '/src/p/p.go', line: 12 });
    expect(leaksFromCheck(DUMP, 'example.com/p', { ignoreTop: ['example.com/p.Leak.func1', 'example.com/p.ignored'], ignoreCreatedBy: [] })).toEqual([]);
    expect(leaksFromCheck('leakscope-clean\n', 'example.com/p', NO_IGNORE)).toEqual([]);
  });

  it('reads the stats line and one section per leaking round, with the round\'s seed', () => {
    const text = `leakscope-stats: created=42 rounds=3\nleakscope-section: round=2 seed=17\n${DUMP}`;
    const r = readCheckFile(text, 'example.com/p', NO_IGNORE);
    expect(r).toMatchObject({ created: 42, rounds: 3, leakRounds: 1 });
    // Grouped by creating site first (p.go:11, then p.go:29).
    expect(r.sites.map((s) => [s.site.line, s.count, s.shake])).toEqual([
      [12, 2, { round: 2, seed: '17' }],
      [30, 1, { round: 2, seed: '17' }],
    ]);
    expect(readCheckFile('leakscope-stats: created=-1 rounds=1\n', 'example.com/p', NO_IGNORE)).toEqual({ sites: [], rounds: 1, leakRounds: 0 });
  });
});

describe('deadlockFromOutput', () => {
  it('reads a test timeout panic with its running tests and drops the framework goroutines', () => {
    const out = [
      '=== RUN   TestStuck',
      'panic: test timed out after 2s',
      '\trunning tests:',
      '\t\tTestStuck (2s)',
      '',
      'goroutine 5 [running]:',
      'testing.(*M).startAlarm.func1()',
      '\t/go/src/testing/testing.go:2484 +0x1',
      'created by time.goFunc',
      '\t/go/src/time/sleep.go:215 +0x2d',
      '',
      'goroutine 1 [chan receive]:',
      'testing.(*T).Run(0x0, {0x0, 0x9}, 0x0)',
      '\t/go/src/testing/testing.go:2005 +0x1',
      'main.main()',
      '\t_testmain.go:45 +0x1',
      '',
      'goroutine 6 [sync.WaitGroup.Wait]:',
      'sync.(*WaitGroup).Wait(0x0)',
      '\t/go/src/sync/waitgroup.go:118 +0x1',
      'example.com/p.TestStuck(0x0)',
      '\t/src/p/p_test.go:9 +0x1',
      'testing.tRunner(0x0, 0x0)',
      '\t/go/src/testing/testing.go:1792 +0x1',
      'created by testing.(*T).Run in goroutine 1',
      '\t/go/src/testing/testing.go:1851 +0x1',
      '',
      'goroutine 7 [chan send]:',
      'example.com/p.worker(0x0)',
      '\t/src/p/p.go:20 +0x1',
      'created by example.com/p.Start in goroutine 6',
      '\t/src/p/p.go:15 +0x1',
      '',
    ].join('\n');
    const d = deadlockFromOutput(out, 'example.com/p', NO_IGNORE, [])!;
    expect(d.reason).toBe('test timed out after 2s');
    expect(d.runningTests).toEqual(['TestStuck']);
    expect(d.sites.map((s) => `${s.site.file}:${s.site.line} ${s.state} ${s.tests.join(',')} ${s.attribution}`)).toEqual([
      '/src/p/p_test.go:9 sync.WaitGroup.Wait TestStuck chain',
      '/src/p/p.go:20 chan send TestStuck running',
    ]);
    expect(d.output).toBe('=== RUN   TestStuck\n');
    expect(deadlockFromOutput('--- PASS: TestX\nok\n', 'example.com/p', NO_IGNORE, [])).toBeUndefined();
  });
});

describe('crashFromOutput', () => {
  const panicOut = [
    '=== RUN   TestA',
    '--- PASS: TestA (0.00s)',
    'PASS',
    'panic: send on closed channel',
    '',
    'goroutine 9 [running]:',
    'example.com/p.Later.func1()',
    '\t/src/p/p.go:12 +0x3c',
    'created by example.com/p.Later in goroutine 7',
    '\t/src/p/p.go:10 +0x2f',
    '[originating from goroutine 7]:',
    'example.com/p.Later(...)',
    '\t/src/p/p.go:10 +0x2f',
    'example.com/p.TestA(...)',
    '\t/src/p/p_test.go:6 +0x1',
    '',
    'goroutine 1 [chan receive]:',
    'main.main()',
    '\t_testmain.go:48 +0xa5',
    '',
    'goroutine 8 [select]:',
    'example.com/p.loop()',
    '\t/src/p/p.go:20 +0x1',
    'created by example.com/p.Start in goroutine 7',
    '\t/src/p/p.go:18 +0x1',
    '[originating from goroutine 7]:',
    'example.com/p.TestA(...)',
    '\t/src/p/p_test.go:7 +0x1',
    '',
    'goroutine 3 [chan receive]:',
    'example.com/p.initWorker()',
    '\t/src/p/p.go:30 +0x1',
    'created by example.com/p.init.0 in goroutine 1',
    '\t/src/p/p.go:29 +0x1',
    '',
  ].join('\n');

  it('reports the crashing goroutine at its innermost user line and the goroutines of finished tests as leaks', () => {
    const c = crashFromOutput(panicOut, 'example.com/p', NO_IGNORE, { running: [], finished: new Set(['TestA']) })!;
    expect(c.kind).toBe('crash');
    expect(c.reason).toBe('panic: send on closed channel');
    expect(c.sites.map((s) => `${s.kind} ${s.site.line} ${s.tests.join(',')} ${s.message ?? ''}`)).toEqual([
      'crash 12 TestA panic: send on closed channel',
      'leak 20 TestA ',
    ]);
    // The goroutine started by init is not a test's doing: not judged without the ids from before the tests.
    expect(c.output).toBe('=== RUN   TestA\n--- PASS: TestA (0.00s)\nPASS\n');
  });

  it('does not judge the goroutines of a test that was still running, and needs a dump after the message', () => {
    const c = crashFromOutput(panicOut, 'example.com/p', NO_IGNORE, { running: ['TestA'], finished: new Set() })!;
    expect(c.sites.map((s) => s.kind)).toEqual(['crash']);
    expect(c.interrupted).toBe(1);
    expect(crashFromOutput('panic: boom\n', 'example.com/p', NO_IGNORE, { running: [] })).toBeUndefined();
    expect(crashFromOutput('    p_test.go:3: panic: not at line start\n\ngoroutine 1 [running]:\nmain.main()\n', 'example.com/p', NO_IGNORE, { running: [] })).toBeUndefined();
  });
});

describe('subtest attribution', () => {
  // What `GODEBUG=tracebackancestors` prints for a worker started inside a nested,
  // parallel subtest (shape of a real dump of sourcegraph/conc's tests, Go 1.26):
  // inlined frames of the subtest's goroutine are listed in their own order, and the
  // parents' lines are those of the return address (the next t.Run statement).
  const block = [
    'goroutine 29 [chan receive]:',
    'example.com/p.(*Pool).worker(0x0?)',
    '\t/src/p/pool.go:153 +0x78',
    'created by example.com/p.(*Pool).Go in goroutine 27',
    '\t/src/p/pool.go:30 +0x73',
    '[originating from goroutine 27]:',
    'example.com/p.(*Pool).Go(...)',
    '\t/src/p/pool.go:51 +0x14b',
    'example.com/p.TestPool.func1.1(...)',
    '\t/src/p/pool_test.go:13 +0x5b',
    'example.com/p.(*Other).Go(...)',
    '\t/src/p/other.go:29 +0xd8',
    'testing.tRunner(...)',
    '\t/go/src/testing/testing.go:2039 +0xea',
    'created by testing.(*T).Run',
    '\t/go/src/testing/testing.go:2101 +0x4c5',
    '[originating from goroutine 26]:',
    'testing.(*T).Run(...)',
    '\t/go/src/testing/testing.go:2109 +0x4c5',
    'example.com/p.TestPool.func1(...)',
    '\t/src/p/pool_test.go:15 +0x2b',
    'testing.tRunner(...)',
    '\t/go/src/testing/testing.go:2039 +0xea',
    'created by testing.(*T).Run',
    '\t/go/src/testing/testing.go:2101 +0x4c5',
    '[originating from goroutine 20]:',
    'testing.(*T).Run(...)',
    '\t/go/src/testing/testing.go:2109 +0x4c5',
    'example.com/p.TestPool(...)',
    '\t/src/p/pool_test.go:21 +0x85',
    'testing.tRunner(...)',
    '\t/go/src/testing/testing.go:2039 +0xea',
    'created by testing.(*T).Run',
    '\t/go/src/testing/testing.go:2101 +0x4c5',
    '[originating from goroutine 1]:',
    'testing.(*T).Run(...)',
    '\t/go/src/testing/testing.go:2109 +0x4c5',
    'testing.runTests.func1(...)',
    '\t/go/src/testing/testing.go:2584 +0x3e',
    'testing.tRunner(...)',
    '\t/go/src/testing/testing.go:2039 +0xea',
  ].join('\n');

  it('names the subtest from the closure the test goroutine runs, confirmed by the names that ran', () => {
    const calls: string[] = [];
    const namer: SubtestNamer = {
      literalPath: (fn, file, line) => {
        calls.push(`${fn} ${file}:${line}`);
        return fn === 'example.com/p.TestPool.func1.1' ? ['panics on configuration', 'before wait'] : undefined;
      },
      callSite: () => 'after wait',
    };
    expect(attributeChain(block, namer)).toEqual({ test: 'TestPool/panics_on_configuration/before_wait' });
    expect(calls).toEqual(['example.com/p.TestPool.func1.1 /src/p/pool_test.go:13']);
    const known = new Set(['TestPool', 'TestPool/panics_on_configuration', 'TestPool/panics_on_configuration/before_wait#01', 'TestPool/panics_on_configuration/before_wait#02']);
    expect(attributeChain(block, namer, known)).toEqual({ test: 'TestPool/panics_on_configuration/before_wait' });
    // A name the source cannot give (t.Run(tc.name, ...)), with one subtest that ran: that one.
    const table: SubtestNamer = { literalPath: () => [null], callSite: () => undefined };
    const blk = block.replace('TestPool.func1.1', 'TestPool.func1');
    expect(attributeChain(blk, table, new Set(['TestPool', 'TestPool/only']))).toEqual({ test: 'TestPool/only' });
    expect(attributeChain(blk, table, new Set(['TestPool', 'TestPool/a', 'TestPool/b']))).toEqual({ test: 'TestPool/*', partial: true });
    // Without a namer, the top-level test still.
    expect(attributeChain(block)).toEqual({ test: 'TestPool', partial: true });
  });

  it('rewrites names the way testing does and builds exact -run patterns', () => {
    expect(rewriteSubtestName('panics on configuration\tafter')).toBe('panics_on_configuration_after');
    expect(exactRunPattern('TestPool/a (b)/c.d')).toBe('^TestPool$/^a_\\(b\\)$/^c\\.d$'.replace('a_', 'a '));
  });
});

describe('shakePackage', () => {
  const SRC = [
    'package p',
    '',
    'import "sync"',
    '',
    'type Locker struct{}',
    '',
    'func (Locker) Lock() {}',
    '',
    'func f(ch chan int, mu *sync.Mutex, wg *sync.WaitGroup, l Locker, xs []int) int {',
    '\tmu.Lock()',
    '\tdefer mu.Unlock()',
    '\tl.Lock()',
    '\tgo func() { ch <- 1 }()',
    '\tfor range xs {',
    '\t}',
    '\tfor v := range ch {',
    '\t\t_ = v',
    '\t}',
    '\tselect {',
    '\tcase v := <-ch:',
    '\t\treturn v',
    '\tdefault:',
    '\t}',
    '\tif v, ok := <-ch; ok {',
    '\t\treturn v',
    '\t}',
    '\twg.Wait()',
    '\tclose(ch)',
    '\treturn 0',
    '}',
    '',
  ].join('\n');

  it('perturbs every concurrency operation on its own line and nothing else', () => {
    const out = shakePackage({ files: new Map([['/m/p/p.go', SRC]]), importPath: 'example.com/m/p', root: '/m' });
    const text = out.rewritten.get('/m/p/p.go')!;
    expect(text.split('\n')).toHaveLength(SRC.split('\n').length);
    expect(out.sites.map((s) => `${s.line} ${s.kind}`).sort()).toEqual(
      ['10 sync', '11 defer', '13 go', '13 send', '16 range', '19 select', '24 recv', '27 sync', '28 close'].sort(),
    );
    const lines = text.split('\n');
    expect(lines[9]).toMatch(/^\tleakscopeShake\(\d+, 0x[0-9a-f]+\); mu\.Lock\(\)$/);
    expect(lines[10]).toMatch(/^\tdefer mu\.Unlock\(\); defer leakscopeShake\(\d+, 0x[0-9a-f]+\)$/);
    expect(lines[11]).toBe('\tl.Lock()'); // a method named Lock on another type is not a sync operation
    expect(lines[12]).toMatch(/^\tgo func\(\) \{ leakscopeShake\(\d+, 0x[0-9a-f]+\); ch <- 1 \}\(\); leakscopeShake\(\d+, 0x[0-9a-f]+\)$/);
    expect(lines[13]).toBe('\tfor range xs {'); // not a channel
    expect(lines[15]).toMatch(/^\tfor v := range ch \{ leakscopeShake\(\d+, 0x[0-9a-f]+\);$/);
    expect(lines[19]).toBe('\tcase v := <-ch:'); // a case is the select's
    // Stable ids: the same site gets the same id in another run.
    const again = shakePackage({ files: new Map([['/m/p/p.go', SRC]]), importPath: 'example.com/m/p', root: '/m' });
    expect(again.sites.map((s) => s.id)).toEqual(out.sites.map((s) => s.id));
    expect(new Set(out.sites.map((s) => s.id)).size).toBe(out.sites.length);
  });

  it('leaves generated files and files with syntax errors alone', () => {
    const gen = `// Code generated by x. DO NOT EDIT.\n\n${SRC}`;
    expect(shakePackage({ files: new Map([['/m/g.go', gen]]), importPath: 'x', root: '/m' }).rewritten.size).toBe(0);
    expect(shakePackage({ files: new Map([['/m/b.go', 'package p\nfunc f( {\n']]), importPath: 'x', root: '/m' }).rewritten.size).toBe(0);
  });
});

describe('report', () => {
  const site: GoroutineSite = {
    kind: 'leak',
    importPath: 'example.com/p',
    state: 'chan send',
    site: { function: 'example.com/p.F.func1', file: '/nonexistent/p.go', line: 7 },
    stack: [],
    createdBy: { function: 'example.com/p.F', file: '/nonexistent/p.go', line: 6 },
    count: 3,
    tests: ['TestF'],
    attribution: 'chain',
    goroutineIds: [4, 5, 6],
  };

  it('builds a finding at the blocking line that the GitHub reporter annotates', () => {
    const f = siteFinding(site, () => 'package p\n\nfunc F() {\n\tch := make(chan int)\n\t_ = ch\n\tgo func() {\n\t\tch <- 1\n\t}()\n}\n');
    expect(f).toMatchObject({ ruleId: 'goroutine-leak', severity: 'error', file: '/nonexistent/p.go', range: { start: { line: 7, column: 3 }, end: { line: 7, column: 10 } } });
    expect(f.message).toBe('3 goroutines leaked by TestF: still blocked in "chan send" in p.F.func1 at p.go:7, created by p.F at p.go:6 after the tests of example.com/p finished');
    expect(f.fixHint).toMatch(/^nobody receives this value any more/);
    const gh = formatReport('github', { findings: [f], rules: RUNTIME_RULES, baseDir: '/nonexistent', readSource: () => undefined, color: false, toolVersion: 't' });
    expect(gh).toMatch(/^::error file=p\.go,line=7,col=3,endLine=7,endColumn=10,title=leakscope \(goroutine-leak\)::3 goroutines leaked by TestF/);
  });
});

describe('splitJsonStream', () => {
  it('splits concatenated go list objects, braces in strings included', () => {
    expect(splitJsonStream('{"A":"{x}"}\n{"B":{"C":1}}\n')).toEqual([{ A: '{x}' }, { B: { C: 1 } }]);
  });
});
