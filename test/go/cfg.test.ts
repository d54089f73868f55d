/**
 * @fileoverview Behaviour of the control-flow graphs (buildCFG through FuncCtx.cfg with
 * the PackageFacts no-return oracle), findEscapingPath and reaches.
 */
import { describe, expect, it } from 'vitest';
import { PackageFacts, type FuncCtx } from '../../src/analysis/pass.js';
import { buildCFG, findEscapingPath, reaches, type Block, type CFG } from '../../src/go/cfg.js';
import type { Node } from '../../src/go/syntax.js';
import { allNodes, findDecl, makePackage } from './helpers.js';

interface G {
  fc: FuncCtx;
  cfg: CFG;
  /** The statement (or condition) node whose text is `text` (innermost match that the CFG placed). */
  node(text: string, nth?: number): Node;
  /** The block holding that node. */
  block(text: string, nth?: number): Block;
  /** Blocks reachable from `from` (default: entry), including it. */
  reachable(from?: Block): Set<Block>;
  /** True when some path from entry reaches the node's block. */
  live(text: string, nth?: number): boolean;
}

/** CFG of function `name` (default f) in a one-file package `src`, or of the nth func literal in it. */
function graph(src: string, name = 'f', literal?: number, extraFiles: Record<string, string> = {}): G {
  const { pkg } = makePackage({ 'a.go': src, ...extraFiles });
  const facts = new PackageFacts(pkg);
  const { decl, file } = findDecl(pkg, name);
  const fc = facts.funcCtx(decl, file);
  const fn = literal === undefined ? decl : fc.res.funcs.filter((x) => x.type === 'func_literal')[literal];
  const cfg = fc.cfg(fn);
  if (!cfg) throw new Error('no cfg');
  const node = (text: string, nth = 0): Node => {
    const hits = [...cfg.where.keys()].filter((n) => fc.text(n) === text).sort((a, b) => a.start - b.start);
    const n = hits[nth];
    if (!n) throw new Error(`no CFG node ${JSON.stringify(text)} #${nth} (have: ${[...cfg.where.keys()].map((k) => fc.text(k)).join(' | ')})`);
    return n;
  };
  const block = (text: string, nth = 0): Block => (cfg.where.get(node(text, nth)) as { block: Block }).block;
  const reachable = (from: Block = cfg.entry): Set<Block> => {
    const seen = new Set<Block>([from]);
    const stack = [from];
    while (stack.length) {
      for (const s of (stack.pop() as Block).succs) {
        if (seen.has(s)) continue;
        seen.add(s);
        stack.push(s);
      }
    }
    return seen;
  };
  return { fc, cfg, node, block, reachable, live: (t, nth) => reachable().has(block(t, nth)) };
}

const pre = 'package p\n\nimport (\n\t"log"\n\t"os"\n\t"runtime"\n\t"sync"\n\t"testing"\n)\n\nvar _ = log.Println\nvar _ = os.Exit\nvar _ sync.Mutex\nvar _ testing.T\nvar _ = runtime.Gosched\n\n';
const fn = (body: string, sig = 'f(c, d bool, n int, ch chan int)'): string => `${pre}func ${sig} {\n${body}\n}\n\nfunc a() {}\nfunc b() {}\nfunc x() {}\nfunc y() {}\nfunc z() {}\n`;

