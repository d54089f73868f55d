/**
 * @fileoverview sync.Pool facts shared by pool-no-reset, pool-put-non-pointer and
 * pool-unbounded-object: the Get and Put calls of a declaration, keyed by the pool they
 * use (a package-level variable, or a field of a named type), and the variable a Get's
 * value is asserted into (`b := pool.Get().(*bytes.Buffer)`).
 */
import { importedCallName, type FuncCtx, type Pass } from './pass.js';
import { objKey, syncCall } from './syncfacts.js';
import type { Package } from '../go/package.js';
import type { LocalVar } from '../go/resolve.js';
import { exprList, field, named, unparen, walk, type Node } from '../go/syntax.js';
import { deref, typeString, underlying, type Type } from '../go/types.js';

/** One Get or Put on a sync.Pool. */
export interface PoolCall {
  kind: 'Get' | 'Put';
  call: Node;
  /** The pool expression (`bufPool`, `s.pool`). */
  pool: Node;
  /** Identifies the pool across declarations of the package (undefined: a pool we cannot name). */
  key: string | undefined;
  /** Put: the argument. */
  arg?: Node;
  /** Get: the asserted type expression and the variable the value is stored in. */
  asserted?: Node;
  target?: LocalVar;
}

/** Get/Put calls on sync.Pool values in `fc` (memoised per declaration by the caller if needed). */
export function poolCalls(fc: FuncCtx): PoolCall[] {
  const out: PoolCall[] = [];
  walk(fc.decl, (n) => {
    if (n.type !== 'call_expression') return;
    // Cheap syntactic filter before resolving the receiver's type.
    const f = field(n, 'function');
    const fl = f?.type === 'selector_expression' ? field(f, 'field') : undefined;
    const fname = fl ? fc.text(fl) : '';
    if (fname !== 'Get' && fname !== 'Put') return;
    if (f && !mayBePool(fc, field(f, 'operand'))) return;
    const s = syncCall(fc, n);
    if (!s || s.type !== 'Pool' || (s.name !== 'Get' && s.name !== 'Put')) return;
    const pc: PoolCall = { kind: s.name, call: n, pool: s.recv, key: poolKey(fc, s.recv) };
    if (s.name === 'Put') {
      pc.arg = field(n, 'arguments')?.children.find((c) => c.named && c.type !== 'comment');
    } else {
      const ta = n.parent?.type === 'type_assertion_expression' ? n.parent : undefined;
      pc.asserted = ta ? field(ta, 'type') : undefined;
      const holder = ta ?? n;
      const list = holder.parent;
      const stmt = list?.parent;
      if (list?.type === 'expression_list' && list.field === 'right' && stmt && (stmt.type === 'short_var_declaration' || stmt.type === 'assignment_statement')) {
        const lefts = exprList(field(stmt, 'left'));
        // `b := p.Get().(T)` or the comma-ok form `b, ok := p.Get().(T)`.
        if ((lefts.length === 1 || (lefts.length === 2 && ta)) && exprList(list).length === 1 && lefts[0]) pc.target = fc.res.varOf(lefts[0]);
      } else if (list?.type === 'expression_list' && list.parent?.type === 'var_spec') {
        const names = list.parent.children.filter((c) => c.field === 'name');
        if (names.length === 1 && names[0]) pc.target = fc.res.localOf(names[0]);
      }
    }
    out.push(pc);
  });
  return out;
}

/** A package-wide key for a pool expression: a package-level var, or `T.field` for a field. */
export function poolKey(fc: FuncCtx, recv: Node): string | undefined {
  const e = unparen(recv.type === 'unary_expression' ? (field(recv, 'operand') ?? recv) : recv);
  if (e.type === 'selector_expression') {
    const op = field(e, 'operand');
    const fl = field(e, 'field');
    if (!op || !fl) return undefined;
    if (fc.res.importOf(op)) return undefined; // another package's pool
    const t: Type = deref(fc.res.typeOf(op));
    if (t.kind !== 'named') return undefined;
    return `F:${typeString(t)}.${fc.text(fl)}`;
  }
  return objKey(fc, e);
}

