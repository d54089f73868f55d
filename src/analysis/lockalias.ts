/**
 * @fileoverview Lock identity through values the lock analysis cannot name by their path
 * alone (issue 13): a `sync.Locker` field that only ever holds a `*sync.Mutex`, a Cond's
 * `L` (`b.avail.L` is `b.mu` after `b.avail = sync.NewCond(&b.mu)`), and back-pointers
 * (`s.validator.store` is `s` after `s.validator = refValidator{store: s}`).
 *
 * Each fact is an invariant of a struct field, read from every write of that field in the
 * package: assignments `x.f = e` and composite literals `T{f: e}`. A fact holds only when
 * every write agrees, the field is not writable from another package (unexported, or a
 * `main` package), and no package-level initialiser spells the field: otherwise there is
 * no fact and the lock stays unnamed (the rules stay silent).
 */
import { exprList, field, named, unparen, walk, type Node } from '../go/syntax.js';
import { deref, underlying, type Type } from '../go/types.js';
import { callArgs } from './chanfacts.js';
import type { FuncCtx, PackageFacts } from './pass.js';

/** What every write of a field stores, relative to the object written (`x` in `x.f = e`). */
type FieldFact =
  /** `x.f = sync.NewCond(&x.p)`: `x.f.L` is `x.p` (path `.p`, '' for x itself). */
  | { t: 'cond'; path: string }
  /** `x.f = &sync.Mutex{}` / `T{f: new(sync.Mutex)}`: a Locker field holding a fresh mutex. */
  | { t: 'mutex' }
  /** `x.f = &x.p`: a Locker field naming another lock of the same object. */
  | { t: 'alias'; path: string }
  /** `x.f = U{g: x}` / `&U{g: x}`: `x.f.g` is `x` (a back-pointer). */
  | { t: 'back'; g: string };

/** One write of a field: the object written (undefined in a composite literal) and the value. */
interface Write {
  fc: FuncCtx;
  owner: Node | undefined;
  value: Node;
}

function namedOf(t: Type): Extract<Type, { kind: 'named' }> | undefined {
  const d = deref(t);
  return d.kind === 'named' ? d : undefined;
}

/** True for `sync.<name>` or `*sync.<name>`. */
export function isSyncType(t: Type, name: string): boolean {
  const n = namedOf(t);
  return !!n && n.pkg === 'sync' && n.name === name;
}

/** The facts of the package (memoised in its PackageFacts). */
export function lockAliases(facts: PackageFacts): LockAliases {
  return facts.memo('lock-aliases', () => new LockAliases(facts));
}

/** Field invariants of one package, computed on demand per field. */
export class LockAliases {
  private writes = new Map<string, Write[] | undefined>();
  private facts = new Map<string, FieldFact | undefined>();

  constructor(private readonly pf: PackageFacts) {}

  /**
   * The fact of field `name` of the struct type of `owner` (an expression of type `T` or
   * `*T`, `T` a named struct of this package), if every write agrees on one.
   */
  factOf(fc: FuncCtx, owner: Node, name: string): FieldFact | undefined {
    const t = namedOf(fc.res.typeOf(owner));
    if (!t || t.pkg !== this.pf.pkg.importPath || underlying(t).kind !== 'struct') return undefined;
    const key = `${t.name}.${name}`;
    if (this.facts.has(key)) return this.facts.get(key);
    this.facts.set(key, undefined); // recursion guard
    const ws = this.writesOf(t.name, name);
    const f = ws && ws.length > 0 ? agree(ws.map((w) => factOfWrite(w))) : undefined;
    this.facts.set(key, f);
    return f;
  }

  /** Every write of field `name` of struct type `tname`, or undefined when some may be invisible. */
  private writesOf(tname: string, name: string): Write[] | undefined {
    const key = `${tname}.${name}`;
    if (this.writes.has(key)) return this.writes.get(key);
    const pkg = this.pf.pkg;
    // Another package may write an exported field of an exported type.
    const exported = (s: string): boolean => /^[A-Z]/.test(s);
    if (pkg.name !== 'main' && exported(name) && exported(tname)) {
      this.writes.set(key, undefined);
      return undefined;
    }
    const word = new RegExp(`\\b${name}\\b`);
    // A package-level initialiser (`var x = T{f: ...}`) is not scanned: give up.
    const keyed = new RegExp(`\\b${name}\\s*:(?!=)`);
    for (const { decl, file } of pkg.varDecls) {
      if (keyed.test(file.text.slice(decl.start, decl.end))) {
        this.writes.set(key, undefined);
        return undefined;
      }
    }
    const out: Write[] = [];
    let unknown = false;
    for (const { decl, file } of pkg.funcDecls) {
      if (!word.test(file.text.slice(decl.start, decl.end))) continue;
      const fc = this.pf.funcCtx(decl, file);
      walk(decl, (n) => {
        if (unknown) return false;
        if (n.type === 'assignment_statement') {
          const lefts = exprList(field(n, 'left'));
          const rights = exprList(field(n, 'right'));
          lefts.forEach((l, i) => {
            const u = unparen(l);
            if (u.type !== 'selector_expression') return;
            const fl = field(u, 'field');
            const op = field(u, 'operand');
            if (!fl || !op || fc.text(fl) !== name || namedOf(fc.res.typeOf(op))?.name !== tname) return;
            const v = rights.length === lefts.length ? rights[i] : undefined;
            if (!v || fc.text(n).includes(`${fc.text(u)} +=`)) unknown = true;
            else out.push({ fc, owner: op, value: v });
          });
        } else if (n.type === 'literal_value' && n.parent?.type !== 'composite_literal') {
          // An element literal with its type elided (`[]*T{{f: e}}`): not typed here.
          for (const el of named(n)) {
            const k = el.type === 'keyed_element' ? named(el)[0] : undefined;
            if (k && fc.text(k) === name) unknown = true;
          }
        } else if (n.type === 'composite_literal') {
          const t = namedOf(fc.res.typeOf(n));
          if (t?.name !== tname || t.pkg !== pkg.importPath) return;
          const body = field(n, 'body');
          for (const el of body ? named(body) : []) {
            if (el.type !== 'keyed_element') {
              // Positional literal: every field is written.
              unknown = true;
              return false;
            }
            const k = named(el)[0];
            const v = named(el)[1];
            if (k && v && fc.text(k) === name) out.push({ fc, owner: undefined, value: unwrapElem(v) });
          }
        }
        return undefined;
      });
      if (unknown) break;
    }
    const r = unknown ? undefined : out;
    this.writes.set(key, r);
    return r;
  }
}