describe('buildCFG: straight line and if/else', () => {
  it('a straight-line body is entry → exit with the statements in order', () => {
    const g = graph(fn('\ta()\n\tb()'));
    expect(g.cfg.entry.nodes.map((n) => g.fc.text(n))).toEqual(['a()', 'b()']);
    expect(g.cfg.entry.succs).toEqual([g.cfg.exit]);
    expect(g.cfg.where.get(g.node('b()'))?.index).toBe(1);
    expect(g.reachable().has(g.cfg.abort)).toBe(false);
  });

  it('if/else: both branches join before the next statement; neither branch reaches the other', () => {
    const g = graph(fn('\tif c {\n\t\ta()\n\t} else {\n\t\tb()\n\t}\n\tx()'));
    const cond = g.block('c');
    expect(cond).toBe(g.cfg.entry);
    expect(cond.succs).toHaveLength(2);
    expect(cond.succs).toContain(g.block('a()'));
    expect(cond.succs).toContain(g.block('b()'));
    expect(g.block('a()')).not.toBe(g.block('b()'));
    expect(reaches(g.cfg, g.node('a()'), g.block('x()'))).toBe(true);
    expect(reaches(g.cfg, g.node('b()'), g.block('x()'))).toBe(true);
    expect(reaches(g.cfg, g.node('a()'), g.block('b()'))).toBe(false);
    expect(reaches(g.cfg, g.node('x()'), g.cfg.exit)).toBe(true);
  });

  it('if without else: the condition block has an edge straight to the join', () => {
    const g = graph(fn('\tif c {\n\t\ta()\n\t}\n\tx()'));
    expect(g.block('c').succs).toContain(g.block('x()'));
    expect(g.block('c').succs).toContain(g.block('a()'));
  });

  it('else-if chains and an init statement', () => {
    const g = graph(fn('\tif v := n; v > 1 {\n\t\ta()\n\t} else if v > 0 {\n\t\tb()\n\t} else {\n\t\treturn\n\t}\n\tx()'));
    expect(g.cfg.entry.nodes.map((n) => g.fc.text(n))).toEqual(['v := n', 'v > 1']);
    expect(reaches(g.cfg, g.node('v > 0'), g.block('b()'))).toBe(true);
    expect(reaches(g.cfg, g.node('return'), g.block('x()'))).toBe(false);
    expect(g.block('return').succs).toEqual([g.cfg.exit]);
  });

  it('statements after a return are unreachable', () => {
    const g = graph(fn('\treturn\n\ta()'));
    expect(g.live('a()')).toBe(false);
    expect(g.live('return')).toBe(true);
  });
});

