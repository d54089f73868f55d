/**
 * @fileoverview sync.Pool facts shared by pool-no-reset, pool-put-non-pointer and
 * pool-unbounded-object: the Get and Put calls of a declaration, keyed by the pool they
 * use (a package-level variable, or a field of a named type), and the variable a Get's
 * value is asserted into (`b := pool.Get().(*bytes.Buffer)`).
 */
import type { FuncCtx, Pass } from './pass.js';
import { objKey, syncCall } from './syncfacts.js';
import type { Package } from '../go/package.js';
import type { LocalVar } from '../go/resolve.js';
import { exprList, field, unparen, walk, type Node } from '../go/syntax.js';
import { deref, typeString, type Type } from '../go/types.js';

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
