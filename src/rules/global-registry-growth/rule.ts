/**
 * @fileoverview global-registry-growth: a package-level map or slice that the package
 * only ever adds to — `m[k] = v` or `s = append(s, x)` outside init — and never shrinks:
 * no `delete`, no `clear`, no reassignment (`m = make(...)`, `s = s[:0]`, `s = nil`).
 * Every entry stays reachable from a global root for the life of the process, so the
 * garbage collector can never free it (seed: "注册到全局 map 但未清理").
 *
 * Precision first: the rule is silent when the variable is exported (other packages may
 * clean it), when any reference is not a plain read, addition or removal (passed to a
 * function, aliased, address taken, method called: it may be cleaned elsewhere), when
 * the additions only run at initialisation (init, package initialisers, functions only
 * called from them, `sync.Once.Do` literals; a func literal inside them runs later), when the key is a constant, and when the
 * adding function bounds the size with `len(v)`. Severity is info: whether the key set
 * is unbounded (a request id) or bounded (a driver name registered once per program)
 * cannot be decided from the package alone.
 */
import { registrationFunc, runsOnce } from '../../analysis/once.js';
import type { FuncCtx } from '../../analysis/pass.js';
import { createRule } from '../../analysis/rule.js';
import type { Package, PkgObj } from '../../go/package.js';
import type { LocalVar } from '../../go/resolve.js';
import type { SourceFile } from '../../go/source.js';
import { ancestor, exprList, field, fields, unparen, walk, type Node } from '../../go/syntax.js';
import { deref, underlying, type Field } from '../../go/types.js';
import type { Pass } from '../../analysis/pass.js';
import { programModel, type ProgramModel } from '../../analysis/program/index.js';
import { neverRuns } from '../../analysis/neverruns.js';
import { enclosingFunc } from '../../go/syntax.js';

interface Growth {
  node: Node;
  file: SourceFile;
  /** Top-level declaration holding the addition. */
  decl: Node;
}

type RefKind = 'grow' | 'read' | 'remove' | 'escape' | 'neutral';

/**
 * Files declaring an empty unexported package-level map or slice (`var reg = map[K]V{}`,
 * `var reg = make(map[K]V)`, `var hist []T`, one-tab `name = ...` lines of a var group).
 * Also applied to each declaration's own line, so the candidates do not depend on which
 * files other rules happened to parse.
 */
