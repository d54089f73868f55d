/**
 * @fileoverview The evidence a program's source gives about a goroutine dump (issue 18,
 * parts 2 and 3), on Go source written to temp directories and debug=2 dumps in the
 * runtime's format pointing into them: the lock facts of frames (what a frame holds at
 * its line, what its Lock call takes), the wait-for graph and its cycles from mutex
 * addresses and argument words, self-deadlocks from a double-lock finding on the stack,
 * and idle pools versus pools nothing live can send to. The live services are in
 * test/cli/deadlocks-pools-live.test.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dumpEvidence } from '../src/analysis/evidence.js';
import { locksOfFrames } from '../src/analysis/lockquery.js';
import { argWords, classifyGroup, groupGoroutines, parseGoroutineDump, waitGraph, waitTarget, type FrameLockFacts } from '../src/profiles/index.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ls-evidence-')));
  dirs.push(d);
  for (const [k, v] of Object.entries(files)) fs.writeFileSync(path.join(d, k), v);
  return d;
}

function lineOf(text: string, marker: string): number {
  return text.split('\n').findIndex((l) => l.includes(marker)) + 1;
}

const BANK = `package main

import "sync"

type Account struct {
	id  int
	mu  sync.Mutex
	bal int
}

func transfer(from, to *Account, n int) {
	from.mu.Lock() // first
	defer from.mu.Unlock()
	to.mu.Lock() // second
	defer to.mu.Unlock()
	from.bal -= n
	to.bal += n
}

var global sync.Mutex

func withGlobal(a *Account) {
	global.Lock()
	a.mu.Lock() // inner
	a.mu.Unlock()
	global.Unlock()
}

func main() {}
`;

describe('lock facts of frames', () => {
  it('says what a frame holds at its line and what its Lock call takes, in the function\'s own names', () => {
    const d = tree({ 'go.mod': 'module example.com/bank\n\ngo 1.22\n', 'main.go': BANK });
    const file = path.join(d, 'main.go');
    const second = lineOf(BANK, '// second');
    const inner = lineOf(BANK, '// inner');
    const facts = locksOfFrames([
      { function: 'main.transfer', file, line: second },
      { function: 'main.withGlobal', file, line: inner },
      { function: 'main.transfer', file, line: lineOf(BANK, '// first') },
    ]);
    expect(facts.get(`${file}:${second}`)).toEqual({
      held: [{ key: 'p0.mu', tkey: 'Account.mu', text: 'from.mu', mode: 'W', root: 'p0', path: '.mu', lockedAt: lineOf(BANK, '// first') }],
      acquiring: { key: 'p1.mu', tkey: 'Account.mu', text: 'to.mu', mode: 'W', root: 'p1', path: '.mu' },
      method: false,
    });
    expect(facts.get(`${file}:${inner}`)?.held.map((h) => `${h.key} ${h.root} ${h.path}`)).toEqual(['g:global g:global ']);
    expect(facts.get(`${file}:${lineOf(BANK, '// first')}`)?.held).toEqual([]);
  });
});

describe('wait-for graph', () => {
  const frame = (fn: string, file: string, line: number, args: string): string => `${fn}(${args})\n\t${file}:${line} +0x1d`;
  const lockWait = (id: number, mutex: string, userFrames: string[]): string =>
    [`goroutine ${id} [sync.Mutex.Lock]:`, 'internal/sync.runtime_SemacquireMutex(0x0?, 0x0?, 0x0?)', '\t/usr/local/go/src/runtime/sema.go:95 +0x25', `internal/sync.(*Mutex).lockSlow(${mutex})`, '\t/usr/local/go/src/internal/sync/mutex.go:149 +0x15d', 'internal/sync.(*Mutex).Lock(...)', '\t/usr/local/go/src/internal/sync/mutex.go:70', 'sync.(*Mutex).Lock(...)', '\t/usr/local/go/src/sync/mutex.go:46', ...userFrames, `created by main.main in goroutine 1`, `\t/src/main.go:40 +0x8d`, ''].join('\n');

  it('reads the primitive each goroutine waits on from the argument words the runtime vouches for', () => {
    expect(argWords('0xc000010000, {0x5089b0, 0x1}, 0x0?')).toEqual(['0xc000010000', '{0x5089b0, 0x1}', '0x0?']);
    const p = parseGoroutineDump(Buffer.from(`${lockWait(7, '0xc0000a0010', [])}\n${lockWait(8, '0x0?', [])}\ngoroutine 9 [sync.WaitGroup.Wait]:\nsync.runtime_SemacquireWaitGroup(0x0?, 0x0?)\n\t/go/src/runtime/sema.go:114 +0x2e\nsync.(*WaitGroup).Wait(0xc0000b0000)\n\t/go/src/sync/waitgroup.go:206 +0x85\nmain.f()\n\t/src/main.go:9 +0x1\n`), 'x');
    expect(p.goroutines.map((g) => waitTarget(g))).toEqual([{ kind: 'mutex', address: '0xc0000a0010', mode: 'W' }, undefined, { kind: 'waitgroup', address: '0xc0000b0000' }]);
  });

  it('joins waiters to holders through names, offsets and addresses, and finds the cycle and who waits behind it', () => {
    // transfer(a, b) and transfer(b, a): each holds from.mu and waits for to.mu; the
    // mutex is 0x10 into Account, learned from the waiting frames.
    const A = '0xc0000a0000';
    const B = '0xc0000b0000';
    const text = [
      lockWait(7, '0xc0000b0010', [frame('main.transfer', '/src/main.go', 14, `${A}, ${B}, 0x1`)]),
      lockWait(8, '0xc0000a0010', [frame('main.transfer', '/src/main.go', 14, `${B}, ${A}, 0x2`)]),
      lockWait(9, '0xc0000a0010', [frame('main.audit', '/src/main.go', 30, A)]),
    ].join('\n');
    const p = parseGoroutineDump(Buffer.from(text), 'x');
    const model = (f: { function: string; line: number }): FrameLockFacts | undefined => {
      if (f.function === 'main.transfer')
        return {
          method: false,
          held: [{ key: 'p0.mu', tkey: 'Account.mu', text: 'from.mu', mode: 'W', root: 'p0', path: '.mu', lockedAt: 12 }],
          acquiring: { key: 'p1.mu', tkey: 'Account.mu', text: 'to.mu', mode: 'W', root: 'p1', path: '.mu' },
        };
      if (f.function === 'main.audit') return { method: false, held: [], acquiring: { key: 'p0.mu', tkey: 'Account.mu', text: 'a.mu', mode: 'W', root: 'p0', path: '.mu' } };
      return undefined;
    };
    const g = waitGraph(p, model);
    expect(g.edges.map((e) => `${e.waiter}->${e.holder} ${e.address} ${e.waiterLock}/${e.lock}@${e.lockedAt}`).sort()).toEqual([
      '7->8 0xc0000b0010 to.mu/from.mu@12',
      '8->7 0xc0000a0010 to.mu/from.mu@12',
      '9->7 0xc0000a0010 a.mu/from.mu@12',
    ]);
    expect(g.cycles).toEqual([expect.objectContaining({ goroutines: [7, 8], behind: [9] })]);
    expect(g.shared.get('mutex@0xc0000a0010')).toEqual([8, 9]);
    // Without the source: who waits with whom, but no holders and no cycle.
    const bare = waitGraph(p);
    expect(bare.edges).toEqual([]);
    expect(bare.shared.get('mutex@0xc0000a0010')).toEqual([8, 9]);
  });
});

const POOL = `package main

import "net/http"

type Pool struct{ jobs chan func() }

func NewPool(n int) *Pool {
	p := &Pool{jobs: make(chan func())}
	for i := 0; i < n; i++ {
		go p.worker() // spawn
	}
	return p
}

func (p *Pool) worker() {
	for f := range p.jobs { // worker
		f()
	}
}

func (p *Pool) Submit(f func()) { p.jobs <- f }

func run(n int) {
	jobs := make(chan int)
	for i := 0; i < n; i++ {
		go consume(jobs) // consumer-spawn
	}
	for i := 0; i < 3; i++ {
		jobs <- i // send
	}
}

func consume(jobs <-chan int) {
	for j := range jobs { // consumer-loop
		_ = j
	}
}

func main() {
	p := NewPool(4)
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { p.Submit(func() {}) })
	run(6)
	_ = http.ListenAndServe("127.0.0.1:0", nil)
}
`;

describe('idle pools', () => {
  const d = tree({ 'go.mod': 'module example.com/pool\n\ngo 1.22\n', 'main.go': POOL });
  const file = path.join(d, 'main.go');
  const L = (m: string): number => lineOf(POOL, `// ${m}`);
  const g = (id: number, state: string, fn: string, line: number, creator: string, cline: number, minutes = ''): string =>
    `goroutine ${id} [${state}${minutes}]:\n${fn}(...)\n\t${file}:${line}\ncreated by ${creator} in goroutine 1\n\t${file}:${cline} +0x1\n`;
  const server = `goroutine 1 [IO wait]:\ninternal/poll.runtime_pollWait(0x7f, 0x72)\n\t/go/src/runtime/netpoll.go:351 +0x85\nnet/http.(*Server).Serve(0xc000100000, {0x7a, 0xc0})\n\t/go/src/net/http/server.go:3434 +0x30c\nmain.main()\n\t${file}:${L('consumer-loop') + 10} +0x1f\n`;

  async function verdicts(text: string): Promise<Map<string, { rule: string; suspect: boolean; reason: string }>> {
    const p = parseGoroutineDump(Buffer.from(text), 'x');
    const groups = groupGoroutines(p);
    const ev = await dumpEvidence(p, groups, { findings: [] });
    return new Map(groups.map((grp) => [`${grp.location.line}`, classifyGroup(grp, {}, p, ev.groups.get(grp.key))]));
  }

  it('a pool on a field that a request handler can still fill is idle; it turns suspect only when it has waited past the threshold', async () => {
    const workers = (minutes = ''): string => [1, 2, 3, 4].map((i) => g(10 + i, 'chan receive', 'main.(*Pool).worker', L('worker'), 'main.NewPool', L('spawn'), minutes)).join('\n');
    const idle = await verdicts(`${server}\n${workers()}`);
    expect(idle.get(`${L('worker')}`)).toMatchObject({ suspect: false, rule: 'idle-pool' });
    expect(idle.get(`${L('worker')}`)!.reason).toMatch(/Pool\.Submit \(main\.go:\d+\) sends on p\.jobs, and a goroutine serving requests \(net\/http\.\(\*Server\)\.Serve\) can call it/);
    const old = await verdicts(`${server}\n${workers(', 12 minutes')}`);
    expect(old.get(`${L('worker')}`)).toMatchObject({ suspect: true, rule: 'idle-pool-long-wait' });
    // Without the server goroutine, nothing live can call Submit: the same workers are
    // not idle any more, but with 4 of them (fewer than 5) that alone does not make them suspect.
    expect((await verdicts(workers())).get(`${L('worker')}`)).toMatchObject({ suspect: false, rule: 'blocked-small-group' });
  });

  it('consumers of a local channel whose function returned are leaked whatever their number; while it can still send they are idle', async () => {
    const consumers = [1, 2].map((i) => g(20 + i, 'chan receive', 'main.consume', L('consumer-loop'), 'main.run', L('consumer-spawn'))).join('\n');
    const gone = await verdicts(`${server}\n${consumers}`);
    expect(gone.get(`${L('consumer-loop')}`)).toMatchObject({ suspect: true, rule: 'no-live-sender' });
    expect(gone.get(`${L('consumer-loop')}`)!.reason).toMatch(/the only code that sends on or closes jobs \(main\.go:\d+\) cannot run again: run returned/);
    // run still on a stack, before its sends (blocked in the first send's loop).
    const running = `goroutine 30 [chan send]:\nmain.run(...)\n\t${file}:${L('send')}\nmain.main()\n\t${file}:${L('consumer-loop') + 12}\n`;
    const alive = await verdicts(`${server}\n${consumers}\n${running}`);
    expect(alive.get(`${L('consumer-loop')}`)).toMatchObject({ suspect: false, rule: 'idle-pool' });
  });
});