function unwrapElem(v: Node): Node {
  // tree-sitter style `literal_element` wrappers around the value.
  return v.type === 'literal_element' && named(v)[0] ? (named(v)[0] as Node) : v;
}

function agree(fs: Array<FieldFact | undefined>): FieldFact | undefined {
  const first = fs[0];
  if (!first) return undefined;
  const k = JSON.stringify(first);
  return fs.every((f) => f && JSON.stringify(f) === k) ? first : undefined;
}

/** Same variable, parameter or receiver (by declaration). */
function sameRoot(fc: FuncCtx, a: Node, b: Node): boolean {
  const ua = unparen(a);
  const ub = unparen(b);
  if (ua.type !== 'identifier' || ub.type !== 'identifier') return false;
  const va = fc.res.localOf(ua);
  return !!va && va === fc.res.localOf(ub);
}

/** `x.p.q` relative to `x` → `.p.q` ('' for x itself), or undefined. */
function relPath(fc: FuncCtx, owner: Node, e0: Node): string | undefined {
  let e = unparen(e0);
  const parts: string[] = [];
  for (let i = 0; i < 6; i++) {
    if (sameRoot(fc, owner, e)) return parts.map((p) => `.${p}`).join('');
    if (e.type !== 'selector_expression') return undefined;
    const fl = field(e, 'field');
    const op = field(e, 'operand');
    if (!fl || !op) return undefined;
    parts.unshift(fc.text(fl));
    e = unparen(op);
  }
  return undefined;
}

function addrOf(fc: FuncCtx, e0: Node): Node | undefined {
  const e = unparen(e0);
  if (e.type === 'unary_expression' && fc.text(e).trimStart().startsWith('&')) return field(e, 'operand');
  return undefined;
}

function isCallTo(fc: FuncCtx, e: Node, pkg: string, name: string): Node | undefined {
  if (e.type !== 'call_expression') return undefined;
  const f = field(e, 'function');
  const u = f ? unparen(f) : undefined;
  if (u?.type !== 'selector_expression') return undefined;
  const op = field(u, 'operand');
  const fl = field(u, 'field');
  return op && fl && fc.res.importOf(op) === pkg && fc.text(fl) === name ? e : undefined;
}

/** A fresh `*sync.Mutex`: `&sync.Mutex{}`, `new(sync.Mutex)`. */
function freshMutex(fc: FuncCtx, e: Node): boolean {
  const a = addrOf(fc, e);
  if (a && unparen(a).type === 'composite_literal') return isSyncType(fc.res.typeOf(a), 'Mutex');
  if (e.type === 'call_expression') {
    const f = field(e, 'function');
    if (f && fc.text(f) === 'new') return isSyncType(fc.res.typeOf(e), 'Mutex');
  }
  return false;
}

function factOfWrite(w: Write): FieldFact | undefined {
  const { fc, owner } = w;
  const v = unparen(w.value);
  if (fc.text(v) === 'nil') return undefined;
  if (freshMutex(fc, v)) return { t: 'mutex' };
  if (!owner) return undefined;
  const nc = isCallTo(fc, v, 'sync', 'NewCond');
  if (nc) {
    const arg = callArgs(nc)[0];
    const a = arg ? addrOf(fc, arg) : undefined;
    const p = a ? relPath(fc, owner, a) : undefined;
    if (a && p !== undefined && p !== '' && isSyncType(fc.res.typeOf(a), 'Mutex')) return { t: 'cond', path: p };
    if (a && p !== undefined && p !== '' && isSyncType(fc.res.typeOf(a), 'RWMutex')) return { t: 'cond', path: p };
    return undefined;
  }
  const a = addrOf(fc, v);
  if (a) {
    if (unparen(a).type === 'composite_literal') return backOf(fc, owner, unparen(a));
    const p = relPath(fc, owner, a);
    if (p && (isSyncType(fc.res.typeOf(a), 'Mutex') || isSyncType(fc.res.typeOf(a), 'RWMutex'))) return { t: 'alias', path: p };
    return undefined;
  }
  if (v.type === 'composite_literal') return backOf(fc, owner, v);
  return undefined;
}

/** `U{g: x}` with x the owner: a back-pointer in field g. */
function backOf(fc: FuncCtx, owner: Node, lit: Node): FieldFact | undefined {
  const body = field(lit, 'body');
  let g: string | undefined;
  for (const el of body ? named(body) : []) {
    if (el.type !== 'keyed_element') return undefined;
    const k = named(el)[0];
    const v = named(el)[1];
    if (k && v && sameRoot(fc, owner, unwrapElem(v))) {
      if (g) return undefined;
      g = fc.text(k);
    }
  }
  return g ? { t: 'back', g } : undefined;
}
