/**
 * @fileoverview Once re-entry (issue 13): a `sync.Once.Do(f)` whose f — directly, through
 * calls, interface calls, stored callbacks — calls `Do` on the same Once, or starts a
 * goroutine that must get past such a `Do` before f can return.
 *
 * `Once.Do` runs f while holding the Once's internal mutex (sync/once.go, doSlow:
 * `o.m.Lock(); defer o.m.Unlock(); if o.done.Load() == 0 { defer o.done.Store(1); f() }`),
 * and the package docs say so: "if f causes Do to be called, it will deadlock". A second
 * `Do` on the same instance from inside f blocks on that mutex forever; one from another
 * goroutine blocks until f returns — forever, when f waits for that goroutine.
 *
 * Each function gets a *may-Do* summary: the Onces it (or what it runs on its goroutine)
 * may call `Do` on, named by the lock analysis's paths (`recv.once`, `p0.reg.once`,
 * `g:initOnce`; locks.ts `lockRef`) so a callee's `recv.once` is renamed to the caller's
 * receiver expression, as lock summaries are. Callees are followed through static calls,
 * methods with pointer receivers, function literals run in place, local closures, the
 * callbacks the standard library runs before returning (`sort.Slice`, `Once.Do` itself),
 * and calls through function values and interfaces the program model resolves completely
 * (`callSite(call).complete`, at most four targets): a target that is a function
 * declaration gets its parameters renamed, a method value or closure whose receiver or
 * captured variables are not known here keeps only what is named through its parameters
 * and package variables. A method value stored in a field of the object itself (`c.onEvict
 * = c.recordEviction`) and a field holding the object itself (`h.notifier = h`) are
 * resolved with the receiver known (lockalias.ts `selfCallee`). Recursion is cut (a
 * function being summarised contributes nothing further): the result can only miss.
 */
import { cfgNodeOf, reachesFromEntry } from '../go/cfg.js';
import type { SourceFile } from '../go/source.js';
import { field, named, unparen, walk, type Node } from '../go/syntax.js';
import { deref } from '../go/types.js';
import { callArgs } from './chanfacts.js';
import { localClosure, lockRef, rootMap, syncCallbackIndex } from './locks.js';
import { fieldFuncs, fieldRegistrations, selfCallee } from './lockalias.js';
import type { FuncCtx, PackageFacts } from './pass.js';
import { programModel, type FuncNode } from './program/index.js';

/** A `Do` a function may reach: the Once's key in that function's names, the Do call and the chain of calls. */
export interface DoReach {
  key: string;
  text: string;
  site: { node: Node; file: SourceFile };
  /** Functions called on the way, outermost first (`Get`, `Once.Do → load`). */
  via: string[];
  /** The call in the summarised function that leads there (the Do itself when direct). */
  at: Node;
}

/** A re-entry found at a `Do` call. */
export interface Reentry {
  fc: FuncCtx;
  /** The outer Do call. */
  call: Node;
  key: string;
  text: string;
  /** How f reaches the inner Do on its own goroutine. */
  inner?: DoReach;
  /** Or: the goroutine f starts, which reaches the Do before waking f's wait. */
  viaGoroutine?: { go: Node; name: string; inner: DoReach; wait: Node; waitFc: FuncCtx; waker: Node; what: string };
}

const MAX_TARGETS = 4;
const MAX_DEPTH = 6;
const MAX_PATH = 4;

/** The Once re-entry analysis of a package (memoised in its facts). */
export function onceReentry(facts: PackageFacts): OnceReentry {
  return facts.memo('once-reentry', () => new OnceReentry(facts));
}

/** Computes may-Do summaries on demand and the re-entries of the package. */
export class OnceReentry {
  private sums = new Map<Node, Map<string, DoReach>>();
  private inProgress = new Set<Node>();

  constructor(readonly facts: PackageFacts) {}

  private shared: boolean | undefined;

  private modelShared(): boolean {
    this.shared ??= this.facts.pkg.files.some((f) => /\bchan\b/.test(f.text)) && this.facts.pkg.files.some((f) => /\bgo\s/.test(f.text));
    return this.shared;
  }

