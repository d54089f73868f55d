/**
 * Golden tests over captured fixtures (src/profiles/testdata, see its
 * README.md for provenance). Each fixture is parsed through the public
 * dispatcher and compared as a normalized summary; the key facts are also
 * asserted explicitly so a snapshot update cannot silently change them.
 */
import { describe, expect, it } from 'vitest';
import { readProfile, type GoroutineProfile, type HeapProfile, type RaceProfile } from '../../src/profiles/index.js';
import { fixture, short, summarize } from './helpers.js';

const goroutines = (name: string) => readProfile(fixture(name), name) as GoroutineProfile;

describe('captured fixtures', () => {
  it.each([
    'debug2-leaky.txt',
    'debug2-goroutineleak.txt',
    'debug1-leaky.txt',
    'debug1-goroutineleak.txt',
    'debug0-leaky.pb.gz',
    'debug0-goroutineleak.pb.gz',
    'heap.pb.gz',
    'heap-debug1.txt',
    'test-timeout.txt',
    'goleak.txt',
    'synctest-panic.txt',
    'sigquit-gotraceback-system.txt',
    'race.txt',
    'go120-variants.txt',
    'go123-crash-variants.txt',
    'truncated-debug2.txt',
  ])('%s matches its golden summary', (name) => {
    expect(summarize(readProfile(fixture(name), name))).toMatchSnapshot();
  });

  it('debug=2 from Go 1.26: states, labels header, creators with goroutine ids', () => {
    const p = goroutines('debug2-leaky.txt');
    expect(p.format).toBe('debug2');
    expect(p.truncated).toBe(false);
    expect(p.total).toBe(p.goroutines.length);
    const worker = p.goroutines.find((g) => g.frames[0]?.function === 'main.worker')!;
    expect(worker.state).toBe('select');
    expect(worker.labels).toEqual({ role: 'worker' });
    const sender = p.goroutines.find((g) => g.frames[0]?.function === 'main.abandonedSender.func1')!;
    expect(sender.state).toBe('chan send');
    expect(sender.createdBy).toMatchObject({ function: 'main.abandonedSender', goroutineId: 1 });
    const lock = p.goroutines.find((g) => g.state === 'sync.Mutex.Lock')!;
    // Go 1.24 moved the mutex slow path to internal/sync.
    expect(lock.frames.map((f) => f.function)).toContain('internal/sync.(*Mutex).lockSlow');
    expect(p.goroutines.some((g) => g.state === 'chan receive (nil chan)')).toBe(true);
    expect(p.goroutines.some((g) => g.state === 'select (no cases)')).toBe(true);
  });

  it('goroutineleak debug=2 marks (leaked) goroutines and keeps the base state', () => {
    const p = goroutines('debug2-goroutineleak.txt');
    expect(p.leakProfile).toBe(true);
    const leaked = p.goroutines.filter((g) => g.leaked);
    expect(leaked.length).toBeGreaterThan(10);
    expect(new Set(leaked.map((g) => g.state))).toEqual(
      new Set(['chan send', 'chan receive', 'select', 'sync.Mutex.Lock', 'sync.WaitGroup.Wait', 'chan receive (nil chan)', 'select (no cases)']),
    );
    // Healthy goroutines are not marked.
    expect(p.goroutines.find((g) => g.frames[0]?.function === 'main.worker')!.leaked).toBe(false);
  });

  it('goroutineleak debug=1 and protobuf are leak profiles whose records are all leaked', () => {
    for (const name of ['debug1-goroutineleak.txt', 'debug0-goroutineleak.pb.gz']) {
      const p = goroutines(name);
      expect(p.leakProfile, name).toBe(true);
      expect(p.goroutines.every((g) => g.leaked), name).toBe(true);
    }
    const d1 = goroutines('debug1-goroutineleak.txt');
    expect(d1.total).toBe(23);
  });

  it('debug=1 reads counts, labels and frames; protobuf infers states from runtime frames', () => {
    const d1 = goroutines('debug1-leaky.txt');
    expect(d1.format).toBe('debug1');
    const w = d1.goroutines.find((g) => g.frames[0]?.function === 'main.worker')!;
    expect(w.labels).toEqual({ role: 'worker' });
    const d0 = goroutines('debug0-leaky.pb.gz');
    expect(d0.format).toBe('debug0');
    expect(d0.total).toBe(d1.total);
    const states = new Set(d0.goroutines.map((g) => g.state));
    for (const s of ['chan send', 'chan receive', 'select', 'select (no cases)', 'sync.Mutex.Lock', 'sync.WaitGroup.Wait', 'IO wait']) {
      expect(states, s).toContain(s);
    }
    expect(d0.goroutines.find((g) => g.frames.some((f) => f.function === 'main.worker'))!.labels).toEqual({ role: 'worker' });
  });

  it('heap text and protobuf agree on sample types and the top inuse site', () => {
    const t = readProfile(fixture('heap-debug1.txt'), 'heap-debug1.txt') as HeapProfile;
    const b = readProfile(fixture('heap.pb.gz'), 'heap.pb.gz') as HeapProfile;
    expect(t.sampleTypes).toEqual(b.sampleTypes);
    expect(t.period).toBe(b.period);
    const top = (p: HeapProfile) =>
      [...p.samples].sort((x, y) => y.values[3]! - x.values[3]!).map((s) => short(s.stack[0]))[0];
    expect(top(t)).toBe(top(b));
  });

  it('go test timeout panic: running tests, nil-channel test goroutine, runtime-created alarm', () => {
    const p = goroutines('test-timeout.txt');
    expect(p.format).toBe('test-timeout');
    expect(p.panicMessage).toBe('test timed out after 2s');
    expect(p.runningTests).toEqual(['TestStuck']);
    const stuck = p.goroutines.find((g) => g.id === 18)!;
    expect(stuck.state).toBe('chan receive (nil chan)');
    expect(short(stuck.frames[0])).toBe('fx/timeout.TestStuck x_test.go:13');
    // "created by time.goFunc" without "in goroutine": runtime-created (parentGoid 0).
    expect(p.goroutines.find((g) => g.id === 20)!.createdBy).toEqual({ function: 'time.goFunc', file: '/usr/local/go/src/time/sleep.go', line: 215, offset: '0x2d' });
    // The trailing "FAIL" lines end the dump.
    expect(p.goroutines).toHaveLength(4);
  });

  it('goleak failure message: indented stacks with goleak headers', () => {
    const p = goroutines('goleak.txt');
    expect(p.format).toBe('goleak');
    expect(p.failedTest).toBe('TestLeak');
    expect(p.goroutines.map((g) => [g.id, g.state, short(g.frames.at(-1)), g.createdBy?.goroutineId])).toEqual([
      [19, 'chan receive', 'fx/gl.leak.func1 x_test.go:12', 18],
      [20, 'sync.Mutex.Lock', 'fx/gl.leakLock.func1 x_test.go:18', 18],
    ]);
  });

  it('synctest panic: (durable), synctest bubble N and quoted labels', () => {
    const p = goroutines('synctest-panic.txt');
    expect(p.format).toBe('panic');
    const g10 = p.goroutines.find((g) => g.id === 10)!;
    expect(g10).toMatchObject({ state: 'chan receive', durable: true, bubble: 1 });
    expect(g10.labels).toEqual({ request: 'r-1', tenant: 'acme "q"' });
    expect(p.goroutines.find((g) => g.id === 9)).toMatchObject({ state: 'running', bubble: 1, durable: false });
  });

  it('SIGQUIT with GOTRACEBACK=system: gp/m fields, fp/sp/pc suffixes, register dump after', () => {
    const p = goroutines('sigquit-gotraceback-system.txt');
    expect(p.format).toBe('sigquit');
    const g0 = p.goroutines.find((g) => g.id === 0)!;
    expect(g0).toMatchObject({ gp: '0xa2a8e0', m: '0', state: 'idle' });
    const g1 = p.goroutines.find((g) => g.id === 1)!;
    expect(g1.m).toBe('nil');
    expect(g1.frames[0]).toMatchObject({ function: 'runtime.gopark', line: 462, offset: '0xce' });
    expect(g1.frames.find((f) => f.file === '<autogenerated>')).toMatchObject({ line: 1 });
  });

  it('race report: accesses, goroutine ids and creation stacks', () => {
    const p = readProfile(fixture('race.txt'), 'race.txt') as RaceProfile;
    expect(p.kind).toBe('race');
    expect(p.reportedCount).toBe(1);
    const r = p.races[0]!;
    expect(r.accesses.map((a) => [a.op, a.write, a.previous])).toEqual([
      ['Read', false, false],
      ['Previous write', true, true],
    ]);
    expect(r.accesses.every((a) => a.goroutineId !== undefined && short(a.stack[0]) === 'main.main.func1 main.go:15')).toBe(true);
    expect(r.goroutines.map((g) => g.status).sort()).toEqual(['finished', 'running']);
    expect(short(r.goroutines[0]!.createdAt[0])).toBe('main.main main.go:13');
  });

  it('Go <= 1.20 shapes: created by without goroutine id, additional frames elided, minutes, locked, scan, stack unavailable', () => {
    const p = goroutines('go120-variants.txt');
    expect(p.goVersionHint).toBe('<=1.20');
    const byId = new Map(p.goroutines.map((g) => [g.id, g]));
    expect(byId.get(1)).toMatchObject({ state: 'chan receive', waitMinutes: 12 });
    expect(byId.get(18)).toMatchObject({ state: 'select', waitMinutes: 7, lockedToThread: true });
    expect(byId.get(18)!.createdBy).toEqual({ function: 'main.main', file: '/srv/svc/main.go', line: 35, offset: '0x6a' });
    expect(byId.get(19)).toMatchObject({ state: 'semacquire', scan: true });
    expect(byId.get(20)).toMatchObject({ state: 'running', stackUnavailable: true, frames: [] });
    expect(byId.get(21)).toMatchObject({ elided: true, waitMinutes: 3 });
  });

  it('Go 1.21+ crash shapes: gp= m= mp= header, N frames elided, trailing "exit status"', () => {
    const p = goroutines('go123-crash-variants.txt');
    expect(p.panicMessage).toBe('all goroutines are asleep - deadlock!');
    expect(p.goroutines[0]).toMatchObject({ id: 1, gp: '0xc000002380', m: '0' });
    expect(p.goroutines[1]).toMatchObject({ id: 6, elided: 40, m: 'nil' });
    expect(p.goroutines[1]!.frames).toHaveLength(3);
    expect(p.goroutines[1]!.createdBy).toMatchObject({ function: 'main.main', goroutineId: 1, line: 18 });
  });

  it('a dump cut mid-goroutine parses up to the last complete goroutine', () => {
    const full = goroutines('debug2-leaky.txt');
    const cut = goroutines('truncated-debug2.txt');
    expect(cut.truncated).toBe(true);
    expect(cut.goroutines.length).toBe(8);
    expect(cut.goroutines.map((g) => g.id)).toEqual(full.goroutines.slice(0, 8).map((g) => g.id));
  });
});
