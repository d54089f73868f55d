/**
 * The blocking-state search (issue 14): witness traces checked step by step on the rule
 * fixtures, the engine on hand-built models (budgets, symmetry, partial-order reduction),
 * SARIF code flows validated against the SARIF 2.1.0 schema, JSON and text traces, the
 * deduplication against older rules, and `leakscope explain`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../src/analysis/engine.js';
import type { Finding } from '../src/analysis/finding.js';
import { wordOffsets } from '../src/analysis/search/callsites.js';
import { explore } from '../src/analysis/search/explore.js';
import type { Instr, Model } from '../src/analysis/search/model.js';
import { SourceFile } from '../src/go/source.js';
import { explainAt, formatExplanation, parseFileLine } from '../src/cli/explain.js';
import { execute } from '../src/cli/main.js';
import { buildJsonReport } from '../src/report/json.js';
import { buildSarif } from '../src/report/sarif.js';
import { formatText } from '../src/report/text.js';
import { ALL_RULES } from '../src/rules/index.js';

const BF = path.resolve(__dirname, '../src/rules/blocked-forever/testdata');
const LCC = path.resolve(__dirname, '../src/rules/lock-channel-cycle/testdata');

let bf: Finding[] = [];
let lcc: Finding[] = [];
beforeAll(async () => {
  bf = (await analyze([BF], { only: ['blocked-forever'], noConfig: true, workers: 0, yieldToDisabled: false })).findings;
  lcc = (await analyze([LCC], { only: ['lock-channel-cycle'], noConfig: true, workers: 0, yieldToDisabled: false })).findings;
});

/** The trace of the finding on `line` as [line, message] pairs. */
function steps(fs: Finding[], file: string, line: number): Array<[number, string]> {
  const f = fs.find((x) => x.file.endsWith(file) && x.range.start.line === line);
  expect(f, `a finding at ${file}:${line}`).toBeDefined();
  return (f?.trace ?? []).map((t) => [t.range.start.line, t.message]);
}

