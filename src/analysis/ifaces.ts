/**
 * @fileoverview Calls through interfaces, resolved to the package's implementations.
 *
 * `t.End()` with `t` of interface type `Txn` may run the `End` method of any type that
 * implements `Txn`. A package usually implements its own interfaces (a `Txn` returned by
 * `store.Read` is a `*txn`), so the methods named `End` declared in this package on types
 * that have every method of `Txn` are the candidates. Types of other packages may
 * implement the interface too, so an analysis must use the candidates for what a call
 * *may* do (release a lock, close a channel) or require all of them to agree; it must not
 * conclude that nothing else can run.
 *
 * Interface method sets are read from the interface's declaration (same package, with
 * embedded interfaces followed); for an interface we cannot read (another package's, or
 * one embedding such), only the called method's name is required.
 */
import type { Package } from '../go/package.js';
import { field, named, unparen, type Node } from '../go/syntax.js';
import { underlying, type MethodInfo, type Type } from '../go/types.js';
import type { FuncCtx } from './pass.js';

/** Candidates beyond this many are not followed (a common name such as `Close` or `String`). */
export const MAX_IMPLEMENTATIONS = 8;

/**
 * The method names of interface type `t` that this package declares (the methods of its
 * interface_type and of the same-package interfaces it embeds). Undefined when `t` is not
 * an interface we can read.
 */
export function interfaceMethodNames(pkg: Package, t: Type, depth = 0): Set<string> | undefined {
  if (depth > 8 || t.kind !== 'named' || underlying(t).kind !== 'interface') return undefined;
  const decl = t.ref?.decl;
  const file = decl ? pkg.fileOf(declOf(decl)) : undefined;
  const it = decl ? field(decl, 'type') : undefined;
  if (!decl || !file || it?.type !== 'interface_type') return undefined;
  const out = new Set<string>();
  for (const c of named(it)) {
    if (c.type === 'method_elem') {
      const n = field(c, 'name');
      if (n) out.add(file.textOf(n));
    } else if (c.type === 'type_elem') {
      const e = named(c)[0];
      const inner = e && named(c).length === 1 ? pkg.typeFromExpr(e, file) : undefined;
      const sub = inner ? interfaceMethodNames(pkg, inner, depth + 1) : undefined;
      for (const m of sub ?? []) out.add(m);
    }
  }
  return out;
}

/** The top-level declaration holding a type_spec (files index declarations, not specs). */
function declOf(spec: Node): Node {
  let d = spec;
  while (d.parent && d.parent.type !== 'source_file') d = d.parent;
  return d;
}

/**
 * The methods named `name` declared in this package on types that implement interface
 * `iface` (have every method of it this package can name). Empty when none, or when
 * there are more than {@link MAX_IMPLEMENTATIONS}.
 */
export function implementations(pkg: Package, iface: Type, name: string): MethodInfo[] {
  const required = interfaceMethodNames(pkg, iface) ?? new Set([name]);
  const out = pkg.methodsNamed(name).filter((m) => {
    const has = pkg.methodNamesOf(m.recvType);
    return [...required].every((r) => has.has(r));
  });
  return out.length > MAX_IMPLEMENTATIONS ? [] : out;
}

/**
 * For a call `x.M(...)` whose receiver `x` has an interface type declared in this
 * package, the package's implementations of `M` (see {@link implementations}); undefined
 * for any other call.
 */
export function interfaceCallees(fc: FuncCtx, call: Node): { recv: Node; methods: MethodInfo[] } | undefined {
  const fn = field(call, 'function');
  const sel = fn ? unparen(fn) : undefined;
  if (sel?.type !== 'selector_expression') return undefined;
  const op = field(sel, 'operand');
  const fl = field(sel, 'field');
  if (!op || !fl || fc.res.importOf(op)) return undefined;
  const t = fc.res.typeOf(op);
  // Interfaces of this package only: another package's interface (io.Closer, net.Conn) is
  // mostly implemented elsewhere, and searching this package for its methods would parse
  // every file declaring a `Close`.
  if (t.kind !== 'named' || t.pkg !== fc.res.pkg.importPath || underlying(t).kind !== 'interface') return undefined;
  return { recv: op, methods: implementations(fc.res.pkg, t, fc.text(fl)) };
}
