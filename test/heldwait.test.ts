/**
 * The lock-plus-wait detector on the program model (src/analysis/heldwait.ts, rule
 * lock-channel-cycle): its witness traces checked step by step on the rule's fixtures
 * (testdata/fields.go), its silence on the fixed shapes, and the deduplication with the
 * blocking-state search (the search keeps the lines it reports).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../src/analysis/engine.js';
import type { Finding, TraceLocation } from '../src/analysis/finding.js';
import { heldWaitFindings, type HeldWaitFinding } from '../src/analysis/heldwait.js';
import { PackageFacts } from '../src/analysis/pass.js';
import { makePackage } from './go/helpers.js';

const LCC = path.resolve(__dirname, '../src/rules/lock-channel-cycle/testdata');

let lcc: Finding[] = [];
let hw: HeldWaitFinding[] = [];
beforeAll(async () => {
  lcc = (await analyze([LCC], { only: ['lock-channel-cycle'], noConfig: true, workers: 0 })).findings;
  // The detector alone (the rule gives lines the search also proves to the search).
  const { pkg } = makePackage({ 'fields.go': fs.readFileSync(path.join(LCC, 'fields.go'), 'utf8') }, 'example.com/lockchan');
  hw = heldWaitFindings(new PackageFacts(pkg));
});

/** The detector's finding on fields.go:`line`. */
function at(line: number): { message: string; fixHint: string; related: Array<{ message: string }>; trace: TraceLocation[] } {
  const f = hw.find((x) => x.file.line(x.node.start) === line);
  expect(f, `a finding at fields.go:${line}`).toBeDefined();
  return f as HeldWaitFinding;
}

/** The trace of the finding on `line` as [goroutine, line, message] triples. */
function steps(line: number): Array<[number, number, string]> {
  return at(line).trace.map((t) => [t.goroutine, t.range.start.line, t.message]);
}

/** The line of the first occurrence of `text` in fields.go after `after` (fixtures move; the text does not). */
function lineOf(text: string, after = ''): number {
  const src = fs.readFileSync(path.join(LCC, 'fields.go'), 'utf8');
  const i = src.indexOf(text, after ? src.indexOf(after) : 0);
  expect(i, text).toBeGreaterThanOrEqual(0);
  return src.slice(0, i).split('\n').length;
}