/**
 * A cheap, resolution-free pre-check that a receiver can be a sync.Pool, so that the
 * types of unrelated `x.Put(...)` receivers are not resolved (resolving a type name may
 * parse further files). False only when the receiver's declared type is written out
 * and does not mention Pool, or when no parsed file of the package mentions Pool at
 * all (a pool field must be declared somewhere): these lose recall, never precision.
 */
function mayBePool(fc: FuncCtx, recv: Node | undefined): boolean {
  if (!recv) return false;
  const r = unparen(recv);
  if (r.type === 'identifier') {
    const v = fc.res.localOf(r);
    if (v) return !v.typeExpr || /Pool/.test(fc.text(v.typeExpr));
    return true; // a package-level variable: resolved by name, cheap
  }
  return fc.res.pkg.files.some((f) => f.text.includes('Pool'));
}

/**
 * Whether some parsed file of the package mentions `sync.Pool`. The pool rules list
 * `sync.Pool` in their triggers, so files declaring a pool are parsed; a package with
 * none has no pool of its own, and its `x.Put(...)` declarations are not resolved at
 * all (resolving a declaration parses the files its names come from).
 */
export function packageHasPool(pkg: Package): boolean {
  return pkg.files.some((f) => f.text.includes('sync.Pool'));
}

/**
 * The declarations of the package that may call Get or Put on one of its pools, as
 * FuncCtxs. Names declared with a `sync.Pool` type (package-level variables and struct
 * fields, `bufPool = sync.Pool{...}`, `pool sync.Pool`, `p *sync.Pool`) are collected
 * from the parsed files' text, and only declarations calling `<name>.Get(` / `<name>.Put(`
 * are resolved: resolving a declaration parses the files its names come from, which is
 * the main cost of these rules. A pool reached through an alias is missed (recall only).
 */
export function poolFunctions(pass: Pass): FuncCtx[] {
  return pass.facts.memo('poolfacts.poolFunctions', () => computePoolFunctions(pass));
}

function computePoolFunctions(pass: Pass): FuncCtx[] {
  if (!packageHasPool(pass.pkg)) return [];
  const names = new Set<string>();
  for (const f of pass.pkg.files) {
    // Find each `sync.Pool` with indexOf, then read the name just before it.
    for (let i = f.text.indexOf('sync.Pool'); i >= 0; i = f.text.indexOf('sync.Pool', i + 9)) {
      const m = /([\p{L}_][\p{L}\p{N}_]*)[ \t]*(?:=[ \t]*&?|\*?)[ \t]*$/u.exec(f.text.slice(Math.max(0, i - 64), i));
      if (m?.[1]) names.add(m[1]);
    }
  }
  if (names.size === 0) return [];
  const re = new RegExp(`\\b(?:${[...names].join('|')})\\s*\\.\\s*(?:Get|Put)\\(`, 'u');
  const out: FuncCtx[] = [];
  for (const { decl, file } of [...pass.pkg.funcDecls, ...pass.pkg.varDecls]) {
    if (re.test(file.text.slice(decl.start, decl.end))) out.push(pass.facts.funcCtx(decl, file));
  }
  return out;
}

/** Methods of bytes.Buffer / strings.Builder that do not add data. */
const NO_GROWTH = new Set(['Reset', 'Len', 'Cap', 'Bytes', 'String', 'Truncate', 'Available', 'Next', 'Read', 'ReadByte', 'ReadRune', 'ReadString', 'ReadBytes', 'UnreadByte', 'UnreadRune', 'WriteTo']);
/** strconv functions whose result has a bounded length (a formatted number or bool). */
const STRCONV_BOUNDED = new Set(['Itoa', 'FormatInt', 'FormatUint', 'FormatFloat', 'FormatBool', 'FormatComplex', 'AppendInt', 'AppendUint', 'AppendFloat', 'AppendBool']);