describe('buildCFG: loops and labels', () => {
  it('for with break and continue: continue → post, break → after the loop', () => {
    const g = graph(fn('\tfor i := 0; i < n; i++ {\n\t\tif c {\n\t\t\tcontinue\n\t\t}\n\t\tif d {\n\t\t\tbreak\n\t\t}\n\t\ta()\n\t}\n\tx()'));
    const head = g.block('i < n');
    expect(g.cfg.loopHeads.get(g.block('i < n').nodes[0]?.parent?.parent as Node)).toBe(head);
    expect(g.block('continue').succs).toEqual([g.block('i++')]);
    expect(g.block('i++').succs).toEqual([head]);
    expect(g.block('break').succs).toEqual([g.block('x()')]);
    expect(head.succs).toContain(g.block('x()')); // the condition can be false
    expect(reaches(g.cfg, g.node('a()'), head)).toBe(true); // back edge
    expect(g.cfg.entry.nodes.map((n) => g.fc.text(n))).toEqual(['i := 0']);
  });

  it('labelled break and continue target the outer loop', () => {
    const g = graph(
      fn('outer:\n\tfor i := 0; i < n; i++ {\n\t\tfor {\n\t\t\tif c {\n\t\t\t\tcontinue outer\n\t\t\t}\n\t\t\tif d {\n\t\t\t\tbreak outer\n\t\t\t}\n\t\t\tif n > 2 {\n\t\t\t\tbreak\n\t\t\t}\n\t\t}\n\t\ty()\n\t}\n\tx()'),
    );
    expect(g.block('continue outer').succs).toEqual([g.block('i++')]);
    expect(g.block('break outer').succs).toEqual([g.block('x()')]);
    expect(g.block('break').succs).toEqual([g.block('y()')]);
    expect(reaches(g.cfg, g.node('break outer'), g.block('y()'))).toBe(false);
  });

  it('for {} without break has no path to exit; code after it is dead', () => {
    const g = graph(fn('\tfor {\n\t\ta()\n\t}\n\tx()'));
    expect(g.reachable().has(g.cfg.exit)).toBe(false);
    expect(g.live('x()')).toBe(false);
    expect(g.reachable().has(g.cfg.abort)).toBe(false);
  });

  it('for {} with a conditional return or break does reach exit', () => {
    const r = graph(fn('\tfor {\n\t\tif c {\n\t\t\treturn\n\t\t}\n\t}'));
    expect(r.reachable().has(r.cfg.exit)).toBe(true);
    expect(r.block('return').succs).toEqual([r.cfg.exit]);
    const g = graph(fn('\tfor {\n\t\tif c {\n\t\t\tbreak\n\t\t}\n\t}\n\tx()'));
    expect(g.live('x()')).toBe(true);
    expect(g.reachable().has(g.cfg.exit)).toBe(true);
  });

  it('for ;; {} is an infinite loop too; for cond {} and for range are not', () => {
    const noExit = graph(fn('\tfor ;; {\n\t\ta()\n\t}'));
    expect(noExit.reachable().has(noExit.cfg.exit)).toBe(false);
    for (const loop of ['\tfor c {\n\t\ta()\n\t}', '\tfor v := range ch {\n\t\ta()\n\t\t_ = v\n\t}', '\tfor range 3 {\n\t\ta()\n\t}']) {
      const g = graph(fn(loop));
      expect(g.reachable().has(g.cfg.exit)).toBe(true);
      expect(g.live('a()')).toBe(true);
      expect(g.block('a()').kind).toBe('for.body');
    }
  });

  it('break inside a select or switch inside a loop leaves only the select/switch', () => {
    const g = graph(fn('\tfor {\n\t\tselect {\n\t\tcase <-ch:\n\t\t\tbreak\n\t\t}\n\t\ta()\n\t}'));
    expect(g.block('break').succs).toEqual([g.block('a()')]);
    expect(g.reachable().has(g.cfg.exit)).toBe(false);
    const s = graph(fn('\tfor {\n\t\tswitch {\n\t\tcase c:\n\t\t\tbreak\n\t\t}\n\t\ta()\n\t}'));
    expect(s.block('break').succs).toEqual([s.block('a()')]);
    expect(s.reachable().has(s.cfg.exit)).toBe(false);
  });

  it('continue inside a switch inside a loop goes to the loop post', () => {
    const g = graph(fn('\tfor i := 0; i < n; i++ {\n\t\tswitch {\n\t\tcase c:\n\t\t\tcontinue\n\t\t}\n\t\ta()\n\t}'));
    expect(g.block('continue').succs).toEqual([g.block('i++')]);
  });

  it('labelled break out of a select inside a for loop leaves the loop', () => {
    const g = graph(fn('loop:\n\tfor {\n\t\tselect {\n\t\tcase <-ch:\n\t\t\tbreak loop\n\t\tdefault:\n\t\t}\n\t}\n\tx()'));
    expect(g.block('break loop').succs).toEqual([g.block('x()')]);
    expect(g.live('x()')).toBe(true);
    expect(g.reachable().has(g.cfg.exit)).toBe(true);
  });

  it('goto forward skips statements; goto backward makes a loop', () => {
    const g = graph(fn('\tgoto done\n\ta()\ndone:\n\tx()'));
    expect(g.live('a()')).toBe(false);
    expect(g.live('x()')).toBe(true);
    const back = graph(fn('again:\n\ta()\n\tif c {\n\t\tgoto again\n\t}\n\tx()'));
    expect(reaches(back.cfg, back.node('goto again'), back.block('a()'))).toBe(true);
    expect(reaches(back.cfg, back.node('x()'), back.block('a()'))).toBe(false);
    const forever = graph(fn('top:\n\ta()\n\tgoto top'));
    expect(forever.reachable().has(forever.cfg.exit)).toBe(false);
  });
});