  /** The Onces `fn` (a declaration or a literal of `fc`) may call Do on, in `fc.decl`'s names. */
  mayDo(fc: FuncCtx, fn: Node, depth = 0): Map<string, DoReach> {
    const have = this.sums.get(fn);
    if (have) return have;
    const out = new Map<string, DoReach>();
    if (this.inProgress.has(fn) || depth > MAX_DEPTH) return out;
    this.inProgress.add(fn);
    const body = fn === fc.decl ? fc.body : field(fn, 'body');
    const add = (r: DoReach): void => {
      if (!out.has(r.key) && r.key.split('.').length <= MAX_PATH + 1) out.set(r.key, r);
    };
    if (body) {
      walk(body, (n) => {
        if (n.type === 'go_statement') return false; // another goroutine
        if (n.type === 'func_literal') return false; // runs where it is called (handled at the call)
        if (n.type !== 'call_expression') return;
        for (const r of this.callReaches(fc, n, depth)) add(r);
        return;
      });
    }
    this.inProgress.delete(fn);
    this.sums.set(fn, out);
    return out;
  }

  /** What one call may reach, in the caller's names: a Do itself, the callback it runs, a callee's summary. */
  private callReaches(fc: FuncCtx, call: Node, depth: number): DoReach[] {
    const out: DoReach[] = [];
    const doKey = this.doKey(fc, call);
    if (doKey) out.push({ ...doKey, site: { node: call, file: fc.file }, via: [], at: call });
    for (const t of this.targets(fc, call)) {
      for (const r of this.mayDo(t.fc, t.fn, depth + 1).values()) {
        const m = t.map(r.key);
        if (m) out.push({ key: m.key, text: m.text || r.text, site: r.site, via: [t.name, ...r.via], at: call });
      }
    }
    return out;
  }

  /** `x.Do(f)` on a sync.Once: the key and text of x. */
  doKey(fc: FuncCtx, call: Node): { key: string; text: string } | undefined {
    const c = fc.res.callee(call);
    if (c.kind !== 'method' || c.method.pkg !== 'sync' || c.method.recvType !== 'Once' || c.method.name !== 'Do') return undefined;
    const r = lockRef(fc, c.recv);
    return r ? { key: r.key, text: r.text.replace(/^&/, '') } : undefined;
  }