describe('witness traces, step by step', () => {
  it('timeout abandons the result: the timer case, then the sender blocks', () => {
    expect(steps(bf, 'chans.go', 17)).toEqual([
      [15, 'timeoutLeak: starts goroutine #1 (the goroutine started at line 15)'],
      [22, 'timeoutLeak: takes "case <-time.After(time.Second)" (a channel the model does not track: it may be ready at any time)'],
      [17, '#1 the goroutine started at line 15: blocks forever sending on "ch"'],
    ]);
  });

  it('the receiver leaves on the first error while two senders remain', () => {
    expect(steps(bf, 'chans.go', 48)).toEqual([
      [45, 'firstError: runs iteration 1 of 3 of the loop'],
      [46, 'firstError: starts goroutine #1 (the goroutine started at line 46)'],
      [45, 'firstError: runs iteration 2 of 3 of the loop'],
      [46, 'firstError: starts goroutine #2 (the goroutine started at line 46)'],
      [45, 'firstError: runs iteration 3 of 3 of the loop'],
      [46, 'firstError: starts goroutine #3 (the goroutine started at line 46)'],
      [45, 'firstError: leaves the loop after 3 iterations'],
      [51, 'firstError: runs iteration 1 of 3 of the loop'],
      [48, '#1 the goroutine started at line 46: sends on errc (a non-nil value) — #0 firstError receives it at line 52'],
      [52, 'firstError: finds "err != nil" true'],
      [43, 'firstError: returns from firstError'],
      [46, '#1 the goroutine started at line 46: ends'],
      [48, '#2 the goroutine started at line 46: blocks forever sending on "errc"'],
    ]);
    expect(bf.find((f) => f.range.start.line === 48)?.message).toMatch(/firstError has returned and no goroutine left can receive from "errc" \(2 goroutines end up blocked here\)/);
  });

  it('range over a channel nobody closes, with a symbolic slice length', () => {
    expect(steps(bf, 'chans.go', 80)).toEqual([
      [79, 'rangeNoClose: starts goroutine #1 (the goroutine started at line 79)'],
      // A count of 0 is not assumed (an empty input proves nothing): one item is sent.
      [84, 'rangeNoClose: assumes len(items) is 1; runs iteration 1 of 1 of the loop'],
      [85, 'rangeNoClose: sends on jobs — #1 the goroutine started at line 79 receives it at line 80'],
      [84, 'rangeNoClose: leaves the loop after 1 iteration'],
      [80, '#1 the goroutine started at line 79: blocks forever receiving from "jobs"'],
    ]);
  });

  it('early return on error skips the receive', () => {
    expect(steps(bf, 'chans.go', 107)).toEqual([
      [106, 'earlyReturn: starts goroutine #1 (the goroutine started at line 106)'],
      [109, 'earlyReturn: finds "err != nil" true'],
      [104, 'earlyReturn: returns from earlyReturn'],
      [107, '#1 the goroutine started at line 106: blocks forever sending on "done"'],
    ]);
  });

  it('Done skipped on a path: Wait never returns', () => {
    expect(steps(bf, 'chans.go', 137)).toEqual([
      [130, 'wgSkip: adds 1 to wg (counter 1)'],
      [131, 'wgSkip: starts goroutine #1 (the goroutine started at line 131)'],
      [132, '#1 the goroutine started at line 131: finds "err != nil" true'],
      [137, 'wgSkip: blocks forever in wg.Wait()'],
    ]);
  });

  it('Wait before draining: senders and the waiter block each other', () => {
    expect(steps(bf, 'chans.go', 164)).toEqual([
      [157, 'waitBeforeDrain: runs iteration 1 of 2 of the loop'],
      [158, 'waitBeforeDrain: adds 1 to wg (counter 1)'],
      [159, 'waitBeforeDrain: starts goroutine #1 (the goroutine started at line 159)'],
      [157, 'waitBeforeDrain: runs iteration 2 of 2 of the loop'],
      [158, 'waitBeforeDrain: adds 1 to wg (counter 2)'],
      [159, 'waitBeforeDrain: starts goroutine #2 (the goroutine started at line 159)'],
      [157, 'waitBeforeDrain: leaves the loop after 2 iterations'],
      [164, 'waitBeforeDrain: blocks forever in wg.Wait()'],
    ]);
  });

  it('a Signal before the Wait is lost', () => {
    expect(steps(bf, 'chans.go', 197)).toEqual([
      [193, 'lostSignal: starts goroutine #1 (the goroutine started at line 193)'],
      [196, 'lostSignal: locks mu'],
      [194, '#1 the goroutine started at line 193: calls c.Signal with no goroutine waiting (the signal is lost)'],
      [197, 'lostSignal: calls c.Wait (unlocks mu) and waits for a signal'],
      [197, 'lostSignal: blocks forever in c.Wait() for a signal'],
    ]);
  });

  it('a context nobody cancels', () => {
    expect(steps(bf, 'chans.go', 224)).toEqual([
      [223, 'ctxNeverCancelled: starts goroutine #1 (the goroutine started at line 223)'],
      [220, 'ctxNeverCancelled: returns from ctxNeverCancelled'],
      [224, '#1 the goroutine started at line 223: blocks forever waiting for "ctx" to be cancelled'],
    ]);
  });

  it('Once.Do re-entered from its own function', () => {
    expect(steps(bf, 'chans.go', 241)).toEqual([
      [240, 'onceReentry: calls once.Do and runs the function'],
      [241, 'onceReentry: blocks forever in once.Do, which it is already running'],
    ]);
  });

  it('lock held while sending to a receiver that needs the lock', () => {
    expect(steps(lcc, 'lockchan.go', 18)).toEqual([
      [11, 'sendUnderLock: starts goroutine #1 (the goroutine started at line 11)'],
      [17, 'sendUnderLock: locks mu'],
      [18, 'sendUnderLock: blocks forever sending on "ch"'],
    ]);
    const f = lcc.find((x) => x.range.start.line === 18);
    expect(f?.message).toMatch(/while holding "mu": every other goroutine is blocked too \(the goroutine started at line 11 locking "mu" at line 12\)/);
    expect(f?.fixHint).toMatch(/release "mu" before blocking/);
  });

  it('WaitGroup.Wait under the lock the worker needs', () => {
    expect(steps(lcc, 'lockchan.go', 47)).toEqual([
      [40, 'waitUnderLock: adds 1 to wg (counter 1)'],
      [41, 'waitUnderLock: starts goroutine #1 (the goroutine started at line 41)'],
      [46, 'waitUnderLock: locks mu'],
      [47, 'waitUnderLock: blocks forever in wg.Wait()'],
    ]);
  });

  it('read lock held while the replier waits for the write lock', () => {
    expect(steps(lcc, 'lockchan.go', 71)).toEqual([
      [70, 'recvUnderRLock: starts goroutine #1 (the goroutine started at line 70)'],
      [75, 'recvUnderRLock: read-locks mu'],
      [71, '#1 the goroutine started at line 70: blocks forever locking "mu"'],
    ]);
  });

  it('channels in struct fields made by a constructor: the flusher looks at stop after a batch, then waits for batches alone', () => {
    expect(steps(bf, 'fields.go', 30)).toEqual([
      [20, 'flushOne: starts goroutine #1 (the goroutine started at line 20)'],
      [48, 'flushOne: sends on f.batches — #1 the goroutine started at line 20 receives it at line 30'],
      [32, '#1 the goroutine started at line 20: takes the select default (no case is ready)'],
      [30, '#1 the goroutine started at line 20: blocks forever receiving from "f.batches"'],
    ]);
    // The done channel in the same struct: shutdown waits for a close behind that receive.
    expect(steps(bf, 'fields.go', 43).slice(-2)).toEqual([
      [42, 'flushOne: closes f.stop'],
      [43, 'flushOne: blocks forever receiving from "f.done"'],
    ]);
    expect(bf.find((x) => x.file.endsWith('fields.go') && x.range.start.line === 43)?.message).toMatch(/every other goroutine is blocked too \(the goroutine started at line 20 receiving from "f\.batches" at line 30\)/);
  });

  it('struct fields bound to other objects: both peers send their hello first', () => {
    expect(steps(bf, 'fields.go', 104)).toEqual([
      [113, 'handshake: starts goroutine #1 (the goroutine started at line 113)'],
      [114, 'handshake: starts goroutine #2 (the goroutine started at line 114)'],
      [109, 'handshake: returns from handshake'],
      [104, '#1 the goroutine started at line 113: blocks forever sending on "l.toB"'],
    ]);
  });

  it('a goroutine body with its own objects: the select default runs before the waiter arrives', () => {
    expect(steps(bf, 'fields.go', 153)).toEqual([
      [144, 'the goroutine started at line 158: starts goroutine #1 (the goroutine started at line 144)'],
      [145, '#1 the goroutine started at line 144: takes the select default (no case is ready)'],
      [153, 'the goroutine started at line 158: blocks forever receiving from "j.done"'],
    ]);
  });

  it('the fixed twins of the struct-field cases are silent, and an escaping struct is not modelled', () => {
    const lines = bf.filter((x) => x.file.endsWith('fields.go')).map((x) => x.range.start.line).sort((a, b) => a - b);
    expect(lines).toEqual([30, 43, 104, 153, 219, 258, 269]);
  });

  it('a range over a literal the program passes in is decided element by element', () => {
    expect(steps(bf, 'fields.go', 219)).toEqual([
      [200, 'tailTwo: starts goroutine #1 (the goroutine started at line 200)'],
      [207, '#1 the goroutine started at line 200: finds "l == """ false (l is "GET /")'],
      [211, '#1 the goroutine started at line 200: sends on t.lines — #0 tailTwo receives it at line 223'],
      [207, '#1 the goroutine started at line 200: finds "l == """ false (l is "GET /login")'],
      [211, '#1 the goroutine started at line 200: sends on t.lines — #0 tailTwo receives it at line 224'],
      // The third element is empty: from there the loop can only return, so nothing will receive quit.
      [219, 'tailTwo: blocks forever sending on "t.quit"'],
    ]);
  });

  it('a constructor that returns its struct next to a derived context: its WaitGroup and the cancel field are followed', () => {
    expect(steps(bf, 'fields.go', 258).slice(-5)).toEqual([
      [269, '#1 the goroutine started at line 251: sends on hits — #0 firstHit receives it at line 273'],
      [264, 'firstHit: returns from firstHit'],
      [252, '#1 the goroutine started at line 251: calls b.wg.Done (counter 1)'],
      [251, '#1 the goroutine started at line 251: ends'],
      [258, '#3 the goroutine started at line 272: blocks forever in b.wg.Wait()'],
    ]);
    expect(bf.find((x) => x.file.endsWith('fields.go') && x.range.start.line === 269)?.message).toMatch(/blocks forever sending on "hits"/);
  });

  it('a method waits for a goroutine that calls a locking method of the same struct', () => {
    expect(steps(lcc, 'lockchan.go', 100)).toEqual([
      [108, 'server.load: locks s.mu'],
      [110, 'server.load: starts goroutine #1 (the goroutine started at line 110)'],
      [100, '#1 the goroutine started at line 110: blocks forever locking "s.mu"'],
    ]);
    expect(lcc.find((x) => x.range.start.line === 100)?.message).toMatch(/server\.load holds it and is itself blocked receiving from "done" at line 114/);
  });

  it('a parameter every caller passes one constant for has that value: the string test is decided', () => {
    expect(steps(bf, 'callsites.go', 38)).toEqual([
      [34, 'record: finds "journal != """ false (journal is "")'],
      [37, 'record: starts goroutine #1 (the goroutine started at line 37)'],
      [32, 'record: returns from record'],
      [38, '#1 the goroutine started at line 37: blocks forever receiving from "synced"'],
    ]);
  });

  it('constants from the callers size loops exactly and decide booleans and nil tests: the twins are silent', () => {
    const lines = bf.filter((x) => x.file.endsWith('callsites.go')).map((x) => x.range.start.line).sort((a, b) => a - b);
    // gather(4) leaves a sender blocked; gatherFew(3), recordTo("audit.log"), finish(true),
    // relay(nil) and recordMaybe(args[0]) (unknown: nothing assumed) are silent.
    expect(lines).toEqual([13, 38]);
  });

  it('a counter compared with a constant is followed: the collector leaves after exactly two results', () => {
    expect(steps(bf, 'counters.go', 13).slice(7)).toEqual([
      [16, 'firstTwo: sets "got" to 0'],
      [13, '#1 the goroutine started at line 12: sends on results — #0 firstTwo receives it at line 17'],
      [19, 'firstTwo: sets "got" to 1'],
      [20, 'firstTwo: finds "got == 2" false'],
      [12, '#1 the goroutine started at line 12: ends'],
      [13, '#2 the goroutine started at line 12: sends on results — #0 firstTwo receives it at line 17'],
      [19, 'firstTwo: sets "got" to 2'],
      [20, 'firstTwo: finds "got == 2" true'],
      [13, '#3 the goroutine started at line 12: blocks forever sending on "results"'],
    ]);
    // Neither collector is reported waiting for a result that never comes.
    expect(bf.filter((x) => x.file.endsWith('counters.go')).map((x) => x.range.start.line)).toEqual([13]);
  });

  it('the ok of a receive in a select case is what the receive got, not a guess', () => {
    expect(steps(bf, 'chans.go', 313)).toEqual([
      [311, 'pump: starts goroutine #1 (the goroutine started at line 311)'],
      [317, 'pump: starts goroutine #2 (the goroutine started at line 317)'],
      [312, '#1 the goroutine started at line 311: runs iteration 1 of 2 of the loop'],
      [313, '#1 the goroutine started at line 311: sends on in — #2 the goroutine started at line 317 receives it at line 322'],
      [312, '#1 the goroutine started at line 311: runs iteration 2 of 2 of the loop'],
      [323, '#2 the goroutine started at line 317: finds "ok" true'],
      [327, '#2 the goroutine started at line 317: sends on acks — #0 pump receives it at line 334'],
      [335, 'pump: closes stop'],
      [307, 'pump: returns from pump'],
      [320, '#2 the goroutine started at line 317: receives from closed stop'],
      [313, '#1 the goroutine started at line 311: blocks forever sending on "in"'],
    ]);
    // pumpStoppable, whose feeder watches the stop, is silent.
    expect(bf.some((x) => x.file.endsWith('chans.go') && x.range.start.line > 335)).toBe(false);
  });
});

