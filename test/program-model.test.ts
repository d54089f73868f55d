/**
 * @fileoverview The program model (src/analysis/program): call graph through methods,
 * interfaces, method values, stored closures and stdlib callbacks; field-based points-to
 * for channels and locks (struct fields, embedding, slices of structs, params, results,
 * closures); escapes; goroutines with multiplicity; queries (mayBeWoken, alwaysNil,
 * heldAt, opsAfter, goroutinesDoing).
 */
import { describe, expect, it } from 'vitest';
import { PackageFacts } from '../src/analysis/pass.js';
import { accessPath, programModel, type ProgramModel } from '../src/analysis/program/index.js';
import { modelSnapshot } from '../src/analysis/program/snapshot.js';
import { walk, type Node } from '../src/go/syntax.js';
import { makePackage } from './go/helpers.js';

function model(src: string, importPath = 'example.com/main'): { m: ProgramModel; facts: PackageFacts; text: (n: Node) => string } {
  const { pkg, files } = makePackage({ 'main.go': src }, importPath);
  const facts = new PackageFacts(pkg);
  const file = files[0];
  return { m: programModel(facts), facts, text: (n) => (file ? file.textOf(n) : '') };
}

/** The FuncCtx of the function or method named `name` (`f`, `T.m`). */
function fcNamed(facts: PackageFacts, name: string) {
  for (const { decl, file } of facts.pkg.funcDecls) {
    const fc = facts.funcCtx(decl, file);
    if (fc.name === name) return fc;
  }
  throw new Error(`no function ${name}`);
}

function nodesIn(decl: Node, type: string): Node[] {
  const out: Node[] = [];
  walk(decl, (n) => {
    if (n.type === 'type' || n.type === type) out.push(n);
  });
  return out.filter((n) => n.type === type);
}

const SERVER = `package main

import (
	"fmt"
	"sync"
	"time"

	"example.com/ext"
)

type job struct {
	name string
	done chan error
}

func newJob(name string) *job { return &job{name: name, done: make(chan error)} }

func (j *job) start() {
	go func() { j.done <- fmt.Errorf("x") }()
}

type pipeline struct {
	in  chan string
	out chan string
}

func newPipeline() *pipeline { return &pipeline{in: make(chan string)} }

func (p *pipeline) Start() {
	for i := 0; i < 3; i++ {
		go func() {
			for s := range p.out {
				fmt.Println(s)
			}
		}()
	}
	p.in <- "x"
}

type Sink interface{ Put(v int) }
type chanSink struct{ ch chan int }

func (s chanSink) Put(v int) { s.ch <- v }

func produce(s Sink, done chan struct{}) {
	s.Put(1)
	close(done)
}

type store struct {
	sync.Mutex
	items map[string]int
	onEvent func()
}

func (s *store) get(k string) int {
	s.Lock()
	v := s.items[k]
	s.onEvent()
	s.Unlock()
	return v
}

func (s *store) run() {}

func wire(s *store) {
	s.onEvent = s.run
	go s.run()
	cb := s.run
	time.AfterFunc(time.Second, cb)
}

type sub struct{ ch chan int }
type hub struct{ subs []*sub }

func (h *hub) publish(v int) {
	for _, s := range h.subs {
		s.ch <- v
	}
}

func (h *hub) add() *sub {
	s := &sub{ch: make(chan int, 1)}
	h.subs = append(h.subs, s)
	return s
}

func consume(h *hub) int { return <-h.add().ch }

var quit = make(chan struct{})

func external(c chan int) { fmt.Sscan("1", c) }

type mon struct{ errCh <-chan error }

func (m *mon) start(s interface{ Subscribe() (int, <-chan error) }) { _, m.errCh = s.Subscribe() }

func (m *mon) wait() error { return <-m.errCh }

type iter struct{ results <-chan error }

func newIter(results <-chan error) *iter { return &iter{results: results} }

func (it *iter) next() error { return <-it.results }

// ext is not in the build: the types of its results are unknown.
func insert() *iter {
	_, results := ext.Engine.Verify()
	return newIter(results)
}

type q struct {
	mu   sync.Mutex
	cond *sync.Cond
}

func newQ() *q {
	x := &q{}
	x.cond = sync.NewCond(&x.mu)
	return x
}

func (x *q) wait() {
	x.cond.L.Lock()
	x.cond.Wait()
	x.cond.L.Unlock()
}

func boxed() {
	c := make(chan int)
	var x any = c
	fmt.Println(x)
	<-c
}

func main() {
	j := newJob("a")
	j.start()
	<-j.done
	produce(chanSink{ch: make(chan int)}, make(chan struct{}))
	newPipeline().Start()
	wire(&store{})
	var mu sync.Mutex
	mu.Lock()
	fmt.Println("held")
	mu.Unlock()
	<-quit
	c := make(chan int)
	external(c)
	<-c
}
`;

