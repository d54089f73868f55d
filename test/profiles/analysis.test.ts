/**
 * Grouping, classification, heap ranking, diff and trend on fixtures and on
 * small synthetic dumps written in the exact debug=2 shape.
 */
import { describe, expect, it } from 'vitest';
import {
  blockingSite,
  userFrames,
  classifyGroup,
  diffProfiles,
  goroutineReport,
  groupGoroutines,
  isStdlib,
  linearFit,
  parseGoroutineDump,
  readProfile,
  topAllocationSites,
  trendProfiles,
  type GoroutineProfile,
  type HeapProfile,
} from '../../src/profiles/index.js';
import { fixture, short } from './helpers.js';

/** Builds a debug=2 dump from compact goroutine specs. */
function dump(specs: { id: number; header: string; frames: [string, string][]; created?: [string, string, number?] }[]): GoroutineProfile {
  const text = specs
    .map((s) => {
      const lines = [`goroutine ${s.id} [${s.header}]:`];
      for (const [fn, loc] of s.frames) lines.push(fn, `\t${loc}`);
      if (s.created) lines.push(`created by ${s.created[0]}${s.created[2] !== undefined ? ` in goroutine ${s.created[2]}` : ''}`, `\t${s.created[1]}`);
      return lines.join('\n');
    })
    .join('\n\n');
  return parseGoroutineDump(text + '\n', 'synthetic');
}

const verdicts = (p: GoroutineProfile) =>
  goroutineReport(p).groups.map((g) => `${g.suspect ? 'SUSPECT' : 'ok'} ${g.rule} x${g.count} ${short(g.location)}`);

describe('grouping', () => {
  const p = dump([
    { id: 1, header: 'chan receive', frames: [['main.f(0x1)', '/a/m.go:10 +0x1']], created: ['main.g', '/a/m.go:20 +0x5', 1] },
    { id: 2, header: 'chan receive', frames: [['main.f(0x2)', '/a/m.go:10 +0x1']], created: ['main.g', '/a/m.go:20 +0x5', 1] },
    { id: 3, header: 'chan receive, 4 minutes', frames: [['main.f(0x2)', '/a/m.go:10 +0x1']], created: ['main.h', '/a/m.go:30 +0x5', 1] },
    { id: 4, header: 'select', frames: [['main.f(0x2)', '/a/m.go:10 +0x1']], created: ['main.g', '/a/m.go:20 +0x5', 1] },
  ]);

  it('exact splits by argument words, similar ignores them, site ignores creators', () => {
    expect(groupGoroutines(p, { similarity: 'exact' }).map((g) => g.ids).sort()).toEqual([[1], [2], [3], [4]]);
    expect(groupGoroutines(p, { similarity: 'similar' }).map((g) => g.ids)).toEqual([[1, 2], [3], [4]]);
    expect(groupGoroutines(p, { similarity: 'site' }).map((g) => g.ids)).toEqual([[1, 2, 3], [4]]);
  });

  it('wait minutes range, creator and shared labels per group', () => {
    const site = groupGoroutines(p, { similarity: 'site' })[0]!;
    expect(site).toMatchObject({ count: 3, state: 'chan receive', waitMinutes: { min: 0, max: 4 } });
    expect(short(site.createdBy)).toBe('main.g m.go:20');
    const labelled = parseGoroutineDump(
      'goroutine 1 [select labels:{"a": "1", "b": "x"}]:\nmain.w()\n\t/m.go:1 +0x1\n\ngoroutine 2 [select labels:{"a": "1", "b": "y"}]:\nmain.w()\n\t/m.go:1 +0x1\n',
      'l',
    );
    expect(groupGoroutines(labelled)[0]!.labels).toEqual({ a: '1' });
  });

  it('the blocking site skips runtime, sync and other standard library frames', () => {
    const g = readProfile(fixture('debug0-leaky.pb.gz'), 'x') as GoroutineProfile;
    const lock = g.goroutines.find((x) => x.state === 'sync.Mutex.Lock')!;
    expect(lock.frames[0]!.function).toBe('runtime.gopark');
    expect(blockingSite(lock.frames).function).toBe('main.doubleLock.func1');
    expect(isStdlib('net/http.(*Server).Serve')).toBe(true);
    expect(isStdlib('internal/sync.(*Mutex).lockSlow')).toBe(true);
    expect(isStdlib('github.com/x/y.F')).toBe(false);
    expect(isStdlib('main.main')).toBe(false);
    expect(isStdlib('fx/gl.leak.func1')).toBe(false);
  });

  it('the blocking site skips instantiated generic library frames (sync.OnceValue), with and without -trimpath', () => {
    for (const name of ['debug2-oncevalue.txt', 'debug2-oncevalue-trimpath.txt']) {
      const g = readProfile(fixture(name), name) as GoroutineProfile;
      const waiter = g.goroutines.find((x) => x.state === 'sync.Mutex.Lock')!;
      // The instantiation is named after package main but lives in sync/oncefunc.go.
      expect(waiter.frames.some((f) => f.function === 'main.init.OnceValue[...].func2' && f.file.endsWith('sync/oncefunc.go'))).toBe(true);
      expect(blockingSite(waiter.frames)).toMatchObject({ function: 'main.main.func2', line: 19 });
      // The evidence readers and reports see only the program's own frames.
      expect(userFrames(waiter.frames).map((f) => f.function)).toEqual(['main.main.func2']);
      // The goroutine blocked inside the user's function keeps its own line.
      const receiver = g.goroutines.find((x) => x.state === 'chan receive')!;
      expect(blockingSite(receiver.frames)).toMatchObject({ function: 'main.init.func1', line: 13 });
    }
  });
});