// ---- the engine on hand-built models ----------------------------------------------

const FILE = new SourceFile('/virtual/m.go', 'package m\n\nfunc f() {\n\tx()\n}\n');
const NODE = { type: 'identifier', named: true, field: null, start: 0, end: 7, children: [], parent: null };
const SITE = { file: FILE, node: NODE };

/** A model: `main` starts `n` goroutines running `worker`, then runs `main`'s code. */
function model(mainCode: Instr[], worker: Instr[], objs: Model['objs'], kind: Model['kind'] = 'func'): Model {
  return {
    entry: 'f',
    kind,
    file: FILE,
    decl: NODE,
    objs,
    procs: [
      { id: 0, name: 'f', code: mainCode, ctrs: 0, flags: 0 },
      { id: 1, name: 'worker', code: worker, ctrs: 0, flags: 0, start: SITE },
    ],
    globals: [],
  };
}
const ch = (cap: number): Model['objs'][number] => ({ id: 0, kind: 'chan', name: 'ch', cap });

describe('exploration', () => {
  // main: go worker ×3; recv once; end. worker: send; end.
  const spawn3: Instr[] = [
    { k: 'go', proc: 1, next: 1, site: SITE },
    { k: 'go', proc: 1, next: 2, site: SITE },
    { k: 'go', proc: 1, next: 3, site: SITE },
    { k: 'recv', obj: 0, next: 4, site: SITE },
    { k: 'end' },
  ];
  const sender: Instr[] = [{ k: 'send', obj: 0, next: 1, site: SITE }, { k: 'end' }];

  it('finds the senders left without a receiver, and none with a buffer for them', () => {
    const bad = explore(model(spawn3, sender, [ch(0)]));
    expect(bad.complete).toBe(true);
    expect(bad.bugs).toHaveLength(1);
    expect(bad.bugs[0]?.victim.op).toBe('send');
    const ok = explore(model(spawn3, sender, [ch(2)]));
    expect(ok.complete).toBe(true);
    expect(ok.bugs).toHaveLength(0);
  });

  it('merges symmetric goroutines: three identical senders cost far fewer states than their orderings', () => {
    const x = explore(model(spawn3, sender, [ch(0)]));
    // 3 senders, one receive: without symmetry and reduction the interleavings alone exceed 3! × states per goroutine.
    expect(x.states).toBeLessThan(30);
  });

  it('an entry over its state budget is not fully explored and reports nothing', () => {
    const x = explore(model(spawn3, sender, [ch(0)]), { states: 3, ms: 10_000, goroutines: 10 });
    expect(x.complete).toBe(false);
    expect(x.stop).toBe('states');
    expect(x.bugs).toHaveLength(0);
  });

  it('goroutines still blocked when main.main returns are not leaks (the program exits)', () => {
    const x = explore(model(spawn3, sender, [ch(0)], 'main'));
    expect(x.bugs).toHaveLength(0);
  });

  it('a closed channel wakes every receiver', () => {
    // main: go worker ×3; close; end. worker: recv; end.
    const mainCode: Instr[] = [...spawn3.slice(0, 3), { k: 'close', obj: 0, next: 4, site: SITE }, { k: 'end' }];
    const x = explore(model(mainCode, [{ k: 'recv', obj: 0, next: 1, site: SITE }, { k: 'end' }], [ch(0)]));
    expect(x.complete).toBe(true);
    expect(x.bugs).toHaveLength(0);
  });

  it('a select default can run before the other side arrives, not once it waits there', () => {
    // main: go worker; recv; end. worker: select { case ch <- v: ; default: }; end.
    const mainCode: Instr[] = [{ k: 'go', proc: 1, next: 1, site: SITE }, { k: 'recv', obj: 0, next: 2, site: SITE }, { k: 'end' }];
    const worker: Instr[] = [{ k: 'select', cases: [{ dir: 'send', obj: 0, next: 1, site: SITE }], dflt: 1, site: SITE }, { k: 'end' }];
    const x = explore(model(mainCode, worker, [ch(0)]));
    expect(x.complete).toBe(true);
    expect(x.bugs.map((b) => b.victim.op)).toEqual(['recv']);
    expect(x.bugs[0]?.trace.map((t) => t.text)).toContain('takes the select default (no case is ready)');
    // The same worker with a blocking send (no default) always meets the receiver.
    const blocking: Instr[] = [{ k: 'send', obj: 0, next: 1, site: SITE }, { k: 'end' }];
    expect(explore(model(mainCode, blocking, [ch(0)])).bugs).toHaveLength(0);
  });

  it('a timeout fires once against a partner about to be ready, not at every iteration', () => {
    // main: go worker; recv; end. worker: loop 2 × select { case ch <- v: ; case <-time.After(d): }; end.
    const mainCode: Instr[] = [{ k: 'go', proc: 1, next: 1, site: SITE }, { k: 'recv', obj: 0, next: 2, site: SITE }, { k: 'end' }];
    const timerCase = { dir: 'recv' as const, obj: -1, next: 0, site: SITE, timer: true, fired: 0 };
    const worker = (n: number): Instr[] => [
      { k: 'setctr', ctr: 0, next: 1 },
      { k: 'loop', ctr: 0, count: n, body: 2, exit: 3, site: SITE },
      { k: 'select', cases: [{ dir: 'send', obj: 0, next: 1, site: SITE }, { ...timerCase, next: 1 }], site: SITE },
      { k: 'end' },
    ];
    const w = (n: number): Model => {
      const m = model(mainCode, worker(n), [ch(0)]);
      (m.procs[1] as Model['procs'][number]).ctrs = 1;
      (m.procs[1] as Model['procs'][number]).flags = 1;
      return m;
    };
    // One send that may time out: the receiver can be left waiting (the classic timeout leak, seen from the other side).
    expect(explore(w(1)).bugs.map((b) => b.victim.op)).toEqual(['recv']);
    // Two sends: the receiver is starved only if both time out; the second timeout is not assumed.
    expect(explore(w(2)).bugs).toHaveLength(0);
  });

  it('a queued writer blocks a recursive read lock (sync.RWMutex)', () => {
    // main: rlock; go worker; rlock; runlock; runlock; end. worker: lock; unlock; end.
    const mu = { id: 0, kind: 'rwmutex' as const, name: 'mu', cap: 0 };
    const mainCode: Instr[] = [
      { k: 'rlock', obj: 0, next: 1, site: SITE },
      { k: 'go', proc: 1, next: 2, site: SITE },
      { k: 'rlock', obj: 0, next: 3, site: SITE },
      { k: 'runlock', obj: 0, next: 4, site: SITE },
      { k: 'runlock', obj: 0, next: 5, site: SITE },
      { k: 'end' },
    ];
    const worker: Instr[] = [{ k: 'lock', obj: 0, next: 1, site: SITE }, { k: 'unlock', obj: 0, next: 2, site: SITE }, { k: 'end' }];
    const x = explore(model(mainCode, worker, [mu]));
    expect(x.bugs.length).toBeGreaterThan(0);
    expect(x.bugs[0]?.deadlock).toBe(true);
    expect(x.bugs[0]?.blocked.map((b) => b.op).sort()).toEqual(['lock', 'rlock']);
    // Without the writer, the recursive read lock is fine.
    const alone = explore(model(mainCode.map((i) => (i.k === 'go' ? { k: 'nop', next: i.next } : i)), worker, [mu]));
    expect(alone.bugs).toHaveLength(0);
  });
});