describe('buildCFG: switch and select', () => {
  it('switch with fallthrough: the case body flows into the next case body', () => {
    const g = graph(fn('\tswitch n {\n\tcase 1:\n\t\ta()\n\t\tfallthrough\n\tcase 2:\n\t\tb()\n\tcase 3:\n\t\ty()\n\t}\n\tx()'));
    expect(g.block('fallthrough')).toBe(g.block('a()'));
    expect(g.block('a()').succs).toEqual([g.block('b()')]);
    expect(g.block('b()').succs).toEqual([g.block('x()')]);
    expect(reaches(g.cfg, g.node('a()'), g.block('y()'))).toBe(false);
    // No default: the dispatch can go straight to the end.
    expect(g.block('n').succs).toContain(g.block('x()'));
    expect(g.block('n').succs).toHaveLength(4);
  });

  it('switch with default: no edge around the cases', () => {
    const g = graph(fn('\tswitch {\n\tcase c:\n\t\ta()\n\tdefault:\n\t\treturn\n\t}\n\tx()'));
    const dispatch = g.cfg.entry;
    expect(dispatch.succs).toHaveLength(2);
    expect(dispatch.succs).not.toContain(g.block('x()'));
    expect(reaches(g.cfg, g.node('return'), g.block('x()'))).toBe(false);
  });

  it('a switch whose every case returns (with default) makes the code after it dead', () => {
    const g = graph(fn('\tswitch n {\n\tcase 1:\n\t\treturn\n\tdefault:\n\t\tpanic("no")\n\t}\n\tx()'));
    expect(g.live('x()')).toBe(false);
    expect(g.reachable().has(g.cfg.abort)).toBe(true);
  });

  it('type switch cases', () => {
    const g = graph(fn('\tvar v any = n\n\tswitch t := v.(type) {\n\tcase int:\n\t\t_ = t\n\t\treturn\n\tcase string, bool:\n\t\ta()\n\t}\n\tx()'));
    expect(reaches(g.cfg, g.node('a()'), g.block('x()'))).toBe(true);
    expect(reaches(g.cfg, g.node('_ = t'), g.block('x()'))).toBe(false);
    expect(g.live('x()')).toBe(true);
  });

  it('select: each communication starts its case; a case that returns does not reach the code after', () => {
    const g = graph(fn('\tselect {\n\tcase v := <-ch:\n\t\t_ = v\n\t\treturn\n\tcase ch <- 1:\n\t\ta()\n\t}\n\tx()'));
    const recv = g.block('v := <-ch');
    expect(recv.kind).toBe('select.case');
    expect(recv.nodes.map((n) => g.fc.text(n))).toEqual(['v := <-ch', '_ = v', 'return']);
    expect(recv.succs).toEqual([g.cfg.exit]);
    expect(g.block('ch <- 1').succs).toEqual([g.block('x()')]);
    expect(g.cfg.entry.succs).toEqual([recv, g.block('ch <- 1')]);
  });

  it('select {} blocks forever: the path goes to abort, never to exit', () => {
    const g = graph(fn('\ta()\n\tselect {}\n\tx()'));
    expect(g.reachable().has(g.cfg.exit)).toBe(false);
    expect(g.reachable().has(g.cfg.abort)).toBe(true);
    expect(g.live('x()')).toBe(false);
  });
});