const DECL_TRIGGER = /\nvar[ \t]+[\p{Ll}_][\p{L}\p{N}_]*[ \t]+(?:map\[|\[\])|\n(?:var[ \t]+|\t)[\p{Ll}_][\p{L}\p{N}_]*[ \t]*=[ \t]*(?:make\([ \t]*(?:map\[|\[\])|(?:map\[|\[\])[^\n]*\{\}[ \t]*(?:\/\/[^\n]*)?\n)/u;

export default createRule({
  id: 'global-registry-growth',
  severity: 'info',
  since: '0.2.0',
  category: 'memory',
  description: 'A package-level map or slice is only ever added to, never deleted from, cleared or reassigned.',
  help:
    'Entries added to a global map or slice stay reachable forever. Remove them when their owner goes away (delete(m, k) in Close/Unregister), bound the size (an LRU), or keep the registry in an object with a lifetime instead of a package variable.',
  // Files declaring an empty unexported package-level map or slice (`var reg = map[K]V{}`,
  // `var reg = make(map[K]V)`, `var hist []T`, one-tab `name = ...` lines of a var group); the
  // rest of the package is parsed only when such a variable exists.
  triggers: DECL_TRIGGER,
  run(pass) {
    checkFieldRegistries(pass);
    const empty = emptyGlobals(pass.pkg);
    if (empty.size === 0) return;
    const alt = [...empty.keys()].join('|');
    const growRe = new RegExp(`(?<![\\w.])(${alt})\\s*(?:\\[[^\\n]*\\]\\s*=[^=]|=\\s*append\\(\\s*\\1\\b)`, 'u');
    const scan = (cheap: boolean): Map<PkgObj, Growth[]> => {
      const out = new Map<PkgObj, Growth[]>();
      // Functions, and package-level initialisers holding func literals (`var h = func() {...}`).
      for (const { decl, file } of [...pass.pkg.funcDecls, ...pass.pkg.varDecls]) {
        if (!growRe.test(file.text.slice(decl.start, decl.end))) continue;
        const fc = pass.facts.funcCtx(decl, file);
        walk(decl, (n) => {
          if (n.type !== 'assignment_statement') return;
          const g = cheap ? growthOf(fc, n, empty) : growthOf(fc, n, empty) && growthOf(fc, n);
          if (!g || runsOnce(pass.facts, decl, n)) return;
          const l = out.get(g) ?? [];
          l.push({ node: n, file: fc.file, decl: fc.decl });
          out.set(g, l);
        });
      }
      return out;
    };
    // Growth seen in the files parsed so far: only then is the rest of the package
    // parsed (for removals and further additions).
    const first = scan(true);
    // Only growth outside init and package initialisers makes the rest worth parsing.
    const isInitDecl = (d: Node): boolean => {
      if (d.type === 'var_declaration') return true;
      const nm = field(d, 'name');
      const f = pass.pkg.fileOf(d);
      return d.type === 'function_declaration' && !!nm && !!f && f.textOf(nm) === 'init';
    };
    for (const [o, gs] of first) if (gs.every((g) => isInitDecl(g.decl) && !ancestor(g.node, 'func_literal'))) first.delete(o);
    if (first.size === 0) return;
    const candidates = scan(false);
    if (candidates.size === 0) return;
    const all = [...pass.pkg.funcDecls, ...pass.pkg.varDecls];
    for (const [obj, grows] of candidates) {
      const re = new RegExp(`\\b${obj.name}\\b`);
      let ok = true;
      for (const { decl, file } of all) {
        if (!re.test(file.text.slice(decl.start, decl.end))) continue;
        const fc = pass.facts.funcCtx(decl, file);
        walk(decl, (n) => {
          if (!ok) return false;
          if (n.type !== 'identifier' || fc.text(n) !== obj.name || n === obj.nameNode) return;
          if (fc.res.pkgObjOf(n) !== obj) return;
          const k = classify(fc, n);
          // A reassignment at initialisation (`reg = make(...)` in init) is the set-up, not a removal.
          if (k === 'escape' || (k === 'remove' && !runsOnce(pass.facts, decl, n))) ok = false;
        });
        if (!ok) break;
      }
      if (!ok) continue;
      // Code that runs once per process (init, package initialisers, functions only they
      // call, a package-level sync.Once) fills the registry once; an exported function
      // the package only calls there is a registration API other packages call from init.
      const atInit = (g: Growth): boolean => runsOnce(pass.facts, g.decl, g.node) || (!ancestor(g.node, 'func_literal') && registrationFunc(pass.facts, g.decl));
      const live = grows.filter((g) => !g.file.path.endsWith('_test.go') && !atInit(g) && !boundedByLen(g, obj.name));
      if (live.length === 0) continue;
      const kind = underlying(pass.pkg.objType(obj)).kind === 'map' ? 'map' : 'slice';
      const where = (g: Growth): string => `${g.file === obj.file ? '' : `${g.file.path.split('/').pop() ?? ''}:`}${g.file.line(g.node.start)}`;
      pass.report({
        node: obj.nameNode,
        file: obj.file,
        message: `package-level ${kind} "${obj.name}" only grows: entries are added at line ${live.map(where).join(', ')} outside initialisation, but the package never ${kind === 'map' ? 'deletes from, clears' : 'truncates'} or reassigns it, so every entry stays reachable for the life of the process`,
        fixHint: kind === 'map' ? `delete(${obj.name}, key) when the entry's owner goes away (an Unregister/Close), or bound the map (an LRU)` : `truncate or reassign ${obj.name} when its entries are no longer needed, or bound its length`,
        related: live.map((g) => ({ file: g.file.path, range: g.file.range(g.node), message: 'added here' })),
      });
    }
  },
});

/** Unexported package-level map/slice variables declared empty (no initial elements), by name. */
function emptyGlobals(pkg: Package): Map<string, 'map' | 'slice'> {
  const out = new Map<string, 'map' | 'slice'>();
  for (const { decl, file } of pkg.varDecls) {
    walk(decl, (sp) => {
      if (sp.type !== 'var_spec') return;
      const names = fields(sp, 'name');
      const te = field(sp, 'type');
      const vals = exprList(field(sp, 'value'));
      names.forEach((nm, i) => {
        const name = file.textOf(nm);
        // Test files: a test binary is short-lived, its globals die with it.
        if (file.path.endsWith('_test.go')) return;
        if (!/^[\p{Ll}_]/u.test(name) || name === '_') return;
        const ln = file.line(nm.start);
        if (!DECL_TRIGGER.test(`\n${file.lineText(ln)}\n`)) return;
        const v = vals[i];
        if (v ? !/^(?:make\(\s*(?:map\[|\[\])|(?:map\[|\[\])[^\n]*\{\s*\}$)/.test(file.textOf(v)) : !te || !/^(?:map\[|\[\])/.test(file.textOf(te))) return;
        const src = v ? file.textOf(v) : te ? file.textOf(te) : '';
        out.set(name, /^(?:make\(\s*)?map\[/.test(src) ? 'map' : 'slice');
      });
      return false;
    });
  }
  return out;
}

/** The package-level map/slice variable an assignment adds to (`m[k] = v`, `s = append(s, ...)`). */
function growthOf(fc: FuncCtx, n: Node, only?: Map<string, 'map' | 'slice'>): PkgObj | undefined {
  const lefts = exprList(field(n, 'left'));
  const rights = exprList(field(n, 'right'));
  if (lefts.length !== 1 || rights.length !== 1) return undefined;
  // Cheap name filter first: resolving other names may parse files (name-directed lazy parsing).
  const root = unparen(lefts[0] as Node);
  const rootId = root.type === 'index_expression' ? field(root, 'operand') : root;
  if (only && (!rootId || !only.has(fc.text(rootId)))) return undefined;
  // With `only`, the kind is known from the declaration's text: no type resolution.
  const kindOf = (o: PkgObj): string => only?.get(o.name) ?? underlying(o.pkg.objType(o)).kind;
  const opText = fc.file.text.slice((lefts[0] as Node).end, (rights[0] as Node).start).trim();
  if (opText !== '=') return undefined;
  const l = unparen(lefts[0] as Node);
  const r = unparen(rights[0] as Node);
  if (l.type === 'index_expression') {
    const op = field(l, 'operand');
    const idx = field(l, 'index');
    if (!op || unparen(op).type !== 'identifier') return undefined;
    const o = pkgVar(fc, unparen(op));
    if (!o || kindOf(o) !== 'map') return undefined;
    // A fixed key. Named constants are resolved only in the full pass (`only` unset):
    // resolving a name may parse further files.
    if (idx && (/^(?:"[^"]*"|`[^`]*`|'[^']*'|\d[\w.]*)$/.test(fc.text(idx)) || (!only && fc.res.constValue(idx) !== undefined))) return undefined;
    // `for k := range m { m[k] = v }`: the key is already there, nothing is added.
    const kv = idx && unparen(idx).type === 'identifier' ? fc.res.localOf(unparen(idx)) : undefined;
    const over = kv?.rangeOf?.pos === 0 ? unparen(kv.rangeOf.expr) : undefined;
    if (kv && over?.type === 'identifier' && fc.text(over) === o.name && pkgVar(fc, over) === o && assignedOnceInLoop(fc, kv)) return undefined;
    return o;
  }
  if (l.type === 'identifier' && r.type === 'call_expression') {
    const o = pkgVar(fc, l);
    if (!o || kindOf(o) !== 'slice') return undefined;
    const f = field(r, 'function');
    const a0 = field(r, 'arguments')?.children.find((c) => c.named && c.type !== 'comment');
    if (!f || fc.text(f) !== 'append' || !a0 || unparen(a0).type !== 'identifier' || fc.text(unparen(a0)) !== o.name) return undefined;
    return o;
  }
  return undefined;
}

/** A range key variable that its loop body never assigns. */
function assignedOnceInLoop(fc: FuncCtx, v: LocalVar): boolean {
  return (fc.res.refs.get(v) ?? []).every((r) => {
    const p = r.parent;
    return !(p?.type === 'expression_list' && p.field === 'left') && p?.type !== 'inc_statement' && p?.type !== 'dec_statement';
  });
}

/** An unexported package-level variable of the analysed package. */
function pkgVar(fc: FuncCtx, id: Node): PkgObj | undefined {
  const o = fc.res.pkgObjOf(id);
  if (!o || o.kind !== 'var' || o.pkg !== fc.res.pkg) return undefined;
  if (!/^[\p{Ll}_]/u.test(o.name)) return undefined; // exported: other packages may clean it
  return o;
}

/** How a reference to the global is used. */
function classify(fc: FuncCtx, id: Node): RefKind {
  let e: Node = id;
  while (e.parent?.type === 'parenthesized_expression') e = e.parent;
  const p = e.parent;
  if (!p) return 'escape';
  if (p.type === 'index_expression' && field(p, 'operand') === e) {
    const list = p.parent;
    if (list?.type === 'expression_list' && list.field === 'left' && list.parent?.type === 'assignment_statement') {
      const g = growthOf(fc, list.parent);
      return g ? 'grow' : 'neutral';
    }
    return 'read';
  }
  if (p.type === 'slice_expression' && field(p, 'operand') === e) {
    // `s[:0]` assigned back is a truncation; elsewhere a read.
    return 'read';
  }
  if (p.type === 'range_clause' && field(p, 'right') === e) return 'read';
  if (p.type === 'argument_list') {
    const call = p.parent;
    const f = call ? field(call, 'function') : undefined;
    const name = f ? fc.text(f) : '';
    const c = call ? fc.res.callee(call) : undefined;
    if (c?.kind === 'builtin') {
      if (name === 'len' || name === 'cap') return 'read';
      if (name === 'delete' || name === 'clear') return 'remove';
      if (name === 'append' && p.children.find((x) => x.named && x.type !== 'comment') === e) {
        const stmt = call?.parent?.parent;
        if (stmt?.type === 'assignment_statement' && growthOf(fc, stmt)) return 'grow';
      }
      if (name === 'copy' && p.children.filter((x) => x.named && x.type !== 'comment')[1] === e) return 'read';
    }
    return 'escape';
  }
  if (p.type === 'expression_list' && p.field === 'left' && p.parent?.type === 'assignment_statement') {
    return growthOf(fc, p.parent) ? 'neutral' : 'remove'; // reassigned
  }
  if (p.type === 'binary_expression') return 'read'; // m == nil
  return 'escape';
}

/** The adding function compares `len(v)` (a size bound). */
function boundedByLen(g: Growth, name: string): boolean {
  return new RegExp(`\\blen\\(\\s*${name}\\s*\\)\\s*[<>]`).test(g.file.text.slice(g.decl.start, g.decl.end));
}

/** `var reg = &T{...}` / `T{...}` / `new(T)` at package level: a global root holding the only instance of struct type T. */
const GLOBAL_INSTANCE = /\n(?:var[ \t]+|\t)[\p{L}_][\p{L}\p{N}_]*[ \t]*=[ \t]*(?:&?[\p{L}_][\p{L}\p{N}_]*\{|new\()/u;

/**
 * The registry kept in a map field of a struct whose only instance is a package-level
 * variable (`var events = &broker{subs: map[int]chan string{}}`): entries are added
 * (`b.subs[id] = ch`) by code that can run again and again, and every removal (`delete`,
 * `clear`, a reassignment of the field) sits in code that never runs — a stop closure
 * every caller drops (`off := onReload.On(f); _ = off`), a method of a main package
 * nothing calls (`Unsubscribe`) — or there is none. Each entry then stays reachable from
 * the global for the life of the process (corpus cases listeners-slice-grows,
 * subscriber-map-grows). Silent when the field has no removal at all (a registration
 * table bounded by design), when the additions run only at initialisation or in a
 * registration function, when T is built anywhere else, when the field is
 * exported outside a main package, or when any use of the field is not a plain read,
 * addition or removal (it may be cleaned elsewhere).
 */
function checkFieldRegistries(pass: Pass): void {
  const pkg = pass.pkg;
  if (pkg.varDecls.length === 0) return;
  // The text gate is read only once a declaration has the shape (a scan of every file of
  // the package with a Unicode pattern costs more than the walk of its var declarations).
  let gate: boolean | undefined;
  const gated = (): boolean => (gate ??= pkg.files.some((f) => GLOBAL_INSTANCE.test(f.text)));
  const isMain = pkg.name === 'main';
  for (const { decl, file } of pkg.varDecls) {
    walk(decl, (sp) => {
      if (sp.type !== 'var_spec') return undefined;
      const names = fields(sp, 'name');
      const vals = exprList(field(sp, 'value'));
      if (names.length !== 1 || vals.length !== 1) return false;
      const nameNode = names[0] as Node;
      const gname = file.textOf(nameNode);
      if (gname === '_' || (!isMain && !/^[\p{Ll}_]/u.test(gname)) || file.path.endsWith('_test.go')) return false;
      const T = instanceType(pass, file, vals[0] as Node, isMain, gated);
      if (!T) return false;
      for (const f of T.fields) {
        if (!registryField(f, isMain)) continue;
        const r = fieldRegistry(pass, T.name, f.name);
        if (!r) continue;
        const at = (n: Node, nf: SourceFile): string => `${nf === file ? '' : `${nf.path.split('/').pop() ?? ''}:`}${nf.line(n.start)}`;
        pass.report({
          node: nameNode,
          file,
          message: `package-level "${gname}" holds the only ${T.name}, whose map "${f.name}" only grows: entries are added at line ${r.grows.map((g) => at(g.node, g.file)).join(', ')} outside initialisation, and the only removal${r.removals.length > 1 ? 's' : ''} (line ${r.removals.map((g) => at(g.node, g.file)).join(', ')}) ${r.removals.length > 1 ? 'are' : 'is'} in code that never runs (${r.why}), so every entry stays reachable for the life of the process`,
          fixHint: `make sure the removal runs (call it, or defer it, where the entry's owner goes away)`,
          related: r.grows.map((g) => ({ file: g.file.path, range: g.file.range(g.node), message: 'added here' })),
        });
      }
      return false;
    });
  }
}

const UNNAMED_LITERAL_TYPES = new Set(['slice_type', 'map_type', 'array_type', 'implicit_length_array_type', 'struct_type']);

/** A map field of a struct that may be a registry (not embedded; unexported outside a main package). */
function registryField(f: Field, isMain: boolean): boolean {
  return !f.embedded && underlying(f.type).kind === 'map' && (isMain || /^[\p{Ll}_]/u.test(f.name));
}

/**
 * The package struct type an initialiser builds (`&T{}`, `T{}`, `new(T)`), when it has a
 * map field that may be a registry ({@link registryField}) and the package builds T nowhere
 * else. The field test comes first: counting T's constructions types every literal of
 * every declaration naming T, and most structs held in globals have no such field.
 */
function instanceType(pass: Pass, file: SourceFile, v0: Node, isMain: boolean, gated: () => boolean): { name: string; fields: Field[] } | undefined {
  let v = unparen(v0);
  if (v.type === 'unary_expression' && file.textOf(v).startsWith('&')) v = unparen(field(v, 'operand') ?? v);
  // The shape first: most initialisers are neither, and their type is not needed.
  if (v.type !== 'composite_literal' && !(v.type === 'call_expression' && file.textOf(field(v, 'function') as Node) === 'new')) return undefined;
  // A literal's type is the one written in it (go/resolve typeOf): a slice, map, array or
  // struct type literal (test tables) is no named type, and needs no resolution to say so.
  if (v.type === 'composite_literal' && UNNAMED_LITERAL_TYPES.has(field(v, 'type')?.type ?? 'struct_type')) return undefined;
  if (!gated()) return undefined;
  // A package-level initialiser has no locals: the package-level resolution types it as
  // the declaration's own would (the type written in the literal, or new's argument),
  // without resolving the whole declaration first.
  const t = deref(pass.pkg.exprTypeAtPackageLevel(v, file));
  if (t.kind !== 'named' || t.pkg !== pass.pkg.importPath) return undefined;
  const st = underlying(t);
  if (st.kind !== 'struct' || !st.fields.some((f) => registryField(f, isMain))) return undefined;
  return constructions(pass, t.name) === 1 ? { name: t.name, fields: st.fields } : undefined;
}

/**
 * How many composite literals and `new` calls of the package build a named type of the
 * package called `name` (the test instanceType applies; memoised per name, since many
 * package variables often hold the same type: the count is the same for each).
 */
function constructions(pass: Pass, name: string): number {
  return pass.facts.memo(`global-registry-growth:builds:${name}`, () => {
    const re = new RegExp(`\\b${name}\\b`);
    let builds = 0;
    for (const d of [...pass.pkg.funcDecls, ...pass.pkg.varDecls]) {
      if (!re.test(d.file.text.slice(d.decl.start, d.decl.end))) continue;
      const dfc = pass.facts.funcCtx(d.decl, d.file);
      walk(d.decl, (n) => {
        if (n.type === 'composite_literal' || (n.type === 'call_expression' && dfc.text(field(n, 'function') as Node) === 'new')) {
          const nt = deref(dfc.res.typeOf(n));
          if (nt.kind === 'named' && nt.name === name && nt.pkg === pass.pkg.importPath) builds++;
        }
        return undefined;
      });
    }
    return builds;
  });
}

interface FieldUse {
  node: Node;
  file: SourceFile;
  decl: Node;
}

/** Additions to and removals of map field `fname` of T; undefined unless it only grows (see {@link checkFieldRegistries}). */
function fieldRegistry(pass: Pass, T: string, fname: string): { grows: FieldUse[]; removals: FieldUse[]; why: string } | undefined {
  const grows: FieldUse[] = [];
  const removals: FieldUse[] = [];
  const re = new RegExp(`\\.${fname}\\b`);
  let escape = false;
  for (const { decl, file } of pass.pkg.funcDecls) {
    if (escape) break;
    if (!re.test(file.text.slice(decl.start, decl.end))) continue;
    const fc = pass.facts.funcCtx(decl, file);
    walk(decl, (n) => {
      if (escape) return false;
      if (n.type !== 'selector_expression' || fc.text(field(n, 'field') as Node) !== fname) return undefined;
      const ot = deref(fc.res.typeOf(field(n, 'operand') as Node));
      if (ot.kind !== 'named' || ot.name !== T || ot.pkg !== pass.pkg.importPath) return undefined;
      const k = fieldUse(fc, n);
      if (k === 'escape') escape = true;
      else if (k === 'grow') grows.push({ node: n.parent?.parent?.parent ?? n, file, decl });
      else if (k === 'remove') removals.push({ node: n, file, decl });
      return undefined;
    });
  }
  // Only a registry the package means to shrink: a removal exists, but never runs. With no
  // removal at all the key set is usually bounded by design (a registration API).
  if (escape || grows.length === 0 || removals.length === 0) return undefined;
  for (const d of pass.pkg.varDecls) if (re.test(d.file.text.slice(d.decl.start, d.decl.end))) return undefined;
  const m = programModel(pass.facts);
  const reasons: string[] = [];
  for (const r of removals) {
    const why = neverRunsAt(pass, m, r);
    if (!why) return undefined;
    if (!reasons.includes(why)) reasons.push(why);
  }
  const live = grows.filter((g) => !runsOnce(pass.facts, g.decl, g.node) && !(!ancestor(g.node, 'func_literal') && registrationFunc(pass.facts, g.decl)) && !neverRunsAt(pass, m, g));
  if (live.length === 0) return undefined;
  return { grows: live, removals, why: reasons.join('; ') };
}

/** Why the code at `u` never runs (a dropped closure, an uncalled method), or undefined when it may. */
function neverRunsAt(pass: Pass, m: ProgramModel, u: FieldUse): string | undefined {
  if (neverRuns(pass.facts, u.decl)) return `${u.file.textOf(field(u.decl, 'name') as Node)} is never called`;
  for (let f: Node | undefined = enclosingFunc(u.node); f && f !== u.decl; f = f.parent ? enclosingFunc(f) : undefined) {
    const fn = f.type === 'func_literal' ? m.funcOf(f) : undefined;
    if (fn && m.isDead(fn)) return `the function literal at line ${u.file.line(f.start)} is never called`;
    if (!f.parent) break;
  }
  return undefined;
}

/** How a use of the map field is used: `x.f[k] = v` (grow), `delete(x.f, k)`/`clear`/`x.f = ...` (remove), reads, or anything else (escape). */
function fieldUse(fc: FuncCtx, sel: Node): RefKind {
  let e: Node = sel;
  while (e.parent?.type === 'parenthesized_expression') e = e.parent;
  const p = e.parent;
  if (!p) return 'escape';
  if (p.type === 'index_expression' && field(p, 'operand') === e) {
    const list = p.parent;
    if (list?.type === 'expression_list' && list.field === 'left' && list.parent?.type === 'assignment_statement') {
      const st = list.parent;
      const lefts = exprList(list);
      const rights = exprList(field(st, 'right'));
      const op = lefts.length === 1 && rights.length === 1 ? fc.file.text.slice((lefts[0] as Node).end, (rights[0] as Node).start).trim() : '';
      if (op !== '=') return 'neutral';
      const idx = field(p, 'index');
      if (!idx || fc.res.constValue(idx) !== undefined || /^(?:"[^"]*"|`[^`]*`)$/.test(fc.text(idx))) return 'neutral';
      return 'grow';
    }
    return 'read';
  }
  if (p.type === 'range_clause' && field(p, 'right') === e) return 'read';
  if (p.type === 'argument_list') {
    const call = p.parent;
    const c = call ? fc.res.callee(call) : undefined;
    if (c?.kind === 'builtin') {
      if (c.name === 'len') return 'read';
      if (c.name === 'delete' || c.name === 'clear') return 'remove';
    }
    return 'escape';
  }
  if (p.type === 'expression_list' && p.field === 'left' && p.parent?.type === 'assignment_statement') return 'remove';
  if (p.type === 'binary_expression') return 'read';
  return 'escape';
}