  /**
   * The functions a call runs on this goroutine before it returns, with the renaming of
   * their keys into the caller's names. For `x.Do(f)` and the other synchronous library
   * callbacks: f.
   */
  targets(fc: FuncCtx, call: Node): Array<{ fc: FuncCtx; fn: Node; map: (k: string) => { key: string; text: string } | undefined; name: string }> {
    const c = fc.res.callee(call);
    const args = callArgs(call);
    const same = (k: string): { key: string; text: string } => ({ key: k, text: '' });
    const cbIdx = syncCallbackIndex(fc, call, c);
    if (cbIdx !== undefined) {
      const a = args[cbIdx];
      if (!a) return [];
      const fname = c.kind === 'method' ? `${c.method.recvType}.${c.method.name}` : fc.text(field(call, 'function') ?? call).replace(/^.*\//, '');
      return this.valueTargets(fc, a).map((t) => ({ ...t, name: `${fname} → ${t.name}` }));
    }
    if (c.kind === 'literal') return [{ fc, fn: c.fn, map: same, name: 'the function literal' }];
    if (c.kind === 'local') {
      const lit = localLiteral(fc, c.v.ident);
      if (lit) return [{ fc, fn: lit, map: same, name: c.v.name }];
    }
    if (c.kind === 'func' && c.obj.pkg === this.facts.pkg && c.obj.kind === 'func' && c.obj.node.type === 'function_declaration') {
      const cfc = this.facts.funcCtxOfDecl(c.obj.node);
      return cfc ? [{ fc: cfc, fn: c.obj.node, map: rootMap(fc, undefined, args), name: c.obj.name }] : [];
    }
    if (c.kind === 'method') {
      if (c.method.pkg !== this.facts.pkg.importPath || !c.method.decl) return [];
      const cfc = this.facts.funcCtxOfDecl(c.method.decl);
      const rt = deref(c.recvType);
      // Only a direct pointer-receiver call shares the receiver's Onces (a value receiver is a copy).
      const recv = c.method.pointerRecv && rt.kind === 'named' && rt.name === c.method.recvType ? c.recv : undefined;
      return cfc ? [{ fc: cfc, fn: c.method.decl, map: rootMap(fc, recv, args), name: `${c.method.recvType}.${c.method.name}` }] : [];
    }
    if (c.kind !== 'unknown' && c.kind !== 'local') return [];
    // A field holding a method value of its own object, or the object itself.
    const fnExpr = field(call, 'function');
    const self = fnExpr ? selfCallee(fc, unparen(fnExpr)) : undefined;
    if (self) {
      const cfc = this.facts.funcCtxOfDecl(self.decl);
      return cfc ? [{ fc: cfc, fn: self.decl, map: rootMap(fc, self.pointer ? self.recv : undefined, args, self.strip), name: self.name }] : [];
    }
    // A field holding package functions only (`for _, load := range r.loaders { load(r) }`).
    const held = fnExpr ? funcField(fc, unparen(fnExpr)) : undefined;
    const fns = held ? fieldFuncs(fc, held.owner, held.name) : undefined;
    if (fns && fns.length > 0 && fns.length <= MAX_TARGETS) {
      const out: ReturnType<OnceReentry['targets']> = [];
      for (const d of fns) {
        const cfc = this.facts.funcCtxOfDecl(d);
        if (cfc) out.push({ fc: cfc, fn: d, map: rootMap(fc, undefined, args), name: cfc.nameOf(d) });
      }
      return out;
    }
    // Closures registered on the same object (`s.OnConnect(func(c *C) { s.Addr() })`).
    const regs = held && !fns ? fieldRegistrations(fc, held.owner, held.name) : undefined;
    const ownerRef = held ? lockRef(fc, held.owner) : undefined;
    if (regs && ownerRef && regs.length <= MAX_TARGETS) {
      return regs.map((r) => {
        const hk = lockRef(r.fc, r.holder)?.key;
        const map = (k: string): { key: string; text: string } | undefined => {
          if (k.startsWith('g:')) return { key: k, text: k.slice(2) };
          if (!hk || (k !== hk && !k.startsWith(`${hk}.`))) return undefined;
          const rest = k.slice(hk.length);
          return { key: ownerRef.key + rest, text: ownerRef.text.replace(/^&/, '') + rest };
        };
        return { fc: r.fc, fn: r.lit, map, name: `the function literal registered at ${r.fc.file.path.split('/').pop() ?? ''}:${r.fc.file.line(r.lit.start)}` };
      });
    }
    // The program model is asked only where the channel rules build it anyway (a package
    // with channels and goroutines): building it for this rule alone costs more than it finds.
    if (!this.modelShared()) return [];
    const cs = programModel(this.facts).callSite(call);
    if (!cs?.complete || cs.targets.length === 0 || cs.targets.length > MAX_TARGETS) return [];
    const recvOf = cs.kind === 'interface' && fnExpr && unparen(fnExpr).type === 'selector_expression' ? field(unparen(fnExpr), 'operand') : undefined;
    return cs.targets.map((t) => this.bound(fc, t, cs.kind === 'interface' ? recvOf : undefined, args));
  }

  /** The targets of a function value passed as a callback (`once.Do(c.load)`, a literal, a local closure, a function name). */
  private valueTargets(fc: FuncCtx, a0: Node): Array<{ fc: FuncCtx; fn: Node; map: (k: string) => { key: string; text: string } | undefined; name: string }> {
    const a = unparen(a0);
    const same = (k: string): { key: string; text: string } => ({ key: k, text: '' });
    if (a.type === 'func_literal') return [{ fc, fn: a, map: same, name: 'the function literal' }];
    if (a.type === 'identifier') {
      const lit = localLiteral(fc, a);
      if (lit) return [{ fc, fn: lit, map: same, name: fc.text(a) }];
      const o = fc.res.pkgObjOf(a);
      if (o?.kind === 'func' && o.pkg === this.facts.pkg && o.node.type === 'function_declaration') {
        const cfc = this.facts.funcCtxOfDecl(o.node);
        return cfc ? [{ fc: cfc, fn: o.node, map: rootMap(fc, undefined, []), name: o.name }] : [];
      }
      return [];
    }
    if (a.type === 'selector_expression') {
      // A method value binds its receiver when evaluated (Go spec, "Method values").
      const op = field(a, 'operand');
      const fl = field(a, 'field');
      if (!op || !fl || fc.res.importOf(op)) return [];
      const t = fc.res.typeOf(op);
      const rt = deref(t);
      if (rt.kind !== 'named' || rt.pkg !== this.facts.pkg.importPath) return [];
      const m = this.facts.pkg.method(rt.name, fc.text(fl));
      if (!m?.decl) return [];
      const cfc = this.facts.funcCtxOfDecl(m.decl);
      return cfc ? [{ fc: cfc, fn: m.decl, map: rootMap(fc, m.pointerRecv ? op : undefined, []), name: `${m.recvType}.${m.name}` }] : [];
    }
    return [];
  }

  /** A target of a function-value or interface call: parameters renamed; the receiver only for an interface call on a pointer receiver. */
  private bound(fc: FuncCtx, t: FuncNode, recv: Node | undefined, args: Node[]): { fc: FuncCtx; fn: Node; map: (k: string) => { key: string; text: string } | undefined; name: string } {
    const isDecl = t.node.type === 'function_declaration' || t.node.type === 'method_declaration';
    if (!isDecl) {
      // A closure: keys are in its declaration's names; only package variables carry over,
      // unless it is a literal of this very declaration.
      const sameDecl = t.fc.decl === fc.decl;
      return { fc: t.fc, fn: t.node, map: (k) => (sameDecl || k.startsWith('g:') ? { key: k, text: '' } : undefined), name: t.name };
    }
    const ptr = t.node.type === 'method_declaration' && /^\s*\(\s*\w*\s*\*/.test(t.fc.text(field(t.node, 'receiver') ?? t.node));
    return { fc: t.fc, fn: t.node, map: rootMap(fc, ptr ? recv : undefined, args), name: t.name };
  }

  private all: Reentry[] | undefined;

  /** Every re-entered Do of the package. */
  reentries(): Reentry[] {
    if (this.all) return this.all;
    const out: Reentry[] = [];
    for (const { decl, file } of this.facts.pkg.funcDecls) {
      if (!file.text.slice(decl.start, decl.end).includes('.Do(')) continue;
      const fc = this.facts.funcCtx(decl, file);
      walk(decl, (n) => {
        if (n.type !== 'call_expression') return;
        const k = this.doKey(fc, n);
        if (!k) return;
        const r = this.reentryAt(fc, n, k);
        if (r) out.push(r);
      });
    }
    this.all = out;
    return out;
  }

  private reentryAt(fc: FuncCtx, call: Node, k: { key: string; text: string }): Reentry | undefined {
    const ts = this.targets(fc, call);
    for (const t of ts) {
      for (const r of this.mayDo(t.fc, t.fn).values()) {
        const m = t.map(r.key);
        if (m?.key === k.key) return { fc, call, key: k.key, text: k.text, inner: { ...r, key: m.key, via: [t.name, ...r.via] } };
      }
    }
    for (const t of ts) {
      const g = this.goroutineReentry(t.fc, t.fn, t.map, k.key);
      if (g) return { fc, call, key: k.key, text: k.text, viaGoroutine: g };
    }
    return undefined;
  }

  /**
   * f (`fn`) starts a goroutine running a same-package function G that reaches `Do` on the
   * Once (`key` in the outer names), and f then blocks on a channel whose every waker is in
   * G and comes, on every path of G, after a call that reaches that Do: G waits for f to
   * return and f waits for G.
   */
  private goroutineReentry(fc: FuncCtx, fn: Node, map: (k: string) => { key: string; text: string } | undefined, key: string): Reentry['viaGoroutine'] {
    const body = fn === fc.decl ? fc.body : field(fn, 'body');
    if (!body) return undefined;
    let found: Reentry['viaGoroutine'];
    const gos: Node[] = [];
    walk(body, (n) => {
      if (n.type === 'func_literal') return false;
      if (n.type === 'go_statement') gos.push(n);
      return n.type !== 'go_statement';
    });
    if (gos.length === 0) return undefined;
    const pm = programModel(this.facts);
    for (const go of gos) {
      const call = named(go).find((c) => c.type === 'call_expression');
      if (!call) continue;
      for (const t of this.targets(fc, call)) {
        if (t.fn !== t.fc.decl) continue;
        // The Do G reaches, and the calls in G that lead there.
        const barriers = new Map<Node, DoReach>();
        for (const r of this.mayDo(t.fc, t.fn).values()) {
          const inner = t.map(r.key);
          const outer = inner ? map(inner.key) : undefined;
          if (outer?.key === key) barriers.set(r.at, r);
        }
        if (barriers.size === 0) continue;
        const gFn = pm.funcOf(t.fn);
        const g = t.fc.cfg(t.fn);
        if (!gFn || !g) continue;
        const isBarrier = (n: Node): boolean => [...barriers.keys()].some((b) => b.start >= n.start && b.end <= n.end);
        // f's blocking channel operations after the go statement.
        walk(body, (n) => {
          if (found) return false;
          if (n.type === 'func_literal' || n.type === 'go_statement') return false;
          if (n.start < go.end) return;
          const wait = blockingChanOp(fc, n);
          if (!wait) return;
          const fnode = pm.funcOf(fn);
          const o = fnode ? pm.objectOf(fc, wait.expr) : undefined;
          if (!o || o.kind !== 'chan' || !pm.known(o)) return;
          const wakers = pm.opsOn(o, wait.wakers);
          if (wakers.length === 0 || wakers.some((w) => w.fn !== gFn)) return;
          // Every waker comes after the re-entering call on every path of G.
          for (const w of wakers) {
            const at = cfgNodeOf(g, w.node);
            if (!at || isBarrier(at) || reachesFromEntry(g, at, isBarrier)) return;
          }
          const inner = [...barriers.values()][0] as DoReach;
          const w0 = wakers[0];
          if (!w0) return;
          found = { go, name: t.name, inner, wait: n, waitFc: fc, waker: w0.node, what: wait.what };
          return false;
        });
        if (found) return found;
      }
    }
    return undefined;
  }
}

/** A receive or send statement/expression that blocks (not a select case), with the op kinds that wake it. */
function blockingChanOp(fc: FuncCtx, n: Node): { expr: Node; wakers: Array<'send' | 'close' | 'recv' | 'range'>; what: string } | undefined {
  if (n.type === 'unary_expression' && fc.text(n).trimStart().startsWith('<-') && n.parent?.type !== 'communication_case') {
    if (n.parent?.type === 'expression_list' && n.parent.parent?.type === 'receive_statement') return undefined;
    const op = field(n, 'operand');
    return op ? { expr: op, wakers: ['send', 'close'], what: 'receiving from' } : undefined;
  }
  if (n.type === 'send_statement' && n.parent?.type !== 'communication_case') {
    const ch = field(n, 'channel');
    return ch ? { expr: ch, wakers: ['recv', 'range'], what: 'sending on' } : undefined;
  }
  return undefined;
}

/** The func literal a never-reassigned local holds (`load := func() {...}`). */
function localLiteral(fc: FuncCtx, id: Node): Node | undefined {
  const v = fc.res.localOf(id) ?? fc.res.defs.get(id);
  return v ? localClosure(fc, v) : undefined;
}

/** The struct field a called function value comes from: `x.f(...)`, `x.fs[i](...)`, `h(...)` with `h` ranging over or copied from `x.fs`. */
export function funcField(fc: FuncCtx, e0: Node): { owner: Node; name: string } | undefined {
  let e = unparen(e0);
  if (e.type === 'identifier') {
    const v = fc.res.localOf(e);
    if (v?.kind !== 'var') return undefined;
    for (const r of fc.res.refs.get(v) ?? []) {
      const p = r.parent;
      if (p?.type === 'expression_list' && p.parent?.type === 'assignment_statement' && p.parent.children[0] === p) return undefined;
    }
    if (v.rangeOf && v.rangeOf.pos === 1) e = unparen(v.rangeOf.expr);
    else if (v.init && v.init.count === 1 && !v.rangeOf) e = unparen(v.init.expr);
    else return undefined;
  }
  if (e.type === 'index_expression') e = unparen(field(e, 'operand') ?? e);
  if (e.type !== 'selector_expression') return undefined;
  const owner = field(e, 'operand');
  const fl = field(e, 'field');
  return owner && fl && !fc.res.importOf(owner) ? { owner, name: fc.text(fl) } : undefined;
}