/**
 * Whether everything written into the pooled buffer held by local `arg` (the argument of
 * a Put in function `fn`) has a length bounded by the code, so the buffer cannot grow
 * with input: single bytes and runes, string literals and constants, formatted numbers
 * (strconv, `fmt.Fprintf` with a literal format and numeric or bool arguments), slices
 * with a constant bound (`s[:64]`), a value truncated just before (`if len(s) > 80 { s =
 * s[:80] }`), `io.CopyN` with a constant count or `io.Copy` from an `io.LimitReader` with
 * one, and none of it inside a loop that does not also Get the buffer. Any other use of
 * the buffer (passed to other code, stored, returned, an encoder writing into it) may
 * grow it: false. Only locals are judged; a field or parameter is never "bounded".
 */
export function boundedWrites(fc: FuncCtx, fn: Node, arg: Node): boolean {
  const e = unparen(arg.type === 'unary_expression' ? (field(arg, 'operand') ?? arg) : arg);
  const v = e.type === 'identifier' ? fc.res.localOf(e) : undefined;
  if (!v || v.kind !== 'var' || v.func !== fn || !v.init) return false;
  // Taken from a pool here (`b := pool.Get().(*bytes.Buffer)`): a buffer from anywhere else
  // may hold, or have been grown by, code we do not see.
  const init = unparen(v.init.expr);
  const get = init.type === 'type_assertion_expression' ? unparen(field(init, 'operand') ?? init) : init;
  const sc = get.type === 'call_expression' ? syncCall(fc, get) : undefined;
  if (sc?.type !== 'Pool' || sc.name !== 'Get') return false;
  const def = v.ident;
  for (const id of fc.res.refs.get(v) ?? []) {
    if (id === def || id === e) continue;
    if (!boundedUse(fc, id, def)) return false;
  }
  return true;
}

function boundedUse(fc: FuncCtx, id: Node, def: Node): boolean {
  const p = id.parent;
  if (!p) return false;
  // A pooled `*[]byte`: reading `*bp` cannot grow it; storing into it can, unless what is
  // stored starts from a truncation and adds a bounded amount (`*bp = strconv.AppendInt(
  // (*bp)[:0], n, 10)`, `*bp = append((*bp)[:0], '#', c)`).
  if (p.type === 'unary_expression' && fc.text(p).trimStart().startsWith('*')) {
    const list = p.parent;
    const asg = list?.type === 'expression_list' && list.field === 'left' ? list.parent : undefined;
    if (asg?.type !== 'assignment_statement') return true;
    const rhs = exprList(field(asg, 'right'));
    return rhs.length === 1 && boundedProducer(fc, rhs[0] as Node, id) && !inGrowingLoop(asg, def);
  }
  // `b := pool.Get().(*bytes.Buffer)` re-assigned from the pool, or `pool.Put(b)`.
  if (p.type === 'expression_list' && p.field === 'left') return true;
  const call = p.type === 'argument_list' ? p.parent : undefined;
  if (call?.type === 'call_expression') {
    const f = field(call, 'function');
    const sel = f ? unparen(f) : undefined;
    const name = sel?.type === 'selector_expression' ? fc.text(field(sel, 'field') ?? sel) : '';
    if ((name === 'Put' || name === 'Get') && poolCallOf(fc, call)) return true;
    return !inGrowingLoop(call, def) && boundedCallWith(fc, call, id);
  }
  if (p.type === 'selector_expression' && field(p, 'operand') === id) {
    const m = fc.text(field(p, 'field') ?? p);
    const c = p.parent?.type === 'call_expression' && field(p.parent, 'function') === p ? p.parent : undefined;
    if (!c) return false;
    if (NO_GROWTH.has(m)) return true;
    if (inGrowingLoop(c, def)) return false;
    const a = callArgs0(c);
    if (m === 'WriteByte' || m === 'WriteRune') return true;
    if (m === 'Write' || m === 'WriteString') return !!a[0] && boundedValue(fc, a[0], c);
    if (m === 'Grow') return !!a[0] && fc.res.constValue(a[0]) !== undefined;
    if (m === 'ReadFrom') return !!a[0] && limitedReader(fc, a[0]);
    return false;
  }
  return false;
}

