/**
 * @fileoverview What the callers of a function tell the search about its parameters: when
 * every call of a function in the package passes the same constant for a parameter (an
 * integer, a string, a boolean, nil), the function only ever runs with that value, so an
 * entry of the search may take it (`runBatch(40)` is the only call: `make(chan int, n)`
 * has 40 slots and the loops over `make([]Job, n)` run 40 times; `launch("")` is the only
 * call: `if name == ""` is true).
 *
 * Only functions no other package can call are read this way: unexported functions, and
 * any function of a `main` package. Every mention of the function's name in the package
 * must be the callee of a call the resolver ties to it; a mention that is anything else
 * (a function value, a package-level use) means calls the analysis cannot see, and
 * nothing is known.
 */
import type { LocalVar } from '../../go/resolve.js';
import type { SourceFile } from '../../go/source.js';
import { field, named, unparen, type Node } from '../../go/syntax.js';
import { underlying } from '../../go/types.js';
import { callArgs } from '../chanfacts.js';
import type { FuncCtx, PackageFacts } from '../pass.js';
import { WORD_CHAR } from '../words.js';

/**
 * The canonical text of a constant the search compares: a decimal integer (`40`, `-1`),
 * a string literal without escapes (`""`, `"tcp"`; raw strings are written in quotes),
 * `true`, `false`, `nil`. Named constants are followed. `local` gives the value the model
 * knows for a local variable (a bound parameter), if any.
 */
export function constText(fc: FuncCtx, e: Node, local?: (v: LocalVar) => string | undefined, depth = 0): string | undefined {
  if (depth > 8) return undefined;
  const u = unparen(e);
  const t = fc.text(u);
  switch (u.type) {
    case 'interpreted_string_literal':
      return /^"[^"\\\n]*"$/.test(t) ? t : undefined;
    case 'raw_string_literal':
      return /^`[^`"\\\r\n]*`$/.test(t) ? `"${t.slice(1, -1)}"` : undefined;
    case 'nil':
      return 'nil';
    case 'true':
    case 'false':
      return u.type;
    case 'identifier': {
      const v = fc.res.localOf(u);
      if (v) {
        const k = local?.(v);
        if (k !== undefined) return k;
        if (v.kind === 'const' && v.init && v.init.count === 1) return constText(fc, v.init.expr, undefined, depth + 1);
        break;
      }
      const o = fc.res.pkgObjOf(u);
      if (!o) return t === 'nil' || t === 'true' || t === 'false' ? t : undefined;
      if (o.kind !== 'const' || o.pkg !== fc.facts.pkg || o.implicitFrom) break;
      const ve = named(field(o.node, 'value') ?? o.node).filter((x) => x.type !== 'comment');
      const list = ve.length === 1 && ve[0]?.type === 'expression_list' ? named(ve[0]) : ve;
      const x = list[o.index];
      if (x && (x.type === 'interpreted_string_literal' || x.type === 'raw_string_literal' || x.type === 'true' || x.type === 'false')) return constText(fc, x, undefined, depth + 1);
      break;
    }
    default:
      break;
  }
  const ty = underlying(fc.res.typeOf(u));
  if (ty.kind === 'basic' && /^u?int/.test(ty.name)) {
    const n = fc.res.constValue(u);
    if (n !== undefined && Number.isInteger(n)) return String(n);
  }
  return undefined;
}

interface Mention {
  file: SourceFile;
  pos: number;
}

/**
 * Offsets where `name` (an ASCII identifier) occurs in `text` as a whole `[A-Za-z_]\w*` run:
 * the places `text.match(/[A-Za-z_]\w*\/g)` would list it. A run starts at a word-start
 * character that no run already covers, so digits before it (`9name`) do not join it, but
 * a letter or `_` before them does (`x9name` is one run); a non-ASCII character ends a run.
 * Found with the engine's native `indexOf`, which is much cheaper than visiting every
 * identifier of the package for the few functions whose callers are asked about.
 */
export function wordOffsets(text: string, name: string, found: (pos: number) => void): void {
  for (let p = text.indexOf(name); p >= 0; p = text.indexOf(name, p + 1)) {
    const after = text.charCodeAt(p + name.length);
    if (after < 128 && WORD_CHAR[after]) continue;
    let j = p - 1;
    for (; j >= 0; j--) {
      const c = text.charCodeAt(j);
      if (c < 48 || c > 57) break;
    }
    if (j >= 0) {
      const c = text.charCodeAt(j);
      if (c < 128 && (WORD_CHAR[c] as number) & 1) continue;
    }
    found(p);
  }
}

/**
 * Offsets of the name of a function of the package that no other package can call (an
 * unexported one, or any of a `main` package), wherever it appears as a whole word in the
 * package's files (in file order, then text order); undefined for a name other packages
 * can call or that is not an ASCII identifier (such a name is never looked for).
 */
function mentions(facts: PackageFacts, name: string): Mention[] | undefined {
  const pkg = facts.pkg;
  const isMain = pkg.files[0]?.packageName === 'main';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || (!isMain && /^[A-Z]/.test(name))) return undefined;
  const out: Mention[] = [];
  for (const file of pkg.files) wordOffsets(file.text, name, (pos) => out.push({ file, pos }));
  return out.length > 0 ? out : undefined;
}

