/**
 * End-to-end tests of `leakscope goroutines | heap | diff | trend` through
 * `execute`, on the profile library's captured fixtures
 * (src/profiles/testdata), small hand-written dumps that point at Go files
 * written to a temp dir (so the code line and the static finding can be
 * checked without a Go toolchain), and local HTTP servers that fail in each
 * way the issue lists. Every error case asserts exit 2, one stderr line that
 * names the source, empty stdout and no `-o` file.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { execute, type CliIO } from '../../src/cli/main.js';
import type { ProfileIO } from '../../src/cli/profiles.js';
import { ABANDONED_SENDER, GO_MOD, removeTempDirs, tempTree } from './helpers.js';

const TESTDATA = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../src/profiles/testdata');
const fx = (name: string) => path.join(TESTDATA, name);

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function ls(argv: string[], opts: { cwd?: string; stdin?: Uint8Array | string } = {}): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const io: ProfileIO = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    isTTY: false,
    env: {},
    cwd: opts.cwd ?? TESTDATA,
  };
  if (opts.stdin !== undefined) {
    const data = opts.stdin;
    io.stdin = (async function* () {
      yield typeof data === 'string' ? Buffer.from(data) : data;
    })();
  }
  const code = await execute(argv, io as CliIO);
  return { code, stdout, stderr };
}

async function json<T>(argv: string[], opts: { cwd?: string; stdin?: string } = {}): Promise<{ code: number; doc: T; stderr: string }> {
  const r = await ls([...argv, '--format', 'json'], opts);
  try {
    return { code: r.code, doc: JSON.parse(r.stdout) as T, stderr: r.stderr };
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
}

interface Group {
  count: number;
  state: string;
  waitMinutes: { min: number; max: number } | null;
  suspect: boolean;
  reason: string;
  rule: string;
  location: { function: string; file: string; line: number };
  createdBy: { function: string; file: string; line: number } | null;
  labels: Record<string, string>;
  stack: { function: string; file: string; line: number }[];
  sourceLine: string | null;
  static: { ruleId: string; line: number; message: string; fixHint?: string }[];
}
interface GReport {
  total: number;
  truncated: boolean;
  groups: Group[];
}

const base = (f: string) => f.slice(f.lastIndexOf('/') + 1);
const suspects = (r: GReport) => r.groups.filter((g) => g.suspect).map((g) => `${base(g.location.file)}:${g.location.line}`).sort();

/** Expects a clean one-line failure: exit 2, a single stderr line naming `source`, nothing on stdout. */
function expectOneLineError(r: Result, source: string, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
  expect(r.stderr).toMatch(/^leakscope: /);
  expect(r.stderr).toContain(source);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
}

/** A debug=2 dump with `n` goroutines blocked at `file:line` in `fn` (plus one healthy accept loop). */
function dump(n: number, file: string, line: number, fn = 'example.com/app.Fetch.func1', state = 'chan send', extra = ''): string {
  const gs: string[] = [
    `goroutine 1 [IO wait]:\ninternal/poll.runtime_pollWait(0x7f, 0x72)\n\t/usr/local/go/src/runtime/netpoll.go:351 +0x85\nnet/http.(*Server).Serve(0xc000100000, {0x7a, 0xc0})\n\t/usr/local/go/src/net/http/server.go:3434 +0x30c\nmain.main()\n\t/srv/main.go:20 +0x1f\n`,
  ];
  for (let i = 0; i < n; i++) {
    gs.push(`goroutine ${10 + i} [${state}]:${extra}\n${fn}()\n\t${file}:${line} +0x2b\ncreated by example.com/app.Fetch in goroutine 1\n\t${file}:${line - 1} +0x6f\n`);
  }
  return gs.join('\n');
}

const servers: http.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});
afterAll(() => removeTempDirs());

