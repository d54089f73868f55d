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
  checkSource,
  deadlockFromOutput,
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