type DeclRef = { decl: Node; file: SourceFile };

/** Each package's function declarations by file, sorted by offset, and how many there were when it was made. */
const declsByFile = new WeakMap<PackageFacts, { n: number; byFile: Map<SourceFile, DeclRef[]> }>();

/**
 * The function declaration of `file` holding offset `pos` (declarations do not overlap: the
 * one `funcDecls.find` would return), by binary search over the file's declarations sorted
 * by offset: a name mentioned often in a large package was matched against every
 * declaration of the package for each mention. The table is made again when the package
 * has gained files since (files parsed on demand only add declarations).
 */
function declAt(facts: PackageFacts, file: SourceFile, pos: number): DeclRef | undefined {
  const decls = facts.pkg.funcDecls;
  let t = declsByFile.get(facts);
  if (!t || t.n !== decls.length) {
    const byFile = new Map<SourceFile, DeclRef[]>();
    for (const d of decls) {
      const l = byFile.get(d.file);
      if (l) l.push(d);
      else byFile.set(d.file, [d]);
    }
    for (const l of byFile.values()) l.sort((a, b) => a.decl.start - b.decl.start);
    declsByFile.set(facts, (t = { n: decls.length, byFile }));
  }
  const list = t.byFile.get(file);
  if (!list) return undefined;
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const d = list[mid] as DeclRef;
    if (pos < d.decl.start) hi = mid - 1;
    else if (pos >= d.decl.end) lo = mid + 1;
    else return d;
  }
  return undefined;
}

/** The deepest node of `root` that starts at `pos` or contains it. */
function nodeAt(root: Node, pos: number): Node {
  let n = root;
  for (;;) {
    const next = n.children.find((c) => c.start <= pos && pos < c.end);
    if (!next) return n;
    n = next;
  }
}

/**
 * Per parameter of the function `decl` (a `function_declaration` of the package), the
 * canonical text of the constant every call passes, or undefined where the calls differ,
 * pass something else, or cannot all be seen. Undefined as a whole when the function can
 * be called from elsewhere or is used other than by calling it.
 */
export function constantArgs(facts: PackageFacts, decl: Node): Array<string | undefined> | undefined {
  return facts.memo(`search:const-args:${facts.pkg.fileOf(decl)?.path}:${decl.start}`, () => {
    const file = facts.pkg.fileOf(decl);
    const nameNode = field(decl, 'name');
    if (!file || !nameNode || decl.type !== 'function_declaration' || field(decl, 'type_parameters')) return undefined;
    const name = file.text.slice(nameNode.start, nameNode.end);
    const list = mentions(facts, name);
    if (!list) return undefined;
    const calls: Array<{ fc: FuncCtx; call: Node }> = [];
    for (const m of list) {
      if (m.file === file && m.pos === nameNode.start) continue;
      const host = declAt(facts, m.file, m.pos);
      if (!host) {
        // A package-level mention that is not in a comment: a function value or an initialiser's call.
        if (m.file.comments.some((c) => c.start <= m.pos && m.pos < c.end)) continue;
        return undefined;
      }
      const id = nodeAt(host.decl, m.pos);
      if (id.type !== 'identifier' || id.start !== m.pos) continue; // in a comment or string
      const fc = facts.funcCtx(host.decl, host.file);
      if (fc.res.localOf(id)) continue; // a local of the same name
      const p = id.parent;
      if (p?.type === 'selector_expression' && field(p, 'field') === id) continue; // x.name: a field or method
      if (host.decl.type === 'method_declaration' && field(host.decl, 'name') === id) continue;
      if (host.decl.type === 'function_declaration' && field(host.decl, 'name') === id) continue;
      let e: Node = id;
      while (e.parent?.type === 'parenthesized_expression') e = e.parent;
      const call = e.parent;
      if (call?.type !== 'call_expression' || field(call, 'function') !== e) return undefined;
      const callee = fc.res.callee(call);
      if (callee.kind !== 'func' || callee.obj.node !== decl) return undefined;
      calls.push({ fc, call });
    }
    if (calls.length === 0) return undefined;
    const params = paramCount(decl);
    const out: Array<string | undefined> = [];
    for (let i = 0; i < params.count; i++) {
      if (params.variadic && i === params.count - 1) {
        out.push(undefined);
        continue;
      }
      let val: string | undefined;
      for (const { fc, call } of calls) {
        const args = callArgs(call);
        const a = args[i];
        const t = a && args.length === params.count && !fc.text(call).replace(/\s+/g, '').endsWith('...)') ? constText(fc, a) : undefined;
        if (t === undefined || (val !== undefined && val !== t)) {
          val = undefined;
          break;
        }
        val = t;
      }
      out.push(val);
    }
    return out;
  });
}

/** How many parameters a declaration has, and whether the last is variadic. */
function paramCount(decl: Node): { count: number; variadic: boolean } {
  const params = field(decl, 'parameters');
  let count = 0;
  let variadic = false;
  for (const p of params ? named(params) : []) {
    if (p.type !== 'parameter_declaration' && p.type !== 'variadic_parameter_declaration') continue;
    count += p.children.filter((x) => x.field === 'name').length || 1;
    variadic = p.type === 'variadic_parameter_declaration';
  }
  return { count, variadic };
}