function poolCallOf(fc: FuncCtx, call: Node): boolean {
  const s = syncCall(fc, call);
  return s?.type === 'Pool';
}

function callArgs0(call: Node): Node[] {
  const al = field(call, 'arguments');
  return al ? al.children.filter((c) => c.named && c.type !== 'comment') : [];
}

/** A truncation of the pooled slice (`(*bp)[:0]`, `(*bp)[:n]` with a constant n), or one extended by a bounded amount. */
function boundedProducer(fc: FuncCtx, e: Node, buf: Node): boolean {
  const r = unparen(e);
  const truncated = (x: Node | undefined): boolean => {
    const u = x ? unparen(x) : undefined;
    if (u?.type !== 'slice_expression') return false;
    const op = field(u, 'operand');
    const end = field(u, 'end');
    let base = op ? unparen(op) : undefined;
    if (base?.type === 'unary_expression') base = unparen(field(base, 'operand') ?? base);
    return base?.type === 'identifier' && fc.res.localOf(base) === fc.res.localOf(buf) && !!end && fc.res.constValue(end) !== undefined;
  };
  if (truncated(r)) return true;
  if (r.type !== 'call_expression') return false;
  const a = callArgs0(r);
  if (!truncated(a[0])) return false;
  if (strconvAppend(fc, r)) return true;
  const f = field(r, 'function');
  if (!f || fc.text(f) !== 'append' || fc.res.callee(r).kind !== 'builtin') return false;
  // One element per argument, or a bounded value spread with `...`.
  return a.slice(1).every((x) => x.type !== 'variadic_argument' || boundedValue(fc, named(x)[0] ?? x, r));
}

function strconvAppend(fc: FuncCtx, call: Node): boolean {
  const n = importedCallName(fc, call) ?? '';
  return n.startsWith('strconv.Append') && STRCONV_BOUNDED.has(n.slice(8));
}

/** `fmt.Fprintf(b, "%d", n)`, `io.CopyN(b, r, 512)`, `io.Copy(b, io.LimitReader(r, 4096))`. */
function boundedCallWith(fc: FuncCtx, call: Node, id: Node): boolean {
  const a = callArgs0(call);
  if (unparen(a[0] ?? call) !== id) return false;
  switch (importedCallName(fc, call)) {
    case 'fmt.Fprintf':
      return !!a[1] && a[1].type === 'interpreted_string_literal' && a.slice(2).every((x) => numeric(fc, x));
    case 'fmt.Fprint':
    case 'fmt.Fprintln':
      return a.slice(1).every((x) => numeric(fc, x) || isStringConst(fc, x));
    case 'io.CopyN':
      return !!a[2] && fc.res.constValue(a[2]) !== undefined;
    case 'io.Copy':
      return !!a[1] && limitedReader(fc, a[1]);
    default:
      return false;
  }
}

function numeric(fc: FuncCtx, x: Node): boolean {
  const u = underlying(fc.res.typeOf(x));
  return u.kind === 'basic' && u.name !== 'string' && u.name !== 'untyped string';
}

function isStringConst(fc: FuncCtx, x: Node): boolean {
  const u = unparen(x);
  if (u.type === 'interpreted_string_literal' || u.type === 'raw_string_literal' || u.type === 'rune_literal') return true;
  if (u.type !== 'identifier') return false;
  const v = fc.res.localOf(u);
  return v ? v.kind === 'const' : fc.res.pkgObjOf(u)?.kind === 'const';
}