describe('no-return calls (PackageFacts.noReturn)', () => {
  const endsInAbort = (g: G, text: string): boolean => {
    const b = g.block(text);
    return b.nodes[b.nodes.length - 1] === g.node(text) && b.succs.length === 1 && b.succs[0] === g.cfg.abort;
  };

  it.each([
    ['panic("boom")', 'f(c, d bool, n int, ch chan int)'],
    ['os.Exit(1)', 'f(c, d bool, n int, ch chan int)'],
    ['log.Fatal("x")', 'f(c, d bool, n int, ch chan int)'],
    ['log.Fatalf("%d", n)', 'f(c, d bool, n int, ch chan int)'],
    ['log.Panicln("x")', 'f(c, d bool, n int, ch chan int)'],
    ['runtime.Goexit()', 'f(c, d bool, n int, ch chan int)'],
    ['t.Fatal("x")', 'f(t *testing.T, c bool)'],
    ['t.Fatalf("x %d", 1)', 'f(t *testing.T, c bool)'],
    ['t.FailNow()', 'f(t *testing.T, c bool)'],
    ['t.SkipNow()', 'f(t *testing.T, c bool)'],
    ['b.Fatal("x")', 'f(b *testing.B, c bool)'],
    ['tb.Fatalf("x")', 'f(tb testing.TB, c bool)'],
    ['l.Fatalln("x")', 'f(l *log.Logger, c bool)'],
  ])('%s leads to abort, not exit', (call, sig) => {
    const g = graph(fn(`\tif c {\n\t\t${call}\n\t\tx()\n\t}\n\ty()`, sig));
    expect(endsInAbort(g, call)).toBe(true);
    expect(g.live('x()')).toBe(false);
    expect(reaches(g.cfg, g.node(call), g.cfg.exit)).toBe(false);
    expect(g.reachable().has(g.cfg.exit)).toBe(true); // through the other branch
  });

  it('aliased and dot-imported os.Exit / log.Fatal are no-return too', () => {
    const src = 'package p\n\nimport (\n\txos "os"\n\t. "log"\n)\n\nfunc f(c bool) {\n\tif c {\n\t\txos.Exit(3)\n\t}\n\tif !c {\n\t\tFatalf("x")\n\t}\n\ty()\n}\n\nfunc y() {}\n';
    const g = graph(src);
    expect(g.block('xos.Exit(3)').succs).toEqual([g.cfg.abort]);
    expect(g.block('Fatalf("x")').succs).toEqual([g.cfg.abort]);
    expect(g.live('y()')).toBe(true);
  });

  it('broken function bodies still get a CFG (no crash)', () => {
    const bodies = ['\tif c\n', '\tif c {\n', '\tfor i := 0; i < 3; i++\n\tx()', '\tfor\n', '\tswitch {\n\tcase c:\n', '\tselect {\n\tcase <-ch\n\t}', '\tif c { a() } else\n', '\tgo\n', '\tL:\n', '\tgoto\n', '\tx := func() {\n\tif c\n}\n_ = x'];
    for (const body of bodies) {
      const { pkg } = makePackage({ 'a.go': `package p\nfunc f(c bool, ch chan int) {\n${body}\n}\nfunc a() {}\nfunc x() {}\n` });
      const facts = new PackageFacts(pkg);
      for (const { decl, file } of pkg.funcDecls) {
        const fc = facts.funcCtx(decl, file);
        for (const f of fc.res.funcs) expect(fc.cfg(f)?.entry).toBeDefined();
      }
    }
  });

  it('calls that return are not no-return: log.Println, t.Log-like, t.Error', () => {
    const g = graph(fn('\tlog.Println("x")\n\tt.Errorf("x")\n\tt.Cleanup(nil)', 'f(t *testing.T)'));
    expect(g.reachable().has(g.cfg.abort)).toBe(false);
    expect(g.cfg.entry.succs).toEqual([g.cfg.exit]);
  });

  it('a local variable named os or log is not the package', () => {
    const src = `${pre}type fake struct{}\nfunc (fake) Exit(int) {}\nfunc (fake) Fatal(...any) {}\nfunc f() {\n\tos := fake{}\n\tos.Exit(1)\n\tlog := fake{}\n\tlog.Fatal(1)\n\tx()\n}\nfunc x() {}\n`;
    const g = graph(src);
    expect(g.live('x()')).toBe(true);
    expect(g.reachable().has(g.cfg.abort)).toBe(false);
  });

  it('a same-package helper that always panics (or exits) is a no-return; one that may return is not', () => {
    const src = `${pre}func die(msg string) {\n\tpanic(msg)\n}\nfunc fatal(err error) {\n\tlog.Printf("%v", err)\n\tos.Exit(2)\n}\nfunc spin() {\n\tfor {\n\t}\n}\nfunc viaDie() {\n\tdie("again")\n}\nfunc maybe(c bool) {\n\tif c {\n\t\tpanic(1)\n\t}\n}\nfunc f(c bool) {\n\tswitch {\n\tcase c:\n\t\tdie("x")\n\tcase !c:\n\t\tfatal(nil)\n\tdefault:\n\t\tspin()\n\t}\n\tx()\n}\nfunc g(c bool) {\n\tviaDie()\n\tx()\n}\nfunc h(c bool) {\n\tmaybe(c)\n\tx()\n}\nfunc x() {}\n`;
    const f = graph(src, 'f');
    for (const c of ['die("x")', 'fatal(nil)', 'spin()']) expect(f.block(c).succs).toEqual([f.cfg.abort]);
    expect(f.live('x()')).toBe(false);
    expect(f.reachable().has(f.cfg.exit)).toBe(false);
    const g = graph(src, 'g');
    expect(g.live('x()')).toBe(false); // transitively
    const h = graph(src, 'h');
    expect(h.live('x()')).toBe(true);
    expect(h.reachable().has(h.cfg.abort)).toBe(false);
  });

  it('a helper in another file of the package is analysed too', () => {
    const g = graph(fn('\tif c {\n\t\tmustFail()\n\t}\n\tx()'), 'f', undefined, { 'b.go': 'package p\n\nfunc mustFail() {\n\tpanic("no")\n}\n' });
    expect(g.block('mustFail()').succs).toEqual([g.cfg.abort]);
  });

  it('recursion does not hang the no-return analysis', () => {
    const src = `${pre}func r(n int) {\n\tif n > 0 {\n\t\tr(n - 1)\n\t}\n\tpanic(n)\n}\nfunc loop() {\n\tloop()\n}\nfunc f() {\n\tr(3)\n\tloop()\n\tx()\n}\nfunc x() {}\n`;
    const g = graph(src, 'f');
    // Sound answers only: `r` never returns (every path panics); for `loop` either answer is acceptable.
    expect(g.block('r(3)').succs).toEqual([g.cfg.abort]);
  });

  it('function literals are not expanded: a panic in a goroutine does not end the outer path', () => {
    const src = fn('\tgo func() {\n\t\tpanic("in goroutine")\n\t}()\n\tdefer func() { os.Exit(1) }()\n\tx()');
    const outer = graph(src);
    expect(outer.live('x()')).toBe(true);
    expect(outer.reachable().has(outer.cfg.abort)).toBe(false);
    const lit = graph(src, 'f', 0);
    expect(lit.block('panic("in goroutine")').succs).toEqual([lit.cfg.abort]);
    expect(lit.reachable().has(lit.cfg.exit)).toBe(false);
  });

  it('a no-return call used as a value is not a statement-level abort (like go/cfg)', () => {
    const src = `${pre}func die() int {\n\tpanic(1)\n}\nfunc f() {\n\t_ = die()\n\tx()\n}\nfunc x() {}\n`;
    const g = graph(src, 'f');
    expect(g.live('x()')).toBe(true);
  });
});