describe('classification', () => {
  it('leaks vs healthy idlers in a real Go 1.26 dump', () => {
    const v = verdicts(readProfile(fixture('debug2-leaky.txt'), 'x') as GoroutineProfile);
    expect(v.filter((s) => s.startsWith('SUSPECT'))).toEqual([
      'SUSPECT never-wakes x3 main.nilChannel.func1 main.go:115',
      'SUSPECT never-wakes x3 main.selectNoCases.func1 main.go:122',
    ]);
    // The other leak groups have 3 goroutines here, below the default group size of 5.
    const lowered = goroutineReport(readProfile(fixture('debug2-leaky.txt'), 'x') as GoroutineProfile, { minGroupSize: 3 });
    expect(lowered.groups.filter((g) => g.suspect).map((g) => g.location.function).sort()).toEqual([
      'main.abandonedSender.func1',
      'main.doubleLock.func1',
      'main.forSelectNoExit.func1',
      'main.nilChannel.func1',
      'main.rangeNeverClosed.func1',
      'main.receiveNoSender.func1',
      'main.selectNoCases.func1',
      'main.waitGroupForever.func2',
    ]);
    const rules = new Map(lowered.groups.map((g) => [g.location.function, g.rule]));
    expect(rules.get('main.worker')).toBe('blocked-small-group');
    expect(rules.get('main.main.func2')).toBe('blocked-small-group');
    expect([...rules.values()]).toContain('idler:http-accept');
    expect([...rules.values()]).toContain('idler:signal');
    expect([...rules.values()]).toContain('idler:running');
  });

  it('the http accept loop is an idler between two Accepts too (runnable, running, in the accept syscall)', () => {
    const text = fixture('debug2-leaky.txt').toString('utf8');
    expect(text).toContain('goroutine 1 [IO wait]:');
    for (const state of ['runnable', 'running', 'syscall']) {
      const p = readProfile(Buffer.from(text.replace('goroutine 1 [IO wait]:', `goroutine 1 [${state}]:`)), 'x') as GoroutineProfile;
      const g = goroutineReport(p, { minGroupSize: 1 }).groups.find((x) => x.location.function === 'main.main');
      expect(g?.rule, state).toBe('idler:http-accept');
      expect(g?.suspect).toBe(false);
    }
  });

  it('runtime workers in a SIGQUIT dump are idlers', () => {
    const r = goroutineReport(readProfile(fixture('sigquit-gotraceback-system.txt'), 'x') as GoroutineProfile, { minGroupSize: 1 });
    const byFn = new Map(r.groups.map((g) => [g.stack.find((f) => !f.function.startsWith('runtime.gopark'))?.function, g]));
    for (const fn of ['runtime.forcegchelper', 'runtime.bgsweep', 'runtime.goparkunlock']) {
      const g = [...byFn.entries()].find(([k]) => k === fn)?.[1];
      if (g) expect(g.suspect, fn).toBe(false);
    }
    expect(r.groups.filter((g) => g.rule === 'idler:runtime-worker').length).toBeGreaterThanOrEqual(4);
    // minGroupSize 1 flags every blocked user goroutine, including the worker: that is the knob.
    expect(r.groups.find((g) => g.location.function === 'main.worker')?.suspect).toBe(true);
  });

  it('testing framework goroutines are idlers, the stuck test is not', () => {
    const r = goroutineReport(readProfile(fixture('test-timeout.txt'), 'x') as GoroutineProfile);
    expect(r.groups.map((g) => `${g.suspect ? 'SUSPECT' : 'ok'} ${g.rule} ${g.location.function}`).sort()).toEqual([
      'SUSPECT never-wakes fx/timeout.TestStuck',
      'ok blocked-small-group fx/timeout.TestStuck.func1',
      'ok idler:testing main.main',
      'ok idler:testing testing.(*M).startAlarm.func1',
    ]);
  });

  it('long waits, large groups, (leaked), select {} in main, HTTP client loops, handler blocked under conn.serve', () => {
    const p = dump([
      { id: 1, header: 'select (no cases)', frames: [['main.main()', '/m.go:9 +0x1']] },
      { id: 2, header: 'chan receive, 45 minutes', frames: [['main.consume(...)', '/m.go:20']], created: ['main.main', '/m.go:8 +0x1', 1] },
      { id: 3, header: 'select', frames: [['net/http.(*persistConn).readLoop(0xc0001)', '/go/src/net/http/transport.go:2395 +0xb7']], created: ['net/http.(*Transport).dialConn', '/go/src/net/http/transport.go:1944 +0x174f', 4] },
      { id: 4, header: 'chan receive', frames: [['main.handler(...)', '/m.go:40'], ['net/http.(*conn).serve(0xc0002)', '/go/src/net/http/server.go:2067 +0x6'] ] },
      { id: 5, header: 'sync.Cond.Wait (leaked)', frames: [['sync.runtime_notifyListWait(0x1)', '/go/src/runtime/sema.go:606 +0x1'], ['main.waiter()', '/m.go:50 +0x2']] },
      { id: 7, header: 'select, locked to thread', frames: [['runtime.gopark(0x1)', '/go/src/runtime/proc.go:462 +0xce'], ['runtime.selectgo(0x1)', '/go/src/runtime/select.go:351 +0x837'], ['runtime.ensureSigM.func1()', '/go/src/runtime/signal_unix.go:1085 +0x1bb']], created: ['runtime.ensureSigM', '/go/src/runtime/signal_unix.go:1068 +0xc8', 1] },
      { id: 6, header: 'IO wait, 300 minutes', frames: [['internal/poll.runtime_pollWait(0x1)', '/go/src/runtime/netpoll.go:351 +0x85'], ['net.(*conn).Read(0x1)', '/go/src/net/net.go:196 +0x45'], ['main.readPeer()', '/m.go:60 +0x1']] },
    ]);
    expect(verdicts(p).sort()).toEqual([
      'SUSPECT blocked-long-wait x1 main.consume m.go:20',
      'SUSPECT runtime-leaked x1 main.waiter m.go:50',
      'ok blocked-small-group x1 main.handler m.go:40',
      'ok idler:http-client-conn x1 net/http.(*persistConn).readLoop transport.go:2395',
      'ok idler:main-select x1 main.main m.go:9',
      'ok idler:runtime-internal x1 runtime.ensureSigM.func1 signal_unix.go:1085',
      'ok not-blocking x1 main.readPeer m.go:60',
    ]);
    const group = groupGoroutines(p).find((g) => g.location.function === 'main.handler')!;
    expect(classifyGroup({ ...group, count: 5 })).toMatchObject({ suspect: true, rule: 'blocked-large-group' });
  });

  it('debug=1 (no states): large groups parked in user code are suspect, small ones and stdlib are not', () => {
    const p = readProfile(fixture('debug1-leaky.txt'), 'x') as GoroutineProfile;
    const r = goroutineReport(p, { minGroupSize: 3 });
    expect(r.groups.filter((g) => g.suspect).map((g) => g.location.function).sort()).toEqual([
      'main.abandonedSender.func1',
      'main.doubleLock.func1',
      'main.forSelectNoExit.func1',
      'main.nilChannel.func1',
      'main.rangeNeverClosed.func1',
      'main.receiveNoSender.func1',
      'main.selectNoCases.func1',
      'main.waitGroupForever.func2',
    ]);
  });

  it('the JSON report has the contract fields', () => {
    const r = goroutineReport(readProfile(fixture('goleak.txt'), 'x') as GoroutineProfile);
    expect(Object.keys(r)).toEqual(expect.arrayContaining(['total', 'truncated', 'groups']));
    for (const g of r.groups) {
      expect(Object.keys(g)).toEqual(expect.arrayContaining(['count', 'state', 'waitMinutes', 'suspect', 'reason', 'location', 'createdBy', 'labels', 'stack']));
      expect(Object.keys(g.location).sort()).toEqual(['file', 'function', 'line']);
    }
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});

describe('heap', () => {
  const heap = readProfile(fixture('heap.pb.gz'), 'heap.pb.gz') as HeapProfile;

  it('flat is attributed to the innermost frame, cum to every frame once', () => {
    for (const type of ['inuse_space', 'inuse_objects', 'alloc_space', 'alloc_objects']) {
      const top = topAllocationSites(heap, { sampleType: type });
      const i = heap.sampleTypes.findIndex((t) => t.type === type);
      const total = heap.samples.reduce((a, s) => a + s.values[i]!, 0);
      expect(top.total, type).toBe(total);
      expect(top.sites.reduce((a, s) => a + s.flat, 0), type).toBe(total);
      for (const s of top.sites) expect(s.cum).toBeGreaterThanOrEqual(s.flat);
    }
    const alloc = topAllocationSites(heap, { sampleType: 'alloc_space', sortBy: 'cum', limit: 1 });
    expect(alloc.sites).toHaveLength(1);
    expect(alloc.unit).toBe('bytes');
  });

  it('recursion is counted once in cum', () => {
    const f = { function: 'main.rec', file: '/m.go', line: 3 };
    const p: HeapProfile = {
      kind: 'heap',
      source: 's',
      format: 'proto',
      sampleTypes: [{ type: 'inuse_space', unit: 'bytes' }],
      samples: [{ values: [100], stack: [f, f, f, { function: 'main.main', file: '/m.go', line: 9 }] }],
    };
    expect(topAllocationSites(p).sites).toEqual([
      { function: 'main.rec', file: '/m.go', line: 3, flat: 100, cum: 100 },
      { function: 'main.main', file: '/m.go', line: 9, flat: 0, cum: 100 },
    ]);
  });

  it('an unknown sample type names the available ones', () => {
    expect(() => topAllocationSites(heap, { sampleType: 'cpu' })).toThrow(
      'heap.pb.gz: no sample type "cpu" (have alloc_objects, alloc_space, inuse_objects, inuse_space)',
    );
  });
});

describe('diff and trend', () => {
  const snap = (n: number, workers = 1) =>
    dump([
      ...Array.from({ length: n }, (_, i) => ({ id: 100 + i, header: 'chan send', frames: [['main.leak.func1()', '/m.go:12 +0x1']] as [string, string][] })),
      ...Array.from({ length: workers }, (_, i) => ({ id: 10 + i, header: 'select', frames: [['main.worker()', '/m.go:30 +0x1']] as [string, string][] })),
    ]);

  it('goroutine diff is sorted by growth and drops unchanged groups', () => {
    const d = diffProfiles(snap(2, 3), snap(7, 1));
    expect(d).toEqual({
      kind: 'goroutine',
      totalBefore: 5,
      totalAfter: 8,
      changes: [
        { location: 'chan send @ main.leak.func1 /m.go:12', before: 2, after: 7, delta: 5 },
        { location: 'select @ main.worker /m.go:30', before: 3, after: 1, delta: -2 },
      ],
    });
    expect(() => diffProfiles(snap(1), readProfile(fixture('heap.pb.gz'), 'h') as HeapProfile)).toThrow(/cannot diff a goroutine profile/);
  });

  it('trend: linear growth is sustained, a flat series is stable, jitter is noise', () => {
    const minute = 60_000;
    const workers = [3, 1, 4, 1, 5];
    const t = trendProfiles([0, 1, 2, 3, 4].map((i) => ({ time: i * minute, profile: snap(10 + 5 * i, workers[i]) })));
    const by = new Map(t.series.map((s) => [s.location, s]));
    const leak = by.get('chan send @ main.leak.func1 /m.go:12')!;
    expect(leak.verdict).toBe('sustained-growth');
    expect(leak.slopePerHour).toBeCloseTo(300, 6);
    expect(leak.projectedGrowthPerHour).toBeCloseTo(300, 6);
    expect(leak.r2).toBeCloseTo(1, 12);
    expect(by.get('select @ main.worker /m.go:30')!.verdict).toBe('noise');
    const flat = trendProfiles([0, 1, 2].map((i) => ({ time: new Date(i * minute), profile: snap(4) })));
    expect(flat.series.every((s) => s.verdict === 'stable')).toBe(true);
    expect(() => trendProfiles([{ time: 0, profile: snap(1) }, { time: 1, profile: snap(2) }])).toThrow(/at least 3 snapshots/);
  });

  it('snapshots of different encodings are matched by site (debug=1 has no states)', () => {
    // Captured from the same process at the same moment.
    const d1 = readProfile(fixture('debug1-leaky.txt'), 'debug1') as GoroutineProfile;
    const d2 = readProfile(fixture('debug2-leaky.txt'), 'debug2') as GoroutineProfile;
    const d = diffProfiles(d1, d2);
    expect(d.changes.filter((c) => c.location.includes('/leaky/main.go:'))).toEqual([]);
    expect(d.changes.every((c) => !c.location.includes(' @ '))).toBe(true);
  });

  it('linearFit matches a hand computation', () => {
    const f = linearFit([0, 1, 2, 3], [1, 3, 2, 5]);
    expect(f.slope).toBeCloseTo(1.1, 12);
    expect(f.intercept).toBeCloseTo(1.1, 12);
    expect(f.r2).toBeCloseTo(0.6914285714285714, 12);
  });

  it('heap diff by allocation site', () => {
    const h = (bytes: number): HeapProfile => ({
      kind: 'heap',
      source: 'h',
      format: 'proto',
      sampleTypes: [{ type: 'inuse_space', unit: 'bytes' }],
      samples: [
        { values: [bytes], stack: [{ function: 'main.grow', file: '/m.go', line: 34 }] },
        { values: [4096], stack: [{ function: 'main.other', file: '/m.go', line: 50 }] },
      ],
    });
    expect(diffProfiles(h(1000), h(65000)).changes).toEqual([{ location: 'main.grow /m.go:34', before: 1000, after: 65000, delta: 64000 }]);
  });
});