// ---- reporters ----------------------------------------------------------------------

describe('reporters carry the trace', () => {
  it('SARIF: codeFlows with one thread flow per goroutine validate against the SARIF 2.1.0 schema', () => {
    const schema = JSON.parse(fs.readFileSync(path.resolve(__dirname, 'fixtures/sarif/sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
    // ajv-draft-04 is CommonJS with `exports.default`; the schema's patterns are not all valid `u`-flag regexps.
    const AjvClass = ((Ajv as unknown as { default?: typeof Ajv.default }).default ?? Ajv) as typeof Ajv.default;
    const ajv = new AjvClass({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    const log = buildSarif({ findings: [...bf, ...lcc], rules: ALL_RULES.map((r) => r.meta), baseDir: path.resolve(__dirname, '..'), toolVersion: '1.2.3', readSource: (p) => fs.readFileSync(p, 'utf8'), color: false });
    const ok = validate(JSON.parse(JSON.stringify(log)));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    const r = log.runs[0]?.results?.find((x) => x.locations?.[0]?.physicalLocation?.region?.startLine === 48);
    const flow = r?.codeFlows?.[0];
    expect(flow?.threadFlows.map((t) => t.id)).toEqual(['goroutine-0', 'goroutine-1', 'goroutine-2']);
    const orders = flow?.threadFlows.flatMap((t) => t.locations.map((l) => l.executionOrder ?? 0)).sort((a, b) => a - b);
    expect(orders).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    const last = flow?.threadFlows[2]?.locations.at(-1);
    expect(last?.location?.message?.text).toBe('#2 the goroutine started at line 46: blocks forever sending on "errc"');
    expect(last?.location?.physicalLocation?.region?.startLine).toBe(48);
  });

  it('JSON: a structured trace with relative paths', () => {
    const rep = buildJsonReport({ findings: bf, rules: [], baseDir: path.resolve(__dirname, '..'), toolVersion: '1', readSource: () => '', color: false });
    const f = rep.findings.find((x) => x.line === 80);
    expect(f?.trace?.map((t) => [t.goroutine, t.line, t.file])).toEqual([
      [0, 79, 'src/rules/blocked-forever/testdata/chans.go'],
      [0, 84, 'src/rules/blocked-forever/testdata/chans.go'],
      [0, 85, 'src/rules/blocked-forever/testdata/chans.go'],
      [0, 84, 'src/rules/blocked-forever/testdata/chans.go'],
      [1, 80, 'src/rules/blocked-forever/testdata/chans.go'],
    ]);
  });

  it('text: a numbered story under the finding', () => {
    const out = formatText({ findings: bf.filter((f) => f.range.start.line === 107), rules: [], baseDir: path.resolve(__dirname, '..'), toolVersion: '1', readSource: (p) => fs.readFileSync(p, 'utf8'), color: false });
    expect(out).toContain('trace:');
    expect(out).toMatch(/ 1\. line 106 {2}earlyReturn: starts goroutine #1/);
    expect(out).toMatch(/ 4\. line 107 {2}#1 the goroutine started at line 106: blocks forever sending on "done"/);
  });
});

describe('deduplication with the older rules', () => {
  it('a line an older rule reports is not reported again by the engine', async () => {
    const all = (await analyze([BF], { noConfig: true, workers: 0 })).findings;
    const byLine = new Map<string, string[]>();
    for (const f of all) {
      const k = `${path.basename(f.file)}:${f.range.start.line}`;
      byLine.set(k, [...(byLine.get(k) ?? []), f.ruleId]);
    }
    for (const [, ids] of byLine) expect(ids.filter((id) => id === 'blocked-forever').length === 0 || ids.length === 1).toBe(true);
    // chans.go:17 (timeout abandons the result) is abandoned-sender's: it keeps its id.
    expect(byLine.get('chans.go:17')).toEqual(['abandoned-sender']);
    // chans.go:197 (lost signal) only the engine sees.
    expect(byLine.get('chans.go:197')).toEqual(['blocked-forever']);
  });

  it('an older finding on a blocked line explains that line only: the other goroutines it names get their own findings', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ls-dedup-'));
    try {
      fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/d\n\ngo 1.22\n');
      fs.writeFileSync(
        path.join(dir, 'x.go'),
        [
          'package d',
          '',
          'import "sync"',
          '',
          'func hashAll(files []string) []string {',
          '\tresults := make(chan string)',
          '\tvar wg sync.WaitGroup',
          '\tfor _, f := range files {',
          '\t\twg.Add(1)',
          '\t\tgo func(f string) {',
          '\t\t\tdefer wg.Done()',
          '\t\t\tresults <- f',
          '\t\t}(f)',
          '\t}',
          '\twg.Wait()',
          '\tclose(results)',
          '\tvar out []string',
          '\tfor r := range results {',
          '\t\tout = append(out, r)',
          '\t}',
          '\treturn out',
          '}',
          '',
        ].join('\n'),
      );
      const all = (await analyze([dir], { noConfig: true, workers: 0 })).findings.map((f) => [f.range.start.line, f.ruleId]);
      // waitgroup-misuse reports the Wait (line 15) and names the send (line 12); the
      // senders are goroutines of their own, blocked at line 12: the engine reports them.
      expect(all).toContainEqual([15, 'waitgroup-misuse']);
      expect(all).toContainEqual([12, 'blocked-forever']);
      expect(all.filter(([l]) => l === 15)).toHaveLength(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the engine yields to an older rule the user disabled: the line is not re-reported', async () => {
    const without = (await analyze([BF], { noConfig: true, workers: 0, disable: ['abandoned-sender'] })).findings;
    // Line 17 is abandoned-sender's; disabling it does not hand the line to blocked-forever.
    expect(without.filter((f) => f.file.endsWith('chans.go') && f.range.start.line === 17)).toEqual([]);
    // Lines only the engine explains are still reported.
    expect(without.some((f) => f.file.endsWith('chans.go') && f.range.start.line === 197 && f.ruleId === 'blocked-forever')).toBe(true);
  });
});

describe('leakscope explain', () => {
  it('parses file:line and rejects anything else', () => {
    expect(parseFileLine('a/b.go:12')).toEqual({ file: 'a/b.go', line: 12 });
    expect(() => parseFileLine('a/b.go')).toThrow(/file\.go:line/);
  });

  it('explains a finding: objects, goroutines that touch them, exploration, trace', () => {
    const file = path.join(BF, 'chans.go');
    const text = formatExplanation(explainAt(file, 17), 'chans.go', 17);
    expect(text).toContain('timeoutLeak (function: goroutines left when it returns leak)');
    expect(text).toContain('objects at this line: ch (chan, capacity 0, line 14)');
    expect(text).toContain('the goroutine started at line 15: send at line 17');
    expect(text).toMatch(/exploration: complete; \d+ states/);
    expect(text).toContain('blocked forever: the goroutine started at line 15 at line 17 (send); trace:');
  });

  it('says why an entry is not modelled, and when nothing models a line', () => {
    const file = path.join(BF, 'chans.go');
    expect(formatExplanation(explainAt(file, 274), 'chans.go', 274)).toMatch(/escapes \(line 272\): not modelled — "ch" is used at line 274 in a way the model does not follow/);
    expect(formatExplanation(explainAt(file, 3), 'chans.go', 3)).toContain('no model of the blocking-state search touches this line');
  });

  it('the command exits 1 when a bug is explained there, 0 otherwise, 2 on bad input', async () => {
    const out: string[] = [];
    const io = { stdout: (s: string) => void out.push(s), stderr: (s: string) => void out.push(s), isTTY: false, env: {}, cwd: BF };
    expect(await execute(['explain', 'chans.go:197', '--json'], io)).toBe(1);
    const j = JSON.parse(out.join('')) as { entries: Array<{ entry: string; bugs: Array<{ line: number; trace: unknown[] }> }> };
    expect(j.entries[0]?.entry).toBe('lostSignal');
    expect(j.entries[0]?.bugs[0]?.line).toBe(197);
    expect(await execute(['explain', 'chans.go:210'], io)).toBe(0);
    expect(await execute(['explain', 'nope.go:1'], io)).toBe(2);
  });

  it('finds the package of a file in a temporary module', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ls-explain-'));
    fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/x\n\ngo 1.22\n');
    fs.writeFileSync(path.join(dir, 'x.go'), 'package x\n\nfunc F() {\n\tch := make(chan int)\n\tgo func() { ch <- 1 }()\n}\n');
    const x = explainAt(path.join(dir, 'x.go'), 5);
    expect(x.entries[0]?.bugs[0]?.victim.op).toBe('send');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('constants from the call sites', () => {
  // The same function body three times: the caller passes 4 (a sender is left blocked) or
  // 2 (every send completes), and only some callers can be seen.
  const body = (name: string): string =>
    [`func ${name}(n int) int {`, '\tout := make(chan int, 1)', '\tfor i := 0; i < n; i++ {', '\t\tgo func() { out <- i }()', '\t}', '\treturn <-out', '}', ''].join('\n');
  const run = async (files: Record<string, string>): Promise<Array<[string, number]>> => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ls-callsites-'));
    try {
      fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/c\n\ngo 1.22\n');
      for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
      const r = await analyze([dir], { only: ['blocked-forever'], noConfig: true, workers: 0, yieldToDisabled: false });
      return r.findings.map((f) => [path.basename(f.file), f.range.start.line]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };

  it('an unexported function called only with 2 runs with 2; with 2 and 4 nothing is assumed', async () => {
    const two = await run({ 'c.go': `package c\n\n${body('spread')}\nfunc use() { spread(2); spread(2) }\n` });
    expect(two).toEqual([]);
    // Two different constants: the count is symbolic again (up to 4 senders, one slot, one receive).
    const mixed = await run({ 'c.go': `package c\n\n${body('spread')}\nfunc use() { spread(2); spread(4) }\n` });
    expect(mixed).toEqual([['c.go', 6]]);
  });

  it('an exported function of a library, or one used as a value, may be called with anything: nothing is assumed', async () => {
    const exported = await run({ 'c.go': `package c\n\n${body('Spread')}\nfunc use() { Spread(2) }\n` });
    expect(exported).toEqual([['c.go', 6]]);
    const value = await run({ 'c.go': `package c\n\n${body('spread')}\nfunc use() { spread(2) }\n\nvar hook = spread\n` });
    expect(value).toEqual([['c.go', 6]]);
    // In package main nothing else can call it, exported or not.
    const main = await run({ 'main.go': `package main\n\n${body('Spread')}\nfunc main() { Spread(2) }\n` });
    expect(main).toEqual([]);
  });

  it('finds a name where the identifier regular expression lists it, and nowhere else', () => {
    const text = 'run(); running := stop; x.run(); _run; run2; 9run; x9run; é9run; 99run;\nrun';
    const found: number[] = [];
    wordOffsets(text, 'run', (pos) => found.push(pos));
    const byRe = [...text.matchAll(/[A-Za-z_]\w*/g)].filter((m) => m[0] === 'run').map((m) => m.index);
    expect(found).toEqual(byRe);
    expect(found.map((p) => text.slice(Math.max(0, p - 2), p))).toEqual(['', 'x.', ' 9', 'é9', '99', ';\n']);
  });
});
