/**
 * @fileoverview Helpers shared by the goroutine-lifecycle rules (select-without-exit,
 * unbounded-goroutines, time-after-in-loop, ticker-not-stopped): which function bodies
 * run as goroutines, whether a loop or a function can end, and the Go 1.23 timer gate.
 */
import { reachableBlocks, type CFG } from '../go/cfg.js';
import { compareGoVersions } from '../go/loader.js';
import { field, named, unparen, walk, type Node } from '../go/syntax.js';
import type { FuncCtx, Pass } from './pass.js';

/** A function body that runs as a goroutine, and the `go` statement that starts it. */
export interface GoroutineBody {
  /** The FuncCtx that holds `fn`. */
  fc: FuncCtx;
  /** A func literal (`go func() {...}()`) or a same-package declaration (`go s.loop()`). */
  fn: Node;
  goStmt: Node;
  /** The FuncCtx holding the go statement. */
  spawner: FuncCtx;
}

/**
 * Goroutine bodies reachable from the given functions: `go func(){...}()` literals, and
 * same-package functions and methods that are started with `go` and never called
 * synchronously in the analysed functions (a function that is also called normally is
 * not only a goroutine body). Each body appears once. `wants` filters bodies by their
 * source text before any further work (a cheap pre-check such as "contains select").
 */
export function goroutineBodies(pass: Pass, fcs: FuncCtx[], wants: (fnText: string) => boolean = () => true): GoroutineBody[] {
  const out: GoroutineBody[] = [];
  const started = new Map<Node, { goStmt: Node; spawner: FuncCtx }>();
  const startedNames = new Set<string>();
  for (const fc of fcs) {
    walk(fc.decl, (n) => {
      if (n.type !== 'go_statement') return;
      const call = named(n)[0];
      const fn = call && unparen(field(call, 'function') ?? call);
      if (!call || !fn) return false;
      if (fn.type === 'func_literal') {
        if (wants(fc.text(fn))) out.push({ fc, fn, goStmt: n, spawner: fc });
        return; // go statements nested in the literal start goroutines too
      }
      const decl = calleeDecl(pass, fc, call);
      if (!decl || started.has(decl)) return false;
      const file = pass.pkg.fileOf(decl);
      if (!file || !wants(file.text.slice(decl.start, decl.end))) return false;
      started.set(decl, { goStmt: n, spawner: fc });
      startedNames.add(lastName(fc, fn));
      return false;
    });
  }
  if (started.size === 0) return out;
  // A function that is also called synchronously is not only a goroutine body. Only
  // calls spelled with one of the started names need resolving.
  const syncCalled = new Set<Node>();
  for (const fc of fcs) {
    walk(fc.decl, (n) => {
      if (n.type !== 'call_expression' || n.parent?.type === 'go_statement') return;
      const f = field(n, 'function');
      if (!f || !startedNames.has(lastName(fc, unparen(f)))) return;
      const decl = calleeDecl(pass, fc, n);
      if (decl) syncCalled.add(decl);
    });
  }
  for (const [decl, s] of started) {
    if (syncCalled.has(decl)) continue;
    const fc = pass.facts.funcCtxOfDecl(decl);
    if (fc) out.push({ fc, fn: decl, goStmt: s.goStmt, spawner: s.spawner });
  }
  return out;
}

/** The same-package function or method declaration a call calls, if any. */
function calleeDecl(pass: Pass, fc: FuncCtx, call: Node): Node | undefined {
  const c = fc.res.callee(call);
  if (c.kind === 'func') return c.obj.pkg === pass.pkg && c.obj.kind === 'func' ? c.obj.node : undefined;
  return c.kind === 'method' ? c.method.decl : undefined;
}

/** `f` → "f", `s.loop` → "loop", `f[T]` → "f". */
function lastName(fc: FuncCtx, f: Node): string {
  const x = f.type === 'index_expression' ? (field(f, 'operand') ?? f) : f;
  if (x.type === 'selector_expression') {
    const fl = field(x, 'field');
    return fl ? fc.text(fl) : '';
  }
  return fc.text(x);
}


/**
 * True when some path from the head of `loop` reaches the end of the function, normally
 * or by panicking / calling a function that never returns (`cfg.abort`): the goroutine
 * running it can end. A `for {}` whose only exits are missing cannot.
 */
export function loopCanEnd(cfg: CFG, loop: Node): boolean {
  const head = cfg.loopHeads.get(loop);
  if (!head) return true; // not modelled: assume it can end (precision first)
  const r = reachableBlocks(head);
  return r.has(cfg.exit) || r.has(cfg.abort);
}


/** The nearest `for` statement around `n` inside function `fn` (not crossing a func literal). */
export function loopAround(n: Node, fn: Node): Node | undefined {
  for (let p = n.parent; p && p !== fn; p = p.parent) {
    if (p.type === 'for_statement') return p;
    if (p.type === 'func_literal') return undefined;
  }
  return undefined;
}

/**
 * The Go 1.23 timer gate (Go 1.23 release notes, "Timer changes"; staticcheck SA1015):
 * from Go 1.23 on, timers and tickers that are no longer referenced are collected even
 * if they were not stopped, and a timer channel nobody receives from is not even in the
 * runtime's timer heap, so an unstopped ticker or a `time.After` in a loop is no longer
 * a leak. The new behaviour is chosen by the main module's `go` line, so only a go.mod
 * that says `go 1.23` or later counts; an unknown version (no go.mod) is treated as
 * older, like SA1015. `GODEBUG asynctimerchan=1` (a `godebug` line in go.mod or a
 * `//go:debug` directive in package main) brings the old timers back.
 */
export function timersCollected(pass: Pass): boolean {
  const v = pass.goVersion;
  return v !== '' && compareGoVersions(v, '1.23') >= 0 && pass.pkg.goDebug('asynctimerchan') !== '1';
}