describe('package-level function literals', () => {
  it('a func literal in a package var gets resolution and its own CFG', () => {
    const { pkg } = makePackage({
      'a.go': 'package p\n\nimport "sync"\n\nvar handler = func(c bool) {\n\tvar wg sync.WaitGroup\n\tif c {\n\t\tpanic("x")\n\t}\n\twg.Wait()\n}\n\nfunc other() {}\n',
    });
    const facts = new PackageFacts(pkg);
    const fcs = facts.functions(/wg\.Wait/);
    expect(fcs).toHaveLength(1);
    const fc = fcs[0] as FuncCtx;
    expect(fc.decl.type).toBe('var_declaration');
    expect(fc.cfg()).toBeUndefined(); // the declaration itself has no body
    const lit = fc.res.funcs.find((f) => f.type === 'func_literal') as Node;
    const wg = [...fc.res.defs.values()].find((v) => v.name === 'wg');
    expect(wg && fc.res.varType(wg)).toMatchObject({ kind: 'named', pkg: 'sync', name: 'WaitGroup' });
    const cfg = fc.cfg(lit) as CFG;
    const panicStmt = [...cfg.where.keys()].find((n) => fc.text(n) === 'panic("x")') as Node;
    expect(cfg.where.get(panicStmt)?.block.succs).toEqual([cfg.abort]);
    expect(facts.functions(/nothing-matches/)).toEqual([]);
  });
});