/** `io.LimitReader(r, N)` with a constant N. */
function limitedReader(fc: FuncCtx, x: Node): boolean {
  const u = unparen(x);
  if (u.type !== 'call_expression') return false;
  const a = callArgs0(u);
  return importedCallName(fc, u) === 'io.LimitReader' && !!a[1] && fc.res.constValue(a[1]) !== undefined;
}

/**
 * A value whose length the code bounds: a literal or constant, a formatted number
 * (strconv), a slice expression with a constant end (`s[:64]`, `s[i:64]`), `string(b)` /
 * `[]byte(s)` of such, or a local truncated by `if len(x) > N { x = x[:N] }` in the
 * statement list before the write (`at`) with no assignment in between.
 */
function boundedValue(fc: FuncCtx, x0: Node, at: Node, depth = 0): boolean {
  const x = unparen(x0);
  if (depth > 4) return false;
  if (isStringConst(fc, x)) return true;
  if (x.type === 'slice_expression') {
    const end = field(x, 'end');
    return !!end && fc.res.constValue(end) !== undefined;
  }
  if (x.type === 'call_expression') {
    const n = importedCallName(fc, x) ?? '';
    const a = callArgs0(x);
    if (n.startsWith('strconv.') && STRCONV_BOUNDED.has(n.slice(8))) return true;
    if (fc.res.callee(x).kind === 'conversion' && a[0]) return boundedValue(fc, a[0], at, depth + 1);
    return false;
  }
  if (x.type === 'identifier') return truncatedBefore(fc, x, at);
  return false;
}

/** `if len(x) > N { x = x[:N] }` (or `>=`) earlier in the statement list holding `at`, x not assigned after it. */
function truncatedBefore(fc: FuncCtx, x: Node, at: Node): boolean {
  const v = fc.res.localOf(x);
  if (!v) return false;
  let stmt: Node = at;
  while (stmt.parent && stmt.parent.type !== 'statement_list' && stmt.parent.type !== 'block') stmt = stmt.parent;
  const list = stmt.parent;
  if (!list) return false;
  const sibs = list.children.filter((c) => c.named && c.type !== 'comment');
  for (let i = sibs.indexOf(stmt) - 1; i >= 0; i--) {
    const s = sibs[i] as Node;
    if (s.type === 'if_statement' && capsLength(fc, s, v.name)) return true;
    let assigned = false;
    walk(s, (m) => {
      if (m.type === 'identifier' && fc.res.localOf(m) === v && m.parent?.type === 'expression_list' && m.parent.field === 'left') assigned = true;
      return !assigned;
    });
    if (assigned) return false;
  }
  return false;
}

function capsLength(fc: FuncCtx, ifs: Node, name: string): boolean {
  const cond = field(ifs, 'condition');
  const m = cond ? /^len\((\w+)\)\s*>=?\s*(.+)$/.exec(fc.text(cond).trim()) : null;
  if (!m || m[1] !== name || field(ifs, 'alternative')) return false;
  const body = field(ifs, 'consequence');
  const stmts = body ? body.children.flatMap((c) => (c.type === 'statement_list' ? named(c) : c.named ? [c] : [])) : [];
  return stmts.some((s) => s.type === 'assignment_statement' && new RegExp(`^${name}\\s*=\\s*${name}\\[\\s*:\\s*[\\w<>() +*-]+\\]$`).test(fc.text(s).trim()) && fc.res.constValue(field(exprList(field(s, 'right'))[0] as Node, 'end') as Node) !== undefined);
}

/** True when `n` is inside a loop of its function that does not also contain the buffer's definition (it writes once per iteration). */
function inGrowingLoop(n: Node, def: Node): boolean {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === 'func_literal' || p.type === 'function_declaration' || p.type === 'method_declaration') return false;
    if (p.type === 'for_statement' && !(def.start >= p.start && def.end <= p.end)) return true;
  }
  return false;
}