describe('lock-plus-wait traces, step by step', () => {
  it('a consumer that locks after each value: the first value gets through, the next send blocks', () => {
    const send = lineOf('p.out <- r // want');
    const lock = lineOf('p.mu.Lock() // want', 'func (p *pipeline) consume');
    const range = lineOf('for range p.out {');
    expect(steps(send)).toEqual([
      [1, range, `#1 pipeline.consume: receives a first value at line ${range}, then goes on to lock "p.mu" again before its next turn`],
      [0, lineOf('p.mu.Lock() // want'), '#0 pipeline.emit: locks "p.mu"'],
      [0, send, '#0 pipeline.emit: blocks sending on "p.out" while holding "p.mu"'],
      [1, lock, `#1 pipeline.consume: blocks locking "p.mu" (held by #0 pipeline.emit) before it can receive again at line ${range}`],
    ]);
    // The waker's lock is reported too, with the same story.
    expect(steps(lock)).toEqual(steps(send));
    expect(at(lock).message).toMatch(/^pipeline\.consume blocks forever locking "p\.mu" at line \d+: pipeline\.emit holds it and is itself blocked sending on "p\.out"/);
  });

  it('a reply awaited under the lock the read loop needs before it can deliver it', () => {
    const recv = lineOf('reply := <-ch // want');
    const lock = lineOf('c.mu.Lock() // want', 'func (c *client) readLoop');
    const deliver = lineOf('ch <- "ok"');
    expect(steps(recv)).toEqual([
      [0, lineOf('c.mu.Lock()\n\tc.seq++'), '#0 client.call: locks "c.mu"'],
      [0, recv, '#0 client.call: blocks receiving from "ch" while holding "c.mu"'],
      [1, lock, `#1 client.readLoop: blocks locking "c.mu" (held by #0 client.call) before it can send at line ${deliver}`],
    ]);
  });

  it("the waker's lock inside a callee (the final flush)", () => {
    const recv = lineOf('<-e.done // want');
    const lock = lineOf('e.mu.Lock() // want');
    expect(steps(recv)).toEqual([
      [0, recv - 3, '#0 exporter.close: locks "e.mu"'],
      [0, recv, '#0 exporter.close: blocks receiving from "e.done" while holding "e.mu"'],
      [1, lock, `#1 exporter.run: blocks locking "e.mu" in exporter.flush (held by #0 exporter.close) before it can close "e.done" at line ${lineOf('close(e.done)')}`],
    ]);
    expect(at(lock).message).toContain('exporter.flush (run by exporter.run) blocks forever locking "e.mu"');
  });

  it("the lock taken by a caller, a one-slot buffer that fills, the auditor's lock in a callee", () => {
    const send = lineOf('a.queue <- ev // want');
    const reserveLock = lineOf('inv.mu.Lock()\n\tdefer inv.mu.Unlock()\n\tinv.stock[sku]--');
    const call = lineOf('inv.audit.record(sku)');
    const range = lineOf('for ev := range a.queue {');
    const lock = lineOf('inv.mu.Lock() // want');
    expect(steps(send)).toEqual([
      [1, range, `#1 auditor.run: receives a first value at line ${range}, then goes on to lock "inv.mu" again before its next turn`],
      [0, reserveLock, '#0 inventory.reserve: locks "inv.mu"'],
      [0, call, '#0 inventory.reserve: calls auditor.record while holding "inv.mu"'],
      [0, send, '#0 inventory.reserve: sends again under "inv.mu" until the buffer of "a.queue" is full'],
      [0, send, '#0 inventory.reserve: blocks sending on "a.queue" while holding "inv.mu"'],
      [1, lock, `#1 auditor.run: blocks locking "inv.mu" in inventory.level (held by #0 inventory.reserve) before it can receive again at line ${range}`],
    ]);
    expect(at(send).message).toContain(`while holding "inv.mu" (locked at line ${reserveLock} in inventory.reserve)`);
  });

  it('WaitGroup.Wait under the lock each batch needs before its deferred Done', () => {
    const wait = lineOf('b.wg.Wait() // want');
    const lock = lineOf('b.mu.Lock() // want');
    expect(steps(wait)).toEqual([
      [0, wait - 2, '#0 batcher.shutdown: locks "b.mu"'],
      [0, wait, '#0 batcher.shutdown: blocks in b.wg.Wait() while holding "b.mu"'],
      [1, lock, `#1 batcher.process: blocks locking "b.mu" (held by #0 batcher.shutdown) before it can call Done at line ${lineOf('defer b.wg.Done()')}`],
    ]);
    expect(at(wait).message).toContain('every goroutine that could call b.wg.Done must first lock "b.mu"');
    expect(at(wait).fixHint).toContain('release "b.mu" before b.wg.Wait()');
  });

  it('a read lock held while the refresher needs the write lock', () => {
    const recv = lineOf('<-c.loaded // want');
    const lock = lineOf('c.mu.Lock() // want', 'func (c *catalog) refresher');
    expect(steps(recv)).toEqual([
      [0, lineOf('c.mu.RLock()\n\tdefer c.mu.RUnlock()\n\tp, ok'), '#0 catalog.price: read-locks "c.mu"'],
      [0, recv, '#0 catalog.price: blocks receiving from "c.loaded" while holding "c.mu"'],
      [1, lock, `#1 catalog.refresher: blocks locking "c.mu" (held by #0 catalog.price) before it can send at line ${lineOf('c.loaded <- sku')}`],
    ]);
  });

  it('several waker goroutines, all gated', () => {
    const recv = lineOf('total += <-g.results // want');
    const lock = lineOf('g.mu.Lock() // want');
    expect(steps(recv).map((s) => s.slice(0, 2))).toEqual([
      [0, recv - 4],
      [0, recv],
      [1, lock],
    ]);
    expect(at(recv).related.map((r) => r.message)).toEqual(['"g.mu" is locked here', `gather.worker needs "g.mu" here before it can send at line ${lineOf('g.results <- n')}`]);
  });
});

describe('silent where the model cannot prove the cycle', () => {
  it('reports nothing in the fixed and unprovable shapes of fields.go', () => {
    const silentFrom = lineOf('// Silent: the shapes above, fixed');
    expect(lcc.filter((f) => f.file.endsWith('fields.go') && f.range.start.line > silentFrom).map((f) => `${f.range.start.line}: ${f.message}`)).toEqual([]);
    expect(hw.filter((f) => f.file.line(f.node.start) > silentFrom).map((f) => `${f.file.line(f.node.start)}: ${f.message}`)).toEqual([]);
  });

  it('keeps the search its lines: one finding per line, the search first', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heldwait-'));
    fs.writeFileSync(
      path.join(dir, 'main.go'),
      `package main

import "sync"

func main() {
	var mu sync.Mutex
	ch := make(chan int)
	go func() {
		mu.Lock()
		v := <-ch
		mu.Unlock()
		_ = v
	}()
	mu.Lock()
	ch <- 1
	mu.Unlock()
}
`,
    );
    const fs2 = (await analyze([dir], { only: ['lock-channel-cycle'], noConfig: true, workers: 0 })).findings;
    const lines = fs2.map((f) => f.range.start.line);
    expect(new Set(lines).size).toBe(lines.length);
    // The search's schedule (with its "starts goroutine" steps) is the one reported.
    expect(fs2.find((f) => f.range.start.line === 15)?.trace?.some((t) => /starts goroutine/.test(t.message))).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