describe('findEscapingPath and reaches', () => {
  const isUnlock = (g: G) => (n: Node): boolean => /\bmu\.Unlock\(\)/.test(g.fc.text(n)) && n.type !== 'if_statement';

  it('finds the early return that skips the barrier', () => {
    const g = graph(fn('\tvar mu sync.Mutex\n\tmu.Lock()\n\tif c {\n\t\treturn\n\t}\n\tmu.Unlock()\n\treturn', 'f(c bool)'));
    const r = findEscapingPath(g.cfg, g.node('mu.Lock()'), isUnlock(g));
    expect(r).not.toBeNull();
    expect(r?.last).toBe(g.node('return', 0));
  });

  it('returns null when every path passes the barrier', () => {
    const g = graph(fn('\tvar mu sync.Mutex\n\tmu.Lock()\n\tif c {\n\t\tmu.Unlock()\n\t\treturn\n\t}\n\tmu.Unlock()', 'f(c bool)'));
    expect(findEscapingPath(g.cfg, g.node('mu.Lock()'), isUnlock(g))).toBeNull();
  });

  it('falling off the end without the barrier gives last: undefined', () => {
    const g = graph(fn('\tvar mu sync.Mutex\n\tmu.Lock()\n\tif c {\n\t\tmu.Unlock()\n\t}', 'f(c bool)'));
    expect(findEscapingPath(g.cfg, g.node('mu.Lock()'), isUnlock(g))).toEqual({ last: undefined });
  });

  it('paths that panic or exit are not escapes', () => {
    const g = graph(fn('\tvar mu sync.Mutex\n\tmu.Lock()\n\tif c {\n\t\tpanic("x")\n\t}\n\tif d {\n\t\tos.Exit(1)\n\t}\n\tmu.Unlock()', 'f(c, d bool)'));
    expect(findEscapingPath(g.cfg, g.node('mu.Lock()'), isUnlock(g))).toBeNull();
  });

  it('an escape through a loop exit and a select case', () => {
    const g = graph(
      fn('\tvar mu sync.Mutex\n\tmu.Lock()\n\tfor i := 0; i < n; i++ {\n\t\tselect {\n\t\tcase <-ch:\n\t\t\treturn\n\t\tdefault:\n\t\t}\n\t}\n\tmu.Unlock()', 'f(n int, ch chan int)'),
    );
    const r = findEscapingPath(g.cfg, g.node('mu.Lock()'), isUnlock(g));
    expect(r?.last).toBe(g.node('return'));
  });

  it('blockBarrier can cut edges into a block', () => {
    const g = graph(fn('\tvar mu sync.Mutex\n\tmu.Lock()\n\tif c {\n\t\ta()\n\t\treturn\n\t}\n\tmu.Unlock()', 'f(c bool)'));
    const thenBlock = g.block('a()');
    expect(findEscapingPath(g.cfg, g.node('mu.Lock()'), isUnlock(g))?.last).toBe(g.node('return'));
    expect(findEscapingPath(g.cfg, g.node('mu.Lock()'), isUnlock(g), (to) => to === thenBlock)).toBeNull();
  });

  it('a node that is not in the CFG gives null / false', () => {
    const g = graph(fn('\ta()'));
    const stranger: Node = { type: 'identifier', named: true, field: null, start: 0, end: 0, children: [], parent: null };
    expect(findEscapingPath(g.cfg, stranger, () => false)).toBeNull();
    expect(reaches(g.cfg, stranger, g.cfg.exit)).toBe(false);
  });

  it('reaches follows the successors of the node block, not the rest of its own block', () => {
    const g = graph(fn('\ta()\n\tfor c {\n\t\tb()\n\t}\n\tx()'));
    expect(reaches(g.cfg, g.node('b()'), g.block('b()'))).toBe(true); // via the back edge
    expect(reaches(g.cfg, g.node('x()'), g.block('b()'))).toBe(false);
    expect(reaches(g.cfg, g.node('a()'), g.cfg.exit)).toBe(true);
  });

  it('buildCFG can be driven directly with a custom oracle', () => {
    const { pkg } = makePackage({ 'a.go': fn('\ta()\n\tb()\n\tx()') });
    const { decl, file } = findDecl(pkg, 'f');
    const body = file.body(decl) as Node;
    const cfg = buildCFG(body, (n) => file.textOf(n), (call) => file.textOf(call) === 'b()');
    const b = allNodes(body).find((n) => n.type === 'expression_statement' && file.textOf(n) === 'b()') as Node;
    expect(cfg.where.get(b)?.block.succs).toEqual([cfg.abort]);
    expect(cfg.entry.succs).toEqual([cfg.abort]);
  });
});