describe('program model', () => {
  const { m, facts, text } = model(SERVER);
  const fc = (name: string) => fcNamed(facts, name);

  it('registers declarations and literals with stable keys', () => {
    const keys = m.functions().map((f) => f.key);
    expect(keys).toContain('example.com/main.job.start');
    expect(keys).toContain('example.com/main.main');
    expect(keys.some((k) => k.startsWith('example.com/main.job.start$lit@main.go:'))).toBe(true);
  });

  it('follows a channel field across constructor, method and goroutine', () => {
    const main = fc('main');
    const recv = nodesIn(main.decl, 'unary_expression').find((n) => text(n) === '<-j.done') as Node;
    const o = m.objectOf(main, recv.children[1] as Node);
    expect(o?.keys).toContain('f:example.com/main.job.done');
    expect(o?.allocs.length).toBe(1);
    expect(m.known(o!)).toBe(true);
    expect(m.opsOn(o!, ['send']).map((op) => op.fn.name)).toEqual(['the goroutine started at line 19 in job.start']);
    expect(m.mayBeWoken(o!)).toBe(true);
    expect(m.mayBeClosed(o!)).toBe(false);
  });

  it('knows a field channel no code ever makes is always nil', () => {
    const start = fc('pipeline.Start');
    const rc = nodesIn(start.decl, 'range_clause')[0] as Node;
    const out = m.objectOf(start, rc.children.find((c) => c.field === 'right') as Node);
    expect(out && m.alwaysNil(out)).toBe(true);
    const send = nodesIn(start.decl, 'send_statement')[0] as Node;
    const inObj = m.objectOf(start, send.children[0] as Node);
    expect(inObj && m.alwaysNil(inObj)).toBe(false);
    expect(inObj && m.mayBeWoken(inObj)).toBe(true);
  });

  it('resolves interface calls to the implementations and binds the receiver', () => {
    const produce = m.funcOf(fc('produce').decl)!;
    const cs = m.callsFrom(produce).find((c) => c.kind === 'interface');
    expect(cs?.targets.map((t) => t.name)).toEqual(['chanSink.Put']);
    // In a main package only the package itself can implement Sink.
    expect(cs?.complete).toBe(true);
  });

  it('resolves method values, stored callbacks and stdlib callbacks', () => {
    const get = m.funcOf(fc('store.get').decl)!;
    const stored = m.callsFrom(get).find((c) => c.kind === 'value');
    expect(stored?.targets.map((t) => t.name)).toEqual(['store.run']);
    const wire = m.funcOf(fc('wire').decl)!;
    const starts = m.goroutines().filter((g) => g.from === wire);
    expect(starts.map((g) => [g.starter, g.targets.map((t) => t.name).join()])).toEqual([
      ['go', 'store.run'],
      ['time.AfterFunc', 'store.run'],
    ]);
  });

  it('tracks an embedded mutex as the field and answers heldAt', () => {
    const getFc = fc('store.get');
    const get = m.funcOf(getFc.decl)!;
    const locks = m.opsIn(get).filter((o) => o.kind === 'lock');
    expect(locks.length).toBe(1);
    const o = m.info(locks[0]!.cls);
    expect(o.keys).toContain('f:example.com/main.store.Mutex');
    expect(o.kind).toBe('mutex');
    const call = nodesIn(getFc.decl, 'call_expression').find((c) => text(c) === 's.onEvent()') as Node;
    expect(m.heldAt(get, call).map((op) => text(op.node))).toEqual(['s.Lock()']);
    const ret = nodesIn(getFc.decl, 'return_statement')[0] as Node;
    expect(m.heldAt(get, ret)).toEqual([]);
    expect(m.opsAfter(get, call, o, ['unlock']).map((op) => text(op.node))).toEqual(['s.Unlock()']);
  });

  it('follows channels through slices of structs, append and results', () => {
    const pub = fc('hub.publish');
    const send = nodesIn(pub.decl, 'send_statement')[0] as Node;
    const o = m.objectOf(pub, send.children[0] as Node)!;
    expect(o.keys).toContain('f:example.com/main.sub.ch');
    const cons = fc('consume');
    const recv = nodesIn(cons.decl, 'unary_expression')[0] as Node;
    const o2 = m.objectOf(cons, recv.children[1] as Node)!;
    expect(o2.id).toBe(o.id);
    expect(m.mayBeWoken(o2)).toBe(true);
  });

  it('marks channels passed to unknown code as escaped, package vars as known', () => {
    const main = fc('main');
    const recvs = nodesIn(main.decl, 'unary_expression');
    const c = m.objectOf(main, recvs.find((n) => text(n) === '<-c')!.children[1] as Node)!;
    expect(c.escape).toMatch(/fmt.Sscan/);
    expect(m.mayBeWoken(c)).toBeUndefined();
    const q = m.objectOf(main, recvs.find((n) => text(n) === '<-quit')!.children[1] as Node)!;
    expect(m.known(q)).toBe(true);
    expect(m.mayBeWoken(q)).toBe(false);
  });

  it('gives a channel from a call the model cannot see an unknown origin (not nil)', () => {
    const w = fc('mon.wait');
    const recv = nodesIn(w.decl, 'unary_expression')[0] as Node;
    const o = m.objectOf(w, recv.children[1] as Node)!;
    expect(o.unknownSource).toBeDefined();
    expect(m.alwaysNil(o)).toBe(false);
    expect(m.mayBeWoken(o)).toBeUndefined();
  });

  it('keeps the unknown origin of a value passed through a local of unknown type', () => {
    const n = fc('iter.next');
    const recv = nodesIn(n.decl, 'unary_expression')[0] as Node;
    const o = m.objectOf(n, recv.children[1] as Node)!;
    expect(m.alwaysNil(o)).toBe(false);
    expect(m.known(o)).toBe(false);
  });

  it('knows a Cond.L is the mutex handed to sync.NewCond', () => {
    const w = m.funcOf(fc('q.wait').decl)!;
    const ops = m.opsIn(w);
    expect(ops.map((o) => o.kind)).toEqual(['lock', 'wait', 'unlock']);
    const l = m.info(ops[0]!.cls);
    expect(l.keys).toContain('f:example.com/main.q.mu');
    expect(m.known(l)).toBe(true);
  });

  it('marks a channel converted to an interface value as escaped', () => {
    const b = fc('boxed');
    const recv = nodesIn(b.decl, 'unary_expression').find((n) => text(n) === '<-c') as Node;
    const o = m.objectOf(b, recv.children[1] as Node)!;
    expect(o.escape).toBe('stored as an interface value');
    expect(m.mayBeWoken(o)).toBeUndefined();
  });

  it('counts goroutines started in loops as many', () => {
    const start = m.funcOf(fc('pipeline.Start').decl)!;
    const g = m.goroutines().find((x) => x.from === start)!;
    expect(g.multiplicity).toBe('bounded');
    expect(g.count).toBe(3);
    const ops = m.goroutineOps(g, ['range']);
    expect(ops.length).toBe(1);
    const outObj = m.info(ops[0]!.cls);
    expect(m.goroutinesDoing(outObj, ['range'])).toEqual([g]);
  });

  it('exports per-function summaries as plain data', () => {
    const s = m.summary();
    expect(s['example.com/main.chanSink.Put']?.ops).toEqual([{ kind: 'send', loc: 'f:example.com/main.chanSink.ch' }]);
    expect(s['example.com/main.wire']?.starts).toEqual(['example.com/main.store.run', 'example.com/main.store.run']);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it('gives k-limited access paths to tell instances apart', () => {
    const get = fc('store.get');
    const sel = nodesIn(get.decl, 'index_expression')[0] as Node;
    const p = accessPath(get, sel);
    expect(p?.fields).toEqual(['items']);
    expect(p?.indexed).toBe(true);
  });
});

describe('program model in a library package', () => {
  const { m, facts } = model(
    `package lib

type Server struct {
	Events chan int
	quit   chan struct{}
}

func (s *Server) Wait() { <-s.quit }

func (s *Server) Next() int { return <-s.Events }

func Feed(c chan int) { <-c }
`,
    'example.com/lib',
  );
  const ops = (name: string) => m.opsIn(m.funcOf(fcNamed(facts, name).decl)!);

  it('treats exported fields of exported types and exported parameters as unknown', () => {
    const ev = m.info(ops('Server.Next')[0]!.cls);
    expect(m.known(ev)).toBe(false);
    expect(m.mayBeWoken(ev)).toBeUndefined();
    const c = m.info(ops('Feed')[0]!.cls);
    expect(c.unknownSource).toMatch(/exported function/);
  });

  it('still knows an unexported field nobody in the package sends on or closes', () => {
    const q = m.info(ops('Server.Wait')[0]!.cls);
    expect(m.known(q)).toBe(true);
    expect(m.mayBeWoken(q)).toBe(false);
  });
});

describe('program model: selectors on values of unknown type', () => {
  const SRC = `package main

import "example.com/ext"

type conn struct {
	cmd  chan int
	done chan struct{}
	idle chan int
}

func (c *conn) loop() {
	for range c.cmd {
	}
	<-c.done
	<-c.idle
}

func start(c *conn) {
	c.cmd = make(chan int)
	go c.loop()
}

func shutdown() {
	for _, c := range ext.Conns() {
		close(c.cmd)
		c.done = make(chan struct{})
	}
}
`;
  const { m, facts } = model(SRC);
  const loop = fcNamed(facts, 'conn.loop');
  const F = m.funcOf(loop.decl)!;
  const on = (name: string) => m.info(m.opsIn(F).find((o) => o.expr.type === 'selector_expression' && loop.text(o.expr).endsWith(`.${name}`))!.cls);

  it('takes a close of x.f with x of unknown type as a possible close of the package fields named f', () => {
    const cmd = on('cmd');
    expect(cmd.escape).toMatch(/\.cmd/);
    expect(m.mayBeClosed(cmd)).toBeUndefined();
  });

  it('takes a store into x.f with x of unknown type as a value of unknown origin for fields named f', () => {
    const done = on('done');
    expect(done.unknownSource).toMatch(/\.done/);
    expect(m.alwaysNil(done)).toBe(false);
  });

  it('leaves other fields known', () => {
    const idle = on('idle');
    expect(m.known(idle)).toBe(true);
    expect(m.alwaysNil(idle)).toBe(true);
  });
});

describe('model snapshot (debug aid for work on the model)', () => {
  const SRC = `package lib

import "sync"

type Pool struct {
	mu    sync.Mutex
	jobs  chan int
	done  chan struct{}
	onErr func(error)
}

func NewPool() *Pool {
	p := &Pool{jobs: make(chan int), done: make(chan struct{})}
	go p.loop()
	return p
}

func (p *Pool) loop() {
	for {
		select {
		case j := <-p.jobs:
			p.mu.Lock()
			_ = j
			p.mu.Unlock()
		case <-p.done:
			return
		}
	}
}

func (p *Pool) Stop() { close(p.done) }
`;

  it('is the same for two builds of one package and lists what the model answers', () => {
    const a = modelSnapshot(model(SRC, 'example.com/lib').m);
    const b = modelSnapshot(model(SRC, 'example.com/lib').m);
    expect(a).toEqual(b);
    expect(a).toContain('func example.com/lib.Pool.loop dead=false valueEscapes=false');
    expect(a.some((l) => l.startsWith('go example.com/lib.NewPool ') && l.endsWith('-> example.com/lib.Pool.loop'))).toBe(true);
    const close = a.find((l) => l.startsWith('op example.com/lib.Pool.Stop close '));
    expect(close).toMatch(/f:example\.com\/lib\.Pool\.done/);
    expect(a.filter((l) => l.startsWith('op example.com/lib.Pool.loop ')).map((l) => l.split(' ')[2])).toEqual(['lock', 'recv', 'recv', 'unlock']);
  });

  it('changes when the model answers differently', () => {
    const a = modelSnapshot(model(SRC, 'example.com/lib').m);
    const b = modelSnapshot(model(SRC.replace('func (p *Pool) Stop() { close(p.done) }', 'func (p *Pool) Stop() {}'), 'example.com/lib').m);
    expect(b).not.toEqual(a);
    expect(b.some((l) => l.startsWith('op example.com/lib.Pool.Stop '))).toBe(false);
  });
});

describe('program model: which declarations it scans', () => {
  const SRC = `package lib

import "sync"

var (
	mu, quit = sync.Mutex{}, make(chan struct{})
	hook     = func() int {
		if len(names) > 0 {
			return 1
		}
		return 0
	}
)

var names []string

type ticket struct {
	_ [0]func()
	n int
}

func stop() { close(quit) }

func usesQuit() bool { return cap(quit) > 0 }

func count(xs []int) int {
	if len(xs) == 0 {
		return 0
	}
	_, n := 0, len(xs)
	return n
}
`;
  const opaque = (m: ProgramModel): string[] => m.functions().filter((f) => f.opaque).map((f) => f.key);

  it('takes every name of a grouped var spec as a variable, and no word of an initialiser', () => {
    const { m } = model(SRC, 'example.com/lib');
    // quit, the second name of a spec, makes usesQuit relevant; `if` and `return` from the
    // hook's lines and the blank field name do not make count relevant.
    expect(opaque(m)).toEqual(['example.com/lib.count']);
    expect(m.functions().find((f) => f.key === 'example.com/lib.usesQuit')?.opaque).toBeUndefined();
  });

  const FIELDS = `package lib

type srv struct {
	done chan struct{}
	n    int
}

func (s *srv) Stop() { close(s.done) }

func local() int {
	done := 3
	return done
}

func viaSelector(s *srv) bool { return s.
	done == nil }

func viaKey() *srv { return &srv{done: nil} }

func viaComment(s *srv) bool { return s./* the channel */ done == nil }
`;

  it('takes a field name as referred to only after a dot or before a key colon', () => {
    const { m } = model(FIELDS, 'example.com/lib');
    // A local named like the field is not the field; a selector across a line break, a
    // composite literal key and a selector behind a comment are.
    expect(opaque(m)).toEqual(['example.com/lib.local']);
  });

  const VALUES = `package lib

import "sync"

type caps struct {
	sync.Once
	v4 bool
}

var capsOf caps

func (c *caps) probe() { c.v4 = true }

func supports() bool {
	capsOf.Do(capsOf.probe)
	return capsOf.v4
}

func check(n int) bool { return n > 0 }

func table(run func(string, func(int) bool)) { run("x", check) }

func plain(n int) int { return n + 1 }
`;

  it('scans promoted sync methods, function literals and types, and functions used as values', () => {
    const { m } = model(VALUES, 'example.com/lib');
    expect(opaque(m)).toEqual(['example.com/lib.caps.probe', 'example.com/lib.check', 'example.com/lib.plain']);
    expect(m.functions().some((f) => f.key === 'example.com/lib.supports' && !f.opaque && m.opsIn(f).some((o) => o.kind === 'do'))).toBe(true);
  });
});
