/**
 * @fileoverview Channel questions on the program model, shared by the channel rules
 * (blocked-receive, nil-channel-op, range-never-closed, select-without-exit,
 * abandoned-sender) for channels that live beyond one function: struct fields, package
 * variables, and channels handed through parameters, results, interfaces and closures.
 * Channels made and used in one function stay with the local analysis (chanfacts.ts,
 * chansummary.ts), which knows more about paths and counts.
 */
import type { FuncCtx, Pass } from '../pass.js';
import { field, named, unparen, walk, type Node } from '../../go/syntax.js';
import { programModel, stdName, type FuncNode, type ObjectInfo, type Op, type ProgramModel } from './index.js';
import { registrationFunc, runsOnce } from '../once.js';

/** A channel-ish token anywhere in the package: building the model is only worth it then. */
const CHAN_TEXT = /\bchan\b/;
/** A goroutine start (a go statement or a library starter): without one, nothing of the package runs concurrently with the channel code. */
const GO_TEXT = /\bgo\s+(?:func\b|[\w.]+\s*[([])|\bAfterFunc\(|\.Go\(|\bHandleFunc\(/;

/**
 * The program model of the pass's package when some file mentions a channel type and
 * some file starts a goroutine; undefined otherwise (the channel rules' model checks are
 * about goroutines blocked for good, and the model costs a scan of the package).
 */
export function chanModel(pass: Pass): ProgramModel | undefined {
  const has = pass.facts.memo('program-chan-text', () => pass.pkg.files.some((f) => CHAN_TEXT.test(f.text)) && pass.pkg.files.some((f) => GO_TEXT.test(f.text)));
  return has ? programModel(pass.facts) : undefined;
}

/**
 * True when the object lives beyond one function: a struct field or a package variable
 * is one of its locations. (A channel only ever held by locals is the local analysis's.)
 */
export function beyondOneFunction(o: ObjectInfo): boolean {
  return o.keys.some((k) => k.startsWith('f:') || k.startsWith('g:'));
}

/**
 * True when the object lives beyond one function itself or as an element of a
 * collection that does (`b.subs[id] = ch` with `subs` a field): one level of containers.
 */
export function beyondOneFunctionHeld(m: ProgramModel, o: ObjectInfo): boolean {
  return beyondOneFunction(o) || m.containersOf(o).some(beyondOneFunction);
}

/** How a message names the object: `field "done" of job`, `package variable "quit"`. */
export function describeObject(o: ObjectInfo): string {
  const f = o.keys.find((k) => k.startsWith('f:'));
  if (f) {
    const dot = f.lastIndexOf('.');
    const typ = f.slice(2, dot);
    return `field "${f.slice(dot + 1)}" of ${typ.slice(typ.lastIndexOf('.') + 1)}`;
  }
  const g = o.keys.find((k) => k.startsWith('g:'));
  if (g) return `package variable "${g.slice(g.lastIndexOf('.') + 1)}"`;
  return 'the channel';
}

/** True when the op runs in `main.main` itself, where blocking forever is how a program parks. */
export function inMainMain(op: Op): boolean {
  const fc = op.fn.fc;
  return op.fn.node === fc.decl && fc.facts.pkg.name === 'main' && fc.name === 'main' && fc.decl.type === 'function_declaration';
}

/** Channel objects of the model's operations of `kinds`, grouped by object (each object once). */
export function chanOps(m: ProgramModel, kinds: Op['kind'][]): Array<{ obj: ObjectInfo; ops: Op[] }> {
  const by = new Map<number, { obj: ObjectInfo; ops: Op[] }>();
  for (const fn of m.functions()) {
    for (const op of m.opsIn(fn)) {
      if (!kinds.includes(op.kind)) continue;
      const obj = m.info(op.cls);
      if (obj.kind !== 'chan') continue;
      let e = by.get(obj.id);
      if (!e) by.set(obj.id, (e = { obj, ops: [] }));
      e.ops.push(op);
    }
  }
  return [...by.values()];
}

/** Where an allocation of the object is, for messages (`main.go:15`). */
export function allocRef(o: ObjectInfo, m: ProgramModel): string | undefined {
  const a = o.allocs[0];
  let p = a?.parent;
  while (p && p.type !== 'function_declaration' && p.type !== 'method_declaration' && p.type !== 'func_literal') p = p.parent;
  const fn = p ? m.funcOf(p) : undefined;
  if (!a || !fn) return undefined;
  const f = fn.fc.file;
  return `${f.path.slice(Math.max(f.path.lastIndexOf('/'), f.path.lastIndexOf('\\')) + 1)}:${f.line(a.start)}`;
}

/**
 * The receive through which alone goroutine function `G` can return: `G`'s body waits
 * with that plain receive as a statement, or is an endless `for { select { ... } }`
 * whose only way out (return, or a break leaving the loop) is that receive's case —
 * nothing else returns, breaks the loop, or jumps. `isExit` picks the receive (a
 * context's Done, a quit channel). Undefined when `G` can leave another way.
 */
export function exitsOnlyThrough(m: ProgramModel, G: FuncNode, isExit: (op: Op) => boolean): Op | undefined {
  const body = field(G.node, 'body');
  if (!body) return undefined;
  const done = m.opsIn(G).find((o) => o.kind === 'recv' && isExit(o));
  if (!done) return undefined;
  const stmts = named(body).flatMap((c) => (c.type === 'statement_list' ? named(c) : [c])).filter((c) => c.type !== 'comment');
  if (!done.select) return stmts.some((st) => st.type === 'expression_statement' && st.start <= done.node.start && st.end >= done.node.end) ? done : undefined;
  let loop: Node | undefined;
  for (let p = done.select.parent; p && p !== body; p = p.parent) if (p.type === 'for_statement') loop = p;
  if (!loop || !stmts.includes(loop)) return undefined;
  if (loop.children.some((c) => c.type === 'for_clause' || c.type === 'range_clause' || c.field === 'condition')) return undefined;
  let doneCase: Node | undefined;
  for (let p = done.node.parent; p && p !== done.select; p = p.parent) if (p.type === 'communication_case') doneCase = p;
  if (!doneCase) return undefined;
  const dc = doneCase;
  const lp = loop;
  let otherExit = false;
  walk(body, (n) => {
    if (n.type === 'func_literal') return false;
    if (n.type === 'goto_statement' || n.type === 'labeled_statement') otherExit = true;
    if (n.type === 'return_statement' && !(n.start >= dc.start && n.end <= dc.end)) otherExit = true;
    if (n.type === 'break_statement' && breaksLoop(n, lp)) otherExit = true;
    return undefined;
  });
  return otherExit ? undefined : done;
}

/** True when `brk` (an unlabelled break) leaves `loop`: no select, switch or inner for between them. */
function breaksLoop(brk: Node, loop: Node): boolean {
  if (named(brk).length > 0) return true;
  for (let p = brk.parent; p && p !== loop; p = p.parent) {
    if (p.type === 'select_statement' || p.type === 'for_statement' || p.type === 'expression_switch_statement' || p.type === 'type_switch_statement') return false;
  }
  return true;
}

/**
 * True when `expr` (`s.ch`) reads a field of a struct the current run of `F` made itself:
 * `s` is a local of `F`'s own body initialised from a composite literal (`T{...}` or
 * `&T{...}`) and never rebound (no assignment, `&s`, `++`, range or receive into it).
 * Such a field holds a channel of this run only, although the model's points-to is
 * field-based (every `T.ch` is one class): a channel allocated only in `F` and read
 * through such fields is as private to one run of `F` as a local.
 */
export function freshStructField(F: FuncNode, expr: Node): boolean {
  const fc = F.fc;
  const e = unparen(expr);
  if (e.type !== 'selector_expression') return false;
  const base = field(e, 'operand');
  const root = base ? unparen(base) : undefined;
  if (root?.type !== 'identifier') return false;
  const v = fc.res.localOf(root);
  if (!v || v.kind !== 'var' || v.func !== F.node || !v.init || v.init.count !== 1 || v.rangeOf || v.recvFrom) return false;
  let init = unparen(v.init.expr);
  if (init.type === 'unary_expression' && fc.text(init).trimStart().startsWith('&')) {
    const op = field(init, 'operand');
    if (op) init = unparen(op);
  }
  if (init.type !== 'composite_literal') return false;
  return (fc.res.refs.get(v) ?? []).every((r) => {
    const p = r.parent;
    if (!p) return false;
    if (p.type === 'selector_expression' && field(p, 'operand') === r) return true;
    if (p.type === 'unary_expression' && fc.text(p).trimStart().startsWith('&')) return false;
    if (p.type === 'inc_statement' || p.type === 'dec_statement' || p.type === 'range_clause') return false;
    // Left side of an assignment (`s = ...`, `s, err = ...`).
    for (let q: Node | null = p; q && q !== F.node; q = q.parent) {
      if (q.type === 'assignment_statement' || q.type === 'short_var_declaration') {
        const left = field(q, 'left');
        return !(left && r.start >= left.start && r.end <= left.end);
      }
      if (q.type.endsWith('_statement') || q.type === 'block') break;
    }
    return true;
  });
}

/** Standard-library calls main may make after a run function returns while the process winds down (reporting the error, exiting). */
const EXITING_STD = /^(?:fmt|log|os|errors|strings)\.[A-Za-z]+$/;

/**
 * True when the process ends soon after function `fn` returns: `fn` is `main.main`, or an
 * unexported function of package main that the package only ever calls (never uses as a
 * value) from such functions, each call in a *tail* position — the rest of the caller is
 * straight-line code without loops, goroutines, channel operations or calls of the
 * package (`if err := run(); err != nil { log.Fatal(err) }` as main's last statement), or
 * an unexported method of package main whose every call is the last statement of such a
 * function or method ({@link methodEndsProcess}).
 * A goroutine that is still blocked when `fn` returns then lives only until the process
 * exits: blocked, but not leaking anything (Go spec, "Program execution": when main
 * returns, the program exits without waiting for other goroutines).
 */
export function endsProcess(pass: Pass, fn: Node, depth = 0): boolean {
  const pkg = pass.pkg;
  if (pkg.name !== 'main' || depth > 3) return false;
  if (fn.type === 'method_declaration') return methodEndsProcess(pass, fn, depth);
  if (fn.type !== 'function_declaration') return false;
  const nameNode = field(fn, 'name');
  const entry = pkg.funcDecls.find((d) => d.decl === fn);
  if (!nameNode || !entry) return false;
  const name = entry.file.textOf(nameNode);
  if (name === 'main') return true;
  if (name === 'init' || /^[A-Z]/.test(name)) return false;
  return pass.facts.memo(`ends-process:${entry.file.path}:${fn.start}`, () => {
    const word = new RegExp(`\\b${name}\\b`);
    if (pkg.varDecls.some((d) => word.test(d.file.text.slice(d.decl.start, d.decl.end)))) return false;
    let calls = 0;
    for (const d of pkg.funcDecls) {
      if (d.decl === fn || !word.test(d.file.text.slice(d.decl.start, d.decl.end))) continue;
      const fc = pass.facts.funcCtx(d.decl, d.file);
      let ok = true;
      walk(d.decl, (n) => {
        if (!ok || n.type !== 'identifier' || fc.text(n) !== name || n.parent?.type === 'selector_expression' && field(n.parent, 'field') === n) return undefined;
        if (fc.res.localOf(n)) return undefined;
        const call = n.parent;
        if (call?.type !== 'call_expression' || field(call, 'function') !== n || enclosingFuncOf(call) !== d.decl || !tailCall(fc, d.decl, call) || !endsProcess(pass, d.decl, depth + 1)) ok = false;
        else calls++;
        return undefined;
      });
      if (!ok) return false;
    }
    return calls > 0;
  });
}

/**
 * {@link endsProcess} for a method of package main: an unexported method every call of
 * which is the last statement of a function or method that ends the process. The method's
 * name is checked at every selector of the package (`cmd.run(args)` through a package
 * interface, `st.run()` on an embedded field): an unexported method of package main can be
 * called from nowhere else, and not through reflection, so when every `.run` is such a tail
 * call, so is every call of it.
 */
function methodEndsProcess(pass: Pass, decl: Node, depth: number): boolean {
  const pkg = pass.pkg;
  const entry = pkg.funcDecls.find((d) => d.decl === decl);
  const nameNode = field(decl, 'name');
  if (!entry || !nameNode) return false;
  const name = entry.file.textOf(nameNode);
  if (!/^[a-z_]/.test(name)) return false;
  return pass.facts.memo(`method-ends-process:${entry.file.path}:${decl.start}`, () => {
    const word = new RegExp(`\\.\\s*${name}\\b`);
    if (pkg.varDecls.some((d) => word.test(d.file.text.slice(d.decl.start, d.decl.end)))) return false;
    let calls = 0;
    for (const d of pkg.funcDecls) {
      if (!word.test(d.file.text.slice(d.decl.start, d.decl.end))) continue;
      const fc = pass.facts.funcCtx(d.decl, d.file);
      let ok = true;
      walk(d.decl, (n) => {
        if (!ok) return false;
        if (n.type !== 'selector_expression' || fc.text(field(n, 'field') ?? n) !== name) return undefined;
        const call = n.parent;
        const stmt = call?.type === 'call_expression' && field(call, 'function') === n ? call.parent : undefined;
        // A call in a method of the same name (`decl` itself, or `stp.run` calling the embedded
        // `stableTest.run`) is a tail call inside the family this check is about: every call of
        // the family is such a tail call or one from a function that ends the process, so the
        // outermost call ends it (the largest fixed point; a depth-bounded recursion would
        // give up on the cycle).
        const family = d.decl.type === 'method_declaration' && d.file.textOf(field(d.decl, 'name') ?? d.decl) === name;
        if (stmt?.type !== 'expression_statement' || !lastStatementOf(d.decl, stmt) || (!family && !endsProcess(pass, d.decl, depth + 1))) ok = false;
        else calls++;
        return undefined;
      });
      if (!ok) return false;
    }
    return calls > 0;
  });
}

/** `stmt` is the last statement of the body of function declaration `decl` (not nested). */
function lastStatementOf(decl: Node, stmt: Node): boolean {
  const body = field(decl, 'body');
  const stmts = body ? named(body).flatMap((c) => (c.type === 'statement_list' ? named(c) : [c])).filter((c) => c.type !== 'comment') : [];
  return stmts[stmts.length - 1] === stmt;
}

function enclosingFuncOf(n: Node): Node | undefined {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'function_declaration' || p.type === 'method_declaration' || p.type === 'func_literal') return p;
  return undefined;
}

/** `call` is in a statement of `fn`'s body after which (itself included) nothing loops, starts goroutines, communicates or calls the package. */
function tailCall(fc: FuncCtx, fn: Node, call: Node): boolean {
  const body = field(fn, 'body');
  if (!body) return false;
  const stmts = named(body).flatMap((c) => (c.type === 'statement_list' ? named(c) : [c])).filter((c) => c.type !== 'comment');
  const i = stmts.findIndex((s) => s.start <= call.start && s.end >= call.end);
  if (i < 0) return false;
  let ok = true;
  for (const [k, s] of stmts.slice(i).entries()) {
    walk(s, (n) => {
      if (!ok) return false;
      if (n.type === 'for_statement' || n.type === 'go_statement' || n.type === 'select_statement' || n.type === 'send_statement' || n.type === 'func_literal' || n.type === 'goto_statement') ok = false;
      else if (n.type === 'unary_expression' && fc.text(n).trimStart().startsWith('<-')) ok = false;
      else if (n.type === 'call_expression' && n !== call) {
        const c = fc.res.callee(n);
        if (c.kind === 'func' && c.obj.pkg === fc.facts.pkg) ok = false;
        else if (c.kind === 'method' && c.method.pkg === fc.facts.pkg.importPath) ok = false;
        else if (k > 0 && c.kind !== 'builtin') {
          // After the statement holding the call: only the standard library's reporting and exiting.
          const std = stdName(fc, n, c);
          if (!std || !EXITING_STD.test(std)) ok = false;
        }
      }
      return undefined;
    });
    if (!ok) return false;
  }
  return true;
}

/**
 * True when node `n` of top-level declaration `decl` builds something once per process
 * by the package's own design: code that runs once (init, a package-level initialiser, a
 * package-level sync.Once / OnceValue — see once.ts), or the body of an exported
 * constructor (outside function literals) that every non-test caller in the package calls
 * where code runs once, with at least one such caller — fasthttp's
 * `stackless.NewFunc`, whose package builds its one worker pool under a package-level
 * `sync.Once`. A worker pool built that way runs for the life of the process by design;
 * tests building throwaway ones do not make it a leak of the package.
 */
export function builtOncePerProcess(pass: Pass, decl: Node, n: Node): boolean {
  if (runsOnce(pass.facts, decl, n)) return true;
  for (let p = n.parent; p && p !== decl; p = p.parent) if (p.type === 'func_literal') return false;
  if (decl.type !== 'function_declaration' || !registrationFunc(pass.facts, decl)) return false;
  const m = programModel(pass.facts);
  const F = m.funcOf(decl);
  return !!F && m.callersOf(F).some((cs) => !cs.from.fc.file.path.endsWith('_test.go'));
}