function serve(handler: http.RequestListener): Promise<string> {
  const s = http.createServer(handler);
  servers.push(s);
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as net.AddressInfo).port}`)));
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('leakscope goroutines', () => {
  it('text: suspect groups first with state, wait, creator and stack; healthy groups summarised; exit 1', async () => {
    const r = await ls(['goroutines', 'debug2-leaky.txt', '--no-source']);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^debug2-leaky\.txt: 30 goroutines \(debug2\) in 14 groups; 6 suspected leaked goroutines in 2 groups$/);
    const firstSuspect = lines.findIndex((l) => l.startsWith('SUSPECT'));
    const healthy = lines.findIndex((l) => l.startsWith('Not suspect'));
    expect(firstSuspect).toBeGreaterThan(0);
    expect(healthy).toBeGreaterThan(firstSuspect);
    expect(r.stdout).toContain('SUSPECT 3 goroutines [chan receive (nil chan), <1 min]');
    expect(r.stdout).toMatch(/created by main\.nilChannel at \S+main\.go:\d+ in goroutine 1/);
    expect(r.stdout).toMatch(/why: 3 goroutine\(s\) blocked forever in select \{\} \(no cases\)/);
    // healthy groups are one line each, with the idler that excused them
    expect(lines.slice(healthy).join('\n')).toMatch(/IO wait.*idler:http-accept/);
    expect(lines.slice(healthy).join('\n')).toMatch(/os\/signal\.signal_recv.*idler:signal/);
    expect(r.stdout).not.toMatch(/^ok /m);
    // --no-source: no code frame
    expect(r.stdout).not.toMatch(/^\s+> \d+ \|/m);
    const all = await ls(['goroutines', 'debug2-leaky.txt', '--no-source', '--all']);
    expect(all.stdout).toMatch(/^ok 1 goroutine \[IO wait, <1 min\]$/m);
  });

  it('--format json follows the contract and --min-group / --long-wait change the verdicts', async () => {
    const { code, doc } = await json<GReport>(['goroutines', 'debug2-leaky.txt', '--no-source']);
    expect(code).toBe(1);
    expect(doc.total).toBe(30);
    expect(doc.truncated).toBe(false);
    for (const g of doc.groups) {
      for (const k of ['count', 'state', 'waitMinutes', 'suspect', 'reason', 'location', 'createdBy', 'labels', 'stack']) expect(g).toHaveProperty(k);
      expect(Object.keys(g.location).sort()).toEqual(['file', 'function', 'line']);
    }
    expect(suspects(doc)).toEqual(['main.go:115', 'main.go:122']);
    // Suspect groups come first.
    expect(doc.groups.slice(0, 2).every((g) => g.suspect)).toBe(true);
    const three = await json<GReport>(['goroutines', 'debug2-leaky.txt', '--no-source', '--min-group', '3']);
    expect(suspects(three.doc)).toEqual(['main.go:115', 'main.go:122', 'main.go:48', 'main.go:61', 'main.go:70', 'main.go:83', 'main.go:96', 'main.go:107'].sort());
    // go120-variants: a single goroutine blocked 12 minutes; --long-wait 15 excuses it.
    const lw = await json<GReport>(['goroutines', 'go120-variants.txt', '--no-source']);
    expect(lw.doc.groups.find((g) => g.location.line === 41)).toMatchObject({ suspect: true, rule: 'blocked-long-wait', waitMinutes: { min: 12, max: 12 } });
    const lw15 = await json<GReport>(['goroutines', 'go120-variants.txt', '--no-source', '--long-wait', '15']);
    expect(lw15.doc.groups.find((g) => g.location.line === 41)?.suspect).toBe(false);
  });

  it.each([
    ['debug1-leaky.txt', 0],
    ['debug0-leaky.pb.gz', 1],
    ['debug2-goroutineleak.txt', 1],
    ['debug1-goroutineleak.txt', 1],
    ['debug0-goroutineleak.pb.gz', 1],
    ['test-timeout.txt', 1],
    ['sigquit-gotraceback-system.txt', 0],
    ['goleak.txt', 1],
    ['synctest-panic.txt', 0],
    ['go123-crash-variants.txt', 1],
  ])('reads %s (exit %i)', async (file, expected) => {
    const { code, doc } = await json<GReport>(['goroutines', file, '--no-source']);
    expect(code).toBe(expected);
    expect(doc.total).toBeGreaterThan(0);
    expect(code === 1).toBe(doc.groups.some((g) => g.suspect));
  });

  it('the goroutineleak profile marks exactly the runtime-proved sites as suspect', async () => {
    const { doc } = await json<GReport & { leakProfile: boolean; groups: (Group & { leaked: number })[] }>(['goroutines', 'debug2-goroutineleak.txt', '--no-source']);
    expect(doc.leakProfile).toBe(true);
    for (const g of doc.groups) expect(g.suspect, `${g.location.function}`).toBe(g.leaked > 0 || g.rule === 'never-wakes');
    expect(doc.groups.filter((g) => g.rule === 'runtime-leaked').length).toBeGreaterThan(0);
  });

  it('a deadlock crash and a goleak failure are evidence on their own, whatever the group size', async () => {
    const dl = await json<GReport>(['goroutines', 'go123-crash-variants.txt', '--no-source']);
    expect(dl.code).toBe(1);
    expect(dl.doc.groups.map((g) => [g.location.function, g.location.line, g.rule]).sort()).toEqual([
      ['main.deep', 12, 'runtime-deadlock'],
      ['main.main', 21, 'runtime-deadlock'],
    ]);
    expect(dl.doc.groups[0]!.reason).toMatch(/all goroutines are asleep - deadlock!/);
    const gl = await json<GReport>(['goroutines', 'goleak.txt', '--no-source']);
    expect(gl.doc.groups.map((g) => [g.location.function, g.suspect, g.rule]).sort()).toEqual([
      ['fx/gl.leak.func1', true, 'goleak'],
      ['fx/gl.leakLock.func1', true, 'goleak'],
    ]);
  });

  it('says when a dump was truncated', async () => {
    const { doc } = await json<GReport>(['goroutines', 'truncated-debug2.txt', '--no-source']);
    expect(doc.truncated).toBe(true);
    const r = await ls(['goroutines', 'truncated-debug2.txt', '--no-source']);
    expect(r.stdout).toMatch(/warning: the dump was truncated/);
  });

  it('reads stdin with "-", and --similarity exact splits groups that similar and site merge', async () => {
    const text = fs.readFileSync(fx('debug2-leaky.txt'), 'utf8');
    const exact = await json<GReport>(['goroutines', '-', '--no-source', '--similarity', 'exact'], { stdin: text });
    const similar = await json<GReport>(['goroutines', '-', '--no-source'], { stdin: text });
    const site = await json<GReport>(['goroutines', '-', '--no-source', '--similarity', 'site'], { stdin: text });
    expect(exact.doc.total).toBe(30);
    expect(exact.doc.groups.length).toBeGreaterThan(similar.doc.groups.length);
    expect(similar.doc.groups.length).toBeGreaterThanOrEqual(site.doc.groups.length);
    expect((await ls(['goroutines', '-', '--no-source'], { stdin: text })).stdout).toMatch(/^<stdin>: 30 goroutines/);
  });

  it('shows the blocking line with a code frame and attaches the static finding and its fix when the source exists', async () => {
    const dir = tempTree({ 'go.mod': GO_MOD, 'app.go': ABANDONED_SENDER });
    const file = path.join(dir, 'app.go');
    fs.writeFileSync(path.join(dir, 'dump.txt'), dump(6, file, 8));
    const r = await ls(['goroutines', 'dump.txt'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('SUSPECT 6 goroutines [chan send, <1 min]');
    expect(r.stdout).toContain('at example.com/app.Fetch.func1 app.go:8');
    expect(r.stdout).toMatch(/^\s+>\s+8 \|\s+ch <- compute\(\)$/m);
    expect(r.stdout).toMatch(/static warning \[abandoned-sender\] app\.go:8: .*"ch"/);
    expect(r.stdout).toMatch(/^\s+fix: make the channel buffered/m);
    const { doc } = await json<GReport>(['goroutines', 'dump.txt'], { cwd: dir });
    const g = doc.groups.find((x) => x.suspect)!;
    expect(g.sourceLine).toBe('ch <- compute()');
    expect(g.static.map((s) => [s.ruleId, s.line])).toEqual([['abandoned-sender', 8]]);
    // --no-source: neither
    const ns = await json<GReport>(['goroutines', 'dump.txt', '--no-source'], { cwd: dir });
    expect(ns.doc.groups.find((x) => x.suspect)).toMatchObject({ sourceLine: null, static: [] });
    // --map-path: the profile was taken from a build at /build/app
    fs.writeFileSync(path.join(dir, 'dump2.txt'), dump(6, '/build/app/app.go', 8));
    const mapped = await json<GReport>(['goroutines', 'dump2.txt', '--map-path', `/build/app=${dir}`], { cwd: dir });
    expect(mapped.doc.groups.find((x) => x.suspect)?.static.map((s) => s.ruleId)).toEqual(['abandoned-sender']);
  });

  it('--format html is one self-contained page with the groups table and a goroutine flame graph; profile text is escaped', async () => {
    const dir = tempTree({});
    fs.writeFileSync(path.join(dir, 'dump.txt'), dump(5, '/srv/app.go', 8));
    const out = path.join(dir, 'report.html');
    const r = await ls(['goroutines', 'dump.txt', '--format', 'html', '-o', 'report.html', '--no-source'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const html = fs.readFileSync(out, 'utf8');
    expectSelfContained(html);
    expect(html).toContain('<table id="groups">');
    expect(html).toMatch(/<svg[^>]*class="flame"/);
    expect(html).toContain('example.com/app.Fetch.func1');
    expect(html).toMatch(/<rect [^>]*fill="hsl\(\d, /); // suspect stacks tinted red
    const evil = await ls(['goroutines', '-', '--format', 'html', '--no-source'], {
      stdin: 'goroutine 7 [chan receive]:\nmain.<script>alert(1)</script>()\n\t/srv/x.go:3 +0x1\n',
    });
    expect(evil.stdout).not.toContain('<script>alert');
    expect(evil.stdout).toContain('main.&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

/** Structural checks on an HTML report: one document, balanced blocks, no network references. */
function expectSelfContained(html: string): void {
  expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
  expect(html.trimEnd().endsWith('</html>')).toBe(true);
  for (const tag of ['html', 'head', 'body', 'table', 'svg', 'style', 'script', 'tbody', 'details']) {
    const open = html.match(new RegExp(`<${tag}[\\s>]`, 'g'))?.length ?? 0;
    const close = html.match(new RegExp(`</${tag}>`, 'g'))?.length ?? 0;
    expect(close, tag).toBe(open);
  }
  expect(html).toContain('<svg');
  expect(html).not.toMatch(/https?:\/\//);
  expect(html).not.toMatch(/<link\b|<img\b|<iframe\b|\bsrc=|@import|url\(/i);
}

describe('leakscope heap', () => {
  it('JSON: {sampleType, total, sites:[{function,file,line,flat,cum}]} sorted by flat, --top and --sample', async () => {
    const { code, doc } = await json<{ sampleType: string; total: number; sites: { function: string; file: string; line: number; flat: number; cum: number }[] }>([
      'heap',
      'heap.pb.gz',
      '--top',
      '3',
    ]);
    expect(code).toBe(0);
    expect(doc.sampleType).toBe('inuse_space');
    expect(doc.sites).toHaveLength(3);
    for (const s of doc.sites) expect(Object.keys(s).sort()).toEqual(['cum', 'file', 'flat', 'function', 'line']);
    expect(doc.sites[0]!.flat).toBeGreaterThanOrEqual(doc.sites[1]!.flat);
    expect(doc.sites[0]!.cum).toBeLessThanOrEqual(doc.total);
    const objs = await json<{ sampleType: string; sites: { flat: number }[] }>(['heap', 'heap-debug1.txt', '--sample', 'alloc_objects', '--top', '1']);
    expect(objs.doc).toMatchObject({ sampleType: 'alloc_objects', sites: [{ function: 'runtime/pprof.allFrames', flat: 2185 }] });
  });

  it('text shows flat and cumulative with percentages; html has a table and a flame graph', async () => {
    const r = await ls(['heap', 'heap.pb.gz', '--top', '2', '--no-source']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^heap\.pb\.gz: inuse_space total [\d.]+ KiB \(2 sites shown\)/);
    expect(r.stdout).toMatch(/flat\s+flat%\s+cum\s+cum%\s+site/);
    expect(r.stdout).toMatch(/100\.0%.*runtime\.mallocgc/);
    const h = await ls(['heap', 'heap.pb.gz', '--format', 'html']);
    expectSelfContained(h.stdout);
    expect(h.stdout).toContain('<table id="sites">');
    expect(h.stdout).toContain('runtime.mallocgc');
  });

  it('refuses a goroutine profile with a hint', async () => {
    const r = await ls(['heap', 'debug2-leaky.txt']);
    expectOneLineError(r, 'debug2-leaky.txt', /expected a heap or allocs profile, got a goroutine profile \(use "leakscope goroutines"\)/);
  });
});

describe('leakscope diff and trend', () => {
  it('diff: what grew, sorted by growth, exit 1 beyond --threshold', async () => {
    const dir = tempTree({});
    fs.writeFileSync(path.join(dir, 'a.txt'), dump(2, '/srv/app.go', 8));
    fs.writeFileSync(path.join(dir, 'b.txt'), dump(9, '/srv/app.go', 8));
    const { code, doc } = await json<{ kind: string; changes: { location: string; before: number; after: number; delta: number }[] }>(['diff', 'a.txt', 'b.txt'], { cwd: dir });
    expect(code).toBe(1);
    expect(doc.kind).toBe('goroutine');
    expect(doc.changes[0]).toEqual({ location: 'chan send @ example.com/app.Fetch.func1 /srv/app.go:8', before: 2, after: 9, delta: 7 });
    expect(doc.changes.map((c) => c.delta)).toEqual([...doc.changes.map((c) => c.delta)].sort((x, y) => y - x));
    expect((await ls(['diff', 'a.txt', 'b.txt', '--threshold', '7'], { cwd: dir })).code).toBe(0);
    expect((await ls(['diff', 'a.txt', 'b.txt', '--threshold', '6'], { cwd: dir })).code).toBe(1);
    const t = await ls(['diff', 'a.txt', 'b.txt'], { cwd: dir });
    expect(t.stdout).toMatch(/^!\s+\+7\s+2\s+9\s+chan send @ example\.com\/app\.Fetch\.func1 \/srv\/app\.go:8$/m);
    expect(t.stdout).toMatch(/1 location grew by more than the threshold \(0\)/);
    // same profile: nothing grew
    const same = await ls(['diff', 'heap.pb.gz', 'heap.pb.gz']);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('nothing grew');
    const html = await ls(['diff', 'a.txt', 'b.txt', '--format', 'html'], { cwd: dir });
    expectSelfContained(html.stdout);
    expect(html.stdout).toContain('<table id="changes">');
  });

  it('diff refuses profiles of different kinds', async () => {
    const r = await ls(['diff', 'heap.pb.gz', 'debug2-leaky.txt']);
    expectOneLineError(r, 'heap.pb.gz', /cannot diff a heap profile \(heap\.pb\.gz\) with a goroutine profile/);
  });

  it('trend: steady growth over 3+ snapshots is sustained (slope, R², projection); noise and stable are told apart', async () => {
    const dir = tempTree({});
    const counts = [2, 4, 6, 8];
    counts.forEach((n, i) => fs.writeFileSync(path.join(dir, `s${i}.txt`), dump(n, '/srv/app.go', 8) + '\n' + dump(i % 2 === 0 ? 1 : 3, '/srv/other.go', 5, 'example.com/app.Poll', 'select').split('\n\n').slice(1).join('\n\n')));
    const files = counts.map((_, i) => `s${i}.txt`);
    const { code, doc } = await json<{ kind: string; times: number[]; series: { location: string; values: number[]; slopePerHour: number; r2: number; projectedGrowthPerHour: number; verdict: string }[] }>(
      ['trend', ...files, '--interval', '1m'],
      { cwd: dir },
    );
    expect(code).toBe(1);
    expect(doc.kind).toBe('goroutine');
    expect(doc.times).toEqual([0, 60_000, 120_000, 180_000]);
    const grow = doc.series.find((s) => s.location.endsWith('/srv/app.go:8'))!;
    expect(grow).toMatchObject({ verdict: 'sustained-growth', values: [2, 4, 6, 8] });
    expect(grow.slopePerHour).toBeCloseTo(120, 6);
    expect(grow.r2).toBeCloseTo(1, 9);
    expect(grow.projectedGrowthPerHour).toBeCloseTo(120, 6);
    expect(doc.series.find((s) => s.location.endsWith('/srv/other.go:5'))?.verdict).toBe('noise');
    expect(doc.series.find((s) => s.location.includes('net/http'))?.verdict ?? 'stable').toBe('stable');
    const text = await ls(['trend', ...files, '--interval', '1m'], { cwd: dir });
    expect(text.stdout).toMatch(/^sustained-growth\s+\+120\s+1\.00\s+2 → 4 → 6 → 8\s+chan send @ example\.com\/app\.Fetch\.func1 \/srv\/app\.go:8$/m);
    const html = await ls(['trend', ...files, '--interval', '1m', '--format', 'html'], { cwd: dir });
    expectSelfContained(html.stdout);
    expect(html.stdout).toContain('<polyline');
    // flat series: exit 0
    const flat = await ls(['trend', 'debug2-leaky.txt', 'debug2-leaky.txt', 'debug2-leaky.txt', '--interval', '10s']);
    expect(flat.code).toBe(0);
    expect(flat.stdout).toContain('no sustained growth');
  });

  it('trend over heap snapshots reports sites in the sample unit', async () => {
    const { code, doc } = await json<{ kind: string; unit: string; sampleType: string; series: { verdict: string }[] }>(['trend', 'heap.pb.gz', 'heap.pb.gz', 'heap.pb.gz', '--interval', '30s']);
    expect(code).toBe(0);
    expect(doc).toMatchObject({ kind: 'heap', unit: 'bytes', sampleType: 'inuse_space' });
    expect(doc.series.length).toBeGreaterThan(0);
    expect(doc.series.every((s) => s.verdict === 'stable')).toBe(true);
  });

  it('trend needs 3 snapshots with distinct times', async () => {
    const two = await ls(['trend', 'debug2-leaky.txt', 'debug1-leaky.txt']);
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/^leakscope: trend needs at least 3 snapshots \(got 2\); .*--every/);
    const dir = tempTree({ 'a.txt': dump(1, '/x.go', 3), 'b.txt': dump(2, '/x.go', 3), 'c.txt': dump(3, '/x.go', 3) });
    const t = new Date('2026-01-01T00:00:00Z');
    for (const f of ['a.txt', 'b.txt', 'c.txt']) fs.utimesSync(path.join(dir, f), t, t);
    const same = await ls(['trend', 'a.txt', 'b.txt', 'c.txt'], { cwd: dir });
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(/no distinct timestamps.*--interval/);
    // modification times, one minute apart, are used when present
    ['a.txt', 'b.txt', 'c.txt'].forEach((f, i) => fs.utimesSync(path.join(dir, f), new Date(t.getTime() + i * 60_000), new Date(t.getTime() + i * 60_000)));
    const ok = await json<{ times: number[] }>(['trend', 'a.txt', 'b.txt', 'c.txt'], { cwd: dir });
    expect(ok.doc.times).toEqual([0, 1, 2].map((i) => t.getTime() + i * 60_000));
  });
});

describe('bad input: one line naming the source, exit 2, nothing written', () => {
  it('missing file, directory, empty file, non-profile text, JSON, corrupt protobuf, gzip bomb, race report', async () => {
    const dir = tempTree({
      'empty.txt': '',
      'notes.txt': 'hello\nthis is not a profile\n',
      'data.json': '{"goroutines": []}',
      'corrupt.pb': Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x12, 0x03, 0x01]),
      'bomb.gz': gzipSync(Buffer.alloc(8 << 20)),
      'login.html': '<!DOCTYPE html><html><body><form action="/login">Sign in</form></body></html>',
    });
    fs.mkdirSync(path.join(dir, 'sub'));
    const cases: [string[], string, RegExp][] = [
      [['goroutines', 'nope.txt'], 'nope.txt', /no such file/],
      [['goroutines', 'sub'], 'sub', /is a directory/],
      [['goroutines', 'empty.txt'], 'empty.txt', /empty input/],
      [['goroutines', 'notes.txt'], 'notes.txt', /not a Go goroutine, heap or race profile/],
      [['goroutines', 'data.json'], 'data.json', /looks like JSON/],
      [['goroutines', 'login.html'], 'login.html', /HTML page/],
      [['heap', 'corrupt.pb'], 'corrupt.pb', /corrupt pprof protobuf/],
      [['goroutines', 'bomb.gz', '--max-bytes', '1MiB'], 'bomb.gz', /gzip bomb/],
      [['goroutines', path.join(TESTDATA, 'race.txt')], 'race.txt', /got a data race report/],
    ];
    for (const [argv, src, re] of cases) {
      const out = path.join(dir, 'out.json');
      const r = await ls([...argv, '-o', out], { cwd: dir });
      expectOneLineError(r, src, re);
      expect(fs.existsSync(out), argv.join(' ')).toBe(false);
      expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
    }
  });

  it('-o to a missing directory is refused before fetching', async () => {
    const r = await ls(['goroutines', 'debug2-leaky.txt', '-o', 'no/such/dir/r.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^leakscope: cannot write the report to no\/such\/dir\/r\.json: directory no\/such\/dir does not exist\n$/);
  });

  it('-o writes the report atomically', async () => {
    const dir = tempTree({});
    const r = await ls(['goroutines', fx('debug2-leaky.txt'), '-f', 'json', '-o', 'r.json', '--no-source'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect((JSON.parse(fs.readFileSync(path.join(dir, 'r.json'), 'utf8')) as GReport).total).toBe(30);
    expect(fs.readdirSync(dir)).toEqual(['r.json']);
  });
});

describe('URL sources', () => {
  it('fetches a profile over HTTP (Content-Encoding gzip too) and reports the same as the file', async () => {
    const body = fs.readFileSync(fx('debug2-leaky.txt'));
    const url = await serve((req, res) => {
      if (req.url?.startsWith('/gz')) {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
        res.end(gzipSync(body));
      } else if (req.url?.startsWith('/redirect')) {
        res.writeHead(302, { location: '/debug/pprof/goroutine?debug=2' });
        res.end();
      } else {
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(body);
      }
    });
    const file = await json<GReport>(['goroutines', 'debug2-leaky.txt', '--no-source']);
    for (const p of ['/debug/pprof/goroutine?debug=2', '/gz', '/redirect']) {
      const r = await json<GReport & { source: string }>(['goroutines', `${url}${p}`, '--no-source']);
      expect(r.code).toBe(1);
      expect(r.doc.source).toBe(`${url}${p}`);
      expect(suspects(r.doc)).toEqual(suspects(file.doc));
      expect(r.doc.total).toBe(30);
    }
    // protobuf served gzipped in the body, as net/http/pprof does for debug=0
    const pb = fs.readFileSync(fx('debug0-leaky.pb.gz'));
    const pbUrl = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(pb);
    });
    expect((await json<GReport>(['goroutines', `${pbUrl}/debug/pprof/goroutine`, '--no-source'])).doc.total).toBeGreaterThan(0);
  });

  it('connection refused, 404, 500, HTML login page (direct or by redirect), timeout, oversized body: one line, exit 2', async () => {
    const port = await freePort();
    const refused = `http://127.0.0.1:${port}/debug/pprof/goroutine?debug=2`;
    expectOneLineError(await ls(['goroutines', refused]), refused, /connection refused/);

    const url = await serve((req, res) => {
      if (req.url === '/missing') {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('Unknown profile\n');
      } else if (req.url === '/boom') {
        res.writeHead(500);
        res.end('server exploded\nsecond line');
      } else if (req.url === '/login' || req.url === '/debug/pprof/heap') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form>password</form></body></html>');
      } else if (req.url === '/protected') {
        res.writeHead(302, { location: '/login' });
        res.end();
      } else if (req.url === '/slow') {
        res.writeHead(200);
        res.write('goroutine 1 [running]:\n');
        // never ends
      } else if (req.url === '/big') {
        res.writeHead(200);
        res.end(Buffer.alloc(3 << 20, 0x61));
      } else {
        // hang without answering
      }
    });
    expectOneLineError(await ls(['goroutines', `${url}/missing`]), `${url}/missing`, /HTTP 404 Not Found: Unknown profile$/m);
    expectOneLineError(await ls(['goroutines', `${url}/boom`]), `${url}/boom`, /HTTP 500 Internal Server Error: server exploded$/m);
    expectOneLineError(await ls(['heap', `${url}/debug/pprof/heap`]), `${url}/debug/pprof/heap`, /HTML page \(a login page or an error page\?\)/);
    expectOneLineError(await ls(['goroutines', `${url}/protected`]), `${url}/protected`, /HTML page/);
    const t0 = Date.now();
    expectOneLineError(await ls(['goroutines', `${url}/hang`, '--timeout', '300ms']), `${url}/hang`, /timed out after 300ms/);
    expectOneLineError(await ls(['goroutines', `${url}/slow`, '--timeout', '300ms']), `${url}/slow`, /timed out after 300ms/);
    expect(Date.now() - t0).toBeLessThan(5000);
    expectOneLineError(await ls(['goroutines', `${url}/big`, '--max-bytes', '1MiB']), `${url}/big`, /larger than 1048576 bytes/);
    const dir = tempTree({});
    const r = await ls(['goroutines', `${url}/missing`, '-o', 'r.json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('trend --every needs exactly one URL', async () => {
    const r = await ls(['trend', 'debug2-leaky.txt', '--every', '1s']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('leakscope: --every samples one URL: give exactly one http(s):// source\n');
    const bad = await ls(['goroutines', 'debug2-leaky.txt', '--timeout', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--timeout expects a duration/);
  });
});
