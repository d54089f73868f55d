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
import { exprList, field, firstNamed, named, unparen, walk, type Node } from '../go/syntax.js';
import { deref, underlying, type Type } from '../go/types.js';
import { callArgs } from './chanfacts.js';
import type { FuncCtx, PackageFacts } from './pass.js';
import type { SourceFile } from '../go/source.js';
import { receiverTypeName } from '../go/package.js';
import { isWordCode, WORD_CHAR, wordHash } from './words.js';

/** What every write of a field stores, relative to the object written (`x` in `x.f = e`). */
type FieldFact =
  /** `x.f = sync.NewCond(&x.p)`: `x.f.L` is `x.p` (path `.p`, '' for x itself). */
  | { t: 'cond'; path: string }
  /** `x.f = &sync.Mutex{}` / `T{f: new(sync.Mutex)}`: a Locker field holding a fresh mutex. */
  | { t: 'mutex' }
  /** `x.f = &x.p`: a Locker field naming another lock of the same object. */
  | { t: 'alias'; path: string }
  /** `x.f = U{g: x}` / `&U{g: x}`: `x.f.g` is `x` (a back-pointer); `type` is U, `ptr` when `&U{...}`. */
  | { t: 'back'; g: string; type: string; ptr: boolean }
  /** `x.f = x.m`: a method value of the object itself (Go spec, "Method values": the receiver is bound when evaluated). */
  | { t: 'method'; name: string }
  /** `x.f = x`: the object itself (an interface field naming its holder: `h.notifier = h`). */
  | { t: 'self' };

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

/** The first character of a node's text after white space (`text.trimStart()[0]`), read without slicing. */
export function firstChar(fc: FuncCtx, n: Node): string | undefined {
  const t = fc.file.text;
  const c = t.charCodeAt(n.start);
  // Only characters that cannot be white space take the fast path.
  if (n.start < n.end && c > 32 && c < 0x80) return t[n.start];
  return fc.text(n).trimStart()[0];
}

/**
 * WORD_CHAR's classes for every UTF-16 code unit (0 past ASCII): the identifier scan of DeclWords
 * reads one table entry per character instead of testing the range first (about a tenth of its
 * time over the stdlib's lock-analysed packages).
 */
const CHAR_CLASS = new Uint8Array(65536);
CHAR_CLASS.set(WORD_CHAR);

/** `/\s/` of one character (ECMAScript WhiteSpace and LineTerminator). */
export function isSpaceCode(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** An ASCII identifier (the words DeclWords can answer for). */
const ASCII_WORD = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Which function declarations of a package spell each identifier, from one scan of their
 * text (the lock analysis's index of the package, shared by its name-based searches: the
 * callers by name of the relevance filter, the field writes of LockAliases, the `&x` of
 * releasableByValue). Identifiers are kept as hashes of their `[A-Za-z_][A-Za-z0-9_]*`
 * runs, so a lookup gives a superset (hash collisions, a run starting after a digit) that
 * the caller checks on the text; every whole-word occurrence of an ASCII identifier is a
 * run, so none is missed.
 */
export class DeclWords {
  /** The package's function declarations, in `pkg.funcDecls` order, with their text. */
  readonly decls: Array<{ decl: Node; file: SourceFile; text: string }>;
  // An open-addressing table of run hashes (typed arrays: a Map of arrays made the scan, which
  // touches every identifier of the package, several times slower). Per slot: the hash, the
  // first and last entry of its list of declarations, and the last declaration added (each once).
  private mask = 1023;
  private used = new Uint8Array(1024);
  private keys = new Int32Array(1024);
  private head = new Int32Array(1024);
  private tail = new Int32Array(1024);
  private lastDecl = new Int32Array(1024);
  private size = 0;
  /** The lists: declaration index and next entry (-1 ends a list). */
  private entDecl = new Int32Array(4096);
  private entNext = new Int32Array(4096);
  /**
   * Per entry: the offset of the first run of its hash in the declaration that is a whole word
   * called there (followed by `(` after white space, see `callers`), or -1 when none is.
   */
  private entCall = new Int32Array(4096);
  private entries = 0;

  constructor(pf: PackageFacts) {
    this.decls = pf.pkg.funcDecls.map(({ decl, file }) => ({ decl, file, text: file.text.slice(decl.start, decl.end) }));
    const cls = CHAR_CLASS;
    for (let d = 0; d < this.decls.length; d++) {
      // The file's text between the declaration's offsets: a character read from the slice
      // (a view of the file's text) costs more than one from the file's text itself.
      const { decl, file } = this.decls[d] as DeclWords['decls'][number];
      const text = file.text;
      const n = decl.end;
      let i = decl.start;
      while (i < n) {
        let c = text.charCodeAt(i);
        if (!((cls[c] as number) & 1)) {
          i++;
          continue;
        }
        // The hash of WORD_CHAR's runs (wordHash), its first character's step folded in (31 * 0 + c).
        const start = i;
        let h = c;
        for (i++; i < n; i++) {
          c = text.charCodeAt(i);
          if (!cls[c]) break;
          h = (Math.imul(h, 31) + c) | 0;
        }
        // Only a run followed by `(` or white space can be a call (see `called`): the others,
        // most of them, are not looked at again (and `add` stays as small as before).
        const slot = this.add(h, d);
        if (i < n && (c === 40 || isSpaceCode(c))) {
          const t = this.tail[slot] as number;
          if (this.entCall[t] === -1 && DeclWords.called(text, start, i, decl.start, n)) this.entCall[t] = start;
        }
      }
    }
  }

  /**
   * Whether the run `text[start, end)` of a declaration spanning [from, to) is a call of it as
   * `callsByName` (locks.ts) sees one in the declaration's text: no word character before it
   * (a run may follow a digit), then `(` after white space.
   */
  private static called(text: string, start: number, end: number, from: number, to: number): boolean {
    if (start > from && isWordCode(text.charCodeAt(start - 1))) return false;
    let j = end;
    while (j < to && isSpaceCode(text.charCodeAt(j))) j++;
    return j < to && text.charCodeAt(j) === 40;
  }

  private slotOf(h: number): number {
    let i = Math.imul(h, 0x9e3779b1) & this.mask;
    while (this.used[i] && this.keys[i] !== h) i = (i + 1) & this.mask;
    return i;
  }

  /** Lists declaration `d` for hash `h` (once), and gives the hash's slot (its last entry is `d`'s). */
  private add(h: number, d: number): number {
    let i = this.slotOf(h);
    if (!this.used[i]) {
      if ((this.size + 1) * 2 > this.mask + 1) {
        this.grow();
        i = this.slotOf(h);
      }
      this.used[i] = 1;
      this.keys[i] = h;
      this.head[i] = -1;
      this.lastDecl[i] = -1;
      this.size++;
    } else if (this.lastDecl[i] === d) return i;
    if (this.entries === this.entDecl.length) {
      const ed = new Int32Array(this.entries * 2);
      ed.set(this.entDecl);
      this.entDecl = ed;
      const en = new Int32Array(this.entries * 2);
      en.set(this.entNext);
      this.entNext = en;
      const ec = new Int32Array(this.entries * 2);
      ec.set(this.entCall);
      this.entCall = ec;
    }
    const e = this.entries++;
    this.entDecl[e] = d;
    this.entNext[e] = -1;
    this.entCall[e] = -1;
    if (this.head[i] === -1) this.head[i] = e;
    else this.entNext[this.tail[i] as number] = e;
    this.tail[i] = e;
    this.lastDecl[i] = d;
    return i;
  }

  private grow(): void {
    const { used, keys, head, tail, lastDecl } = this;
    const cap = (this.mask + 1) * 2;
    this.mask = cap - 1;
    this.used = new Uint8Array(cap);
    this.keys = new Int32Array(cap);
    this.head = new Int32Array(cap);
    this.tail = new Int32Array(cap);
    this.lastDecl = new Int32Array(cap);
    for (let j = 0; j < used.length; j++) {
      if (!used[j]) continue;
      const i = this.slotOf(keys[j] as number);
      this.used[i] = 1;
      this.keys[i] = keys[j] as number;
      this.head[i] = head[j] as number;
      this.tail[i] = tail[j] as number;
      this.lastDecl[i] = lastDecl[j] as number;
    }
  }

  /**
   * Indices (ascending) of the declarations that may spell `word` as a whole word: every one
   * that does, and maybe others. Undefined for a word that is not an ASCII identifier (the
   * caller searches every declaration).
   */
  /**
   * Indices (ascending) of the declarations whose text calls `name` (`callsByName(text, name)`
   * of locks.ts: a whole-word occurrence followed by `(` after white space); none for a name
   * that is not an ASCII identifier (as `candidates(name) ?? []`). A declaration none of whose
   * runs with the name's hash is called does not call it; where the first called one is the
   * name itself it does; otherwise (another word with the same hash) `check` decides.
   */
  callers(name: string, check: (d: number) => boolean): number[] {
    const out: number[] = [];
    if (!ASCII_WORD.test(name)) return out;
    const i = this.slotOf(wordHash(name, 0, name.length));
    if (!this.used[i]) return out;
    for (let e = this.head[i] as number; e !== -1; e = this.entNext[e] as number) {
      const at = this.entCall[e] as number;
      if (at < 0) continue;
      const d = this.entDecl[e] as number;
      const { decl, file } = this.decls[d] as DeclWords['decls'][number];
      const end = at + name.length;
      const exact = file.text.startsWith(name, at) && (end >= decl.end || !CHAR_CLASS[file.text.charCodeAt(end)]);
      if (exact || check(d)) out.push(d);
    }
    return out;
  }

  candidates(word: string): readonly number[] | undefined {
    if (!ASCII_WORD.test(word)) return undefined;
    const i = this.slotOf(wordHash(word, 0, word.length));
    const out: number[] = [];
    if (!this.used[i]) return out;
    for (let e = this.head[i] as number; e !== -1; e = this.entNext[e] as number) out.push(this.entDecl[e] as number);
    return out;
  }
}

/** The identifier index of the package's declarations (memoised in its PackageFacts). */
export function declWords(facts: PackageFacts): DeclWords {
  return facts.memo('decl-words', () => new DeclWords(facts));
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

  private varTextList: string[] | undefined;

  /** The text of each package-level var declaration (for the initialisers test of writesOf). */
  private varTexts(): string[] {
    return (this.varTextList ??= this.pf.pkg.varDecls.map(({ decl, file }) => file.text.slice(decl.start, decl.end)));
  }

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

  private assigned = new Map<string, boolean>();

  /**
   * Whether some declaration of the package may assign a field named `name` through a
   * selector (`x.name = v`, also in a tuple assignment), read from the syntax alone. Every
   * write that names its owner is such an assignment (a composite literal's has none, see
   * writesOf), and the facts selfCallee looks for (`method`, `self`, `back`) need one: when
   * there is none they cannot hold, and the declarations spelling the field need not be
   * typed to find out.
   */
  assignsField(name: string): boolean {
    const have = this.assigned.get(name);
    if (have !== undefined) return have;
    const dw = declWords(this.pf);
    const cands = dw.candidates(name);
    let found = false;
    for (const d of cands ? cands.map((i) => dw.decls[i] as DeclWords['decls'][number]) : dw.decls) {
      if (!d.text.includes(name)) continue;
      // Such a left side's field is an occurrence of the name: each occurrence is looked up in
      // the tree (a walk of every declaration spelling the name cost a few percent of the lock
      // analysis, and most names are only read).
      const text = d.file.text;
      const end = d.decl.end - name.length;
      for (let i = text.indexOf(name, d.decl.start); i >= 0 && i <= end && !found; i = text.indexOf(name, i + 1)) found = assignedSelectorField(d.decl, i, i + name.length);
      if (found) break;
    }
    this.assigned.set(name, found);
    return found;
  }

  /** Every write of field `name` of struct type `tname` (see writesOf). */
  writesFor(tname: string, name: string): Write[] | undefined {
    return this.writesOf(tname, name);
  }

  private writeNodeLists = new Map<Node, Node[]>();

  /**
   * The nodes of `decl` that can write a field, in walk order (what writesOf looks at:
   * assignments, composite literals, element literals with their type elided), collected in
   * one walk per declaration: a declaration that spells several fields is walked once, and
   * each field's search visits only these nodes.
   */
  private writeNodes(decl: Node): Node[] {
    let l = this.writeNodeLists.get(decl);
    if (l) return l;
    const list: Node[] = [];
    walk(decl, (n) => {
      if (n.type === 'assignment_statement' || n.type === 'composite_literal' || (n.type === 'literal_value' && n.parent?.type !== 'composite_literal')) list.push(n);
    });
    this.writeNodeLists.set(decl, (l = list));
    return l;
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
    // A declaration spells the name only in a file that does (tested once per file: a
    // declaration starts with a keyword and ends with a token, so its edges add no boundary).
    const fileHas = new Map<SourceFile, boolean>();
    const inFile = (re: RegExp, f: SourceFile): boolean => {
      let v = fileHas.get(f);
      if (v === undefined) fileHas.set(f, (v = re.test(f.text)));
      return v;
    };
    // Tested on each var declaration's text alone (cached once per package): the text of
    // whole files, tested per field before, is mostly function bodies, where `name:` is common.
    for (const text of this.varTexts()) {
      if (keyed.test(text)) {
        this.writes.set(key, undefined);
        return undefined;
      }
    }
    const out: Write[] = [];
    let unknown = false;
    // The declarations that spell the name, in package order: from the index when the name
    // is an ASCII identifier (a whole-word match of it is a run the index has).
    const dw = declWords(this.pf);
    const cands = dw.candidates(name);
    const search = cands ? cands.map((i) => dw.decls[i] as DeclWords['decls'][number]) : dw.decls.filter((d) => inFile(word, d.file));
    for (const { decl, file, text } of search) {
      if (!word.test(text)) continue;
      const fc = this.pf.funcCtx(decl, file);
      const spells = spellings(file.text, name, decl);
      for (const n of this.writeNodes(decl)) {
        if (n.type === 'assignment_statement') {
          // A left side `x.<name>` spells the name inside the statement (checked without slicing it).
          if (!spells(n)) continue;
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
        } else if (n.type === 'literal_value') {
          // An element literal with its type elided (`[]*T{{f: e}}`): not typed here.
          if (!spells(n)) continue;
          for (const el of named(n)) {
            const k = el.type === 'keyed_element' ? named(el)[0] : undefined;
            if (k && fc.text(k) === name) unknown = true;
          }
        } else {
          const t = namedOf(fc.res.typeOf(n));
          if (t?.name !== tname || t.pkg !== pkg.importPath) continue;
          const body = field(n, 'body');
          for (const el of body ? named(body) : []) {
            if (el.type !== 'keyed_element') {
              // Positional literal: every field is written.
              unknown = true;
              break;
            }
            const k = named(el)[0];
            const v = named(el)[1];
            if (k && v && fc.text(k) === name) out.push({ fc, owner: undefined, value: unwrapElem(v) });
          }
        }
        if (unknown) break;
      }
      if (unknown) break;
    }
    const r = unknown ? undefined : out;
    this.writes.set(key, r);
    return r;
  }
}

/**
 * Whether the node of `root` spanning exactly [start, end) is the field of a selector that
 * is (under parentheses) an element of an assignment's left side: `x.f = v`, `a, (x.f) = v, w`
 * (what `unparen` of an element of `exprList(field(assign, 'left'))` finds).
 */
function assignedSelectorField(root: Node, start: number, end: number): boolean {
  // The innermost node containing the span (children are in source order and nested in their parent).
  let n = root;
  for (;;) {
    const kids = n.children;
    let next: Node | undefined;
    for (let i = 0; i < kids.length; i++) {
      const c = kids[i] as Node;
      if (c.start > start) break;
      if (c.end >= end) {
        next = c;
        break;
      }
    }
    if (!next) break;
    n = next;
  }
  for (let x: Node | null = n; x && x.start === start && x.end === end; x = x.parent) {
    const sel = x.parent;
    if (sel?.type !== 'selector_expression' || field(sel, 'field') !== x) continue;
    let e: Node = sel;
    while (e.parent?.type === 'parenthesized_expression' && firstNamed(e.parent) === e) e = e.parent;
    const p = e.parent;
    if (p?.type === 'assignment_statement' && field(p, 'left') === e) return true;
    if (p?.type === 'expression_list' && e.named && p.parent?.type === 'assignment_statement' && field(p.parent, 'left') === p) return true;
  }
  return false;
}

/**
 * Whether a node of `decl` contains `name` in its text (`text.indexOf(name, n.start)` ending
 * by `n.end`), from the occurrences in the declaration found once: an unbounded indexOf per
 * statement scans on to the next occurrence, often the end of the file.
 */
function spellings(text: string, name: string, decl: Node): (n: Node) => boolean {
  const at: number[] = [];
  for (let i = text.indexOf(name, decl.start); i >= 0 && i < decl.end; i = text.indexOf(name, i + 1)) at.push(i);
  return (n) => {
    // The first occurrence at or after n.start (binary search: nodes come in any order).
    let lo = 0;
    let hi = at.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((at[mid] as number) < n.start) lo = mid + 1;
      else hi = mid;
    }
    return lo < at.length && (at[lo] as number) + name.length <= n.end;
  };
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
  if (e.type === 'unary_expression' && firstChar(fc, e) === '&') return field(e, 'operand');
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
    if (unparen(a).type === 'composite_literal') return backOf(fc, owner, unparen(a), true);
    const p = relPath(fc, owner, a);
    if (p && (isSyncType(fc.res.typeOf(a), 'Mutex') || isSyncType(fc.res.typeOf(a), 'RWMutex'))) return { t: 'alias', path: p };
    return undefined;
  }
  if (v.type === 'composite_literal') return backOf(fc, owner, v);
  if (sameRoot(fc, owner, v)) return { t: 'self' };
  if (v.type === 'selector_expression') {
    const op = field(v, 'operand');
    const fl = field(v, 'field');
    if (op && fl && sameRoot(fc, owner, op)) {
      const rt = namedOf(fc.res.typeOf(op));
      const m = rt ? fc.facts.pkg.method(rt.name, fc.text(fl)) : undefined;
      if (m?.decl && (m.pointerRecv ? fc.res.typeOf(op).kind === 'pointer' : true)) return { t: 'method', name: m.name };
    }
  }
  return undefined;
}

/** `U{g: x}` with x the owner: a back-pointer in field g. */
function backOf(fc: FuncCtx, owner: Node, lit: Node, ptr = false): FieldFact | undefined {
  const lt = namedOf(fc.res.typeOf(lit));
  if (!lt || lt.pkg !== fc.facts.pkg.importPath) return undefined;
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
  return g ? { t: 'back', g, type: lt.name, ptr } : undefined;
}

/**
 * The method a call through a field runs, when the field's invariant says which and on
 * what (issue 13: callbacks and interfaces bound to their own object):
 * - `x.f(args)` with every write of f being `x.f = x.m`: method m on receiver x;
 * - `x.f.M(args)` with every write `x.f = x` (an interface field holding its holder): M of x's type on x;
 * - `x.f.M(args)` with every write `x.f = U{g: x}`: U's method M, whose receiver's field g is x
 *   (`strip` = `.g`: the callee's `recv.g...` is the caller's `x...`; other paths under its
 *   receiver name a copy or an unknown object).
 * `recv` is the expression the callee's receiver root maps to; undefined when no fact holds.
 */
export function selfCallee(fc: FuncCtx, fnExpr: Node): { decl: Node; name: string; recv: Node; strip: string; pointer: boolean } | undefined {
  if (fnExpr.type !== 'selector_expression') return undefined;
  const op = field(fnExpr, 'operand');
  const fl = field(fnExpr, 'field');
  if (!op || !fl) return undefined;
  const la = lockAliases(fc.facts);
  const pkg = fc.facts.pkg;
  // Each fact below gives a callee only through a method of this package: a field whose
  // type has no method here, or a method name no type here declares, needs no fact (asking
  // for one reads every declaration that spells the field).
  const mi = methodIndex(fc.facts);
  const holderOf = (e: Node): { x: Node; f: string } | undefined => {
    const u = unparen(e);
    if (u.type !== 'selector_expression') return undefined;
    const x = field(u, 'operand');
    const f = field(u, 'field');
    return x && f && !fc.res.importOf(x) ? { x, f: fc.text(f) } : undefined;
  };
  // x.f(args)
  const direct = holderOf(fnExpr);
  const drt = direct ? namedOf(fc.res.typeOf(direct.x)) : undefined;
  if (direct && drt && mi.types.has(drt.name) && fc.res.typeOf(fnExpr).kind === 'func' && la.assignsField(direct.f)) {
    const fact = la.factOf(fc, direct.x, direct.f);
    const rt = drt;
    if (fact?.t === 'method' && rt) {
      const m = pkg.method(rt.name, fact.name);
      if (m?.decl) return { decl: m.decl, name: `${m.recvType}.${m.name}`, recv: direct.x, strip: '', pointer: m.pointerRecv };
    }
  }
  // x.f.M(args)
  const h = holderOf(op);
  const mname = fc.text(fl);
  if (!h || !mi.names.has(mname) || !la.assignsField(h.f)) return undefined;
  const fact = la.factOf(fc, h.x, h.f);
  if (fact?.t === 'self') {
    const rt = namedOf(fc.res.typeOf(h.x));
    const m = rt ? pkg.method(rt.name, mname) : undefined;
    if (m?.decl && (!m.pointerRecv || fc.res.typeOf(h.x).kind === 'pointer')) return { decl: m.decl, name: `${m.recvType}.${m.name}`, recv: h.x, strip: '', pointer: m.pointerRecv };
  }
  if (fact?.t === 'back') {
    const m = pkg.method(fact.type, mname);
    if (m?.decl && (!m.pointerRecv || fact.ptr) && fc.res.typeOf(h.x).kind === 'pointer') return { decl: m.decl, name: `${m.recvType}.${m.name}`, recv: h.x, strip: `.${fact.g}`, pointer: true };
  }
  return undefined;
}

/** The names of the package's methods, and the receiver type names that have one. */
function methodIndex(facts: PackageFacts): { names: Set<string>; types: Set<string> } {
  return facts.memo('method-index', () => {
    const names = new Set<string>();
    const types = new Set<string>();
    for (const { decl, file } of facts.pkg.funcDecls) {
      if (decl.type !== 'method_declaration') continue;
      const n = field(decl, 'name');
      const rt = receiverTypeName(decl, file);
      if (!n || !rt) continue;
      names.add(file.textOf(n));
      types.add(rt);
    }
    return { names, types };
  });
}

/**
 * The package functions a func-typed field (or a slice/array of them) can hold, when every
 * write of the field stores function names: `T{loaders: []func(*T){loadCore, loadJSON}}`,
 * `x.f = handle`, `x.fs = append(x.fs, a, b)`. Undefined when some write stores anything
 * else (a parameter, a closure, a method value) or may be invisible (see writesOf).
 */
export function fieldFuncs(fc: FuncCtx, owner: Node, name: string): Node[] | undefined {
  const t = namedOf(fc.res.typeOf(owner));
  if (!t || t.pkg !== fc.facts.pkg.importPath || underlying(t).kind !== 'struct') return undefined;
  const ws = lockAliases(fc.facts).writesFor(t.name, name);
  if (!ws || ws.length === 0) return undefined;
  // An element written through an index (`x.fs[k] = h`) is a write writesOf does not see.
  const indexed = new RegExp(`\\.${name}\\s*\\[[^\\]]*\\]\\s*=[^=]`);
  if (fc.facts.pkg.files.some((f) => indexed.test(f.text))) return undefined;
  const out = new Set<Node>();
  const funcName = (w: Write, e0: Node): boolean => {
    const e = unwrapElem(unparen(e0));
    if (e.type !== 'identifier') return false;
    const o = w.fc.res.pkgObjOf(e);
    if (o?.kind !== 'func' || o.pkg !== fc.facts.pkg || o.node.type !== 'function_declaration') return false;
    out.add(o.node);
    return true;
  };
  for (const w of ws) {
    const v = unparen(w.value);
    if (funcName(w, v)) continue;
    if (v.type === 'composite_literal') {
      const body = field(v, 'body');
      const els = body ? named(body) : [];
      if (!els.every((el) => el.type !== 'keyed_element' && funcName(w, el))) return undefined;
      continue;
    }
    // `x.fs = append(x.fs, f, g)`
    if (v.type === 'call_expression' && w.owner && w.fc.text(field(v, 'function') ?? v) === 'append' && !w.fc.res.localOf(field(v, 'function') ?? v)) {
      const [first, ...rest] = callArgs(v);
      const f = first ? unparen(first) : undefined;
      const fo = f?.type === 'selector_expression' ? field(f, 'operand') : undefined;
      if (!f || !fo || !sameRoot(w.fc, w.owner, fo) || rest.length === 0 || !rest.every((a) => funcName(w, a))) return undefined;
      continue;
    }
    return undefined;
  }
  return [...out];
}

/** A closure registered into a func field through a method: the literal, where it was written, and the object it was registered on. */
export interface Registration {
  fc: FuncCtx;
  lit: Node;
  /** The receiver expression of the registering call (`s` in `s.OnConnect(func...)`). */
  holder: Node;
}

/**
 * The closures a func-typed field (or slice of them) can hold, when every write of it is a
 * registration method storing its parameter on its own receiver (`func (s *S) OnConnect(h
 * func(*C)) { s.hooks = append(s.hooks, h) }`) and every call of that method in the
 * package passes a function literal. Each comes with the receiver of the registering call,
 * so a literal that names that same variable (`s.OnConnect(func(c *C) { s.Addr() })`)
 * runs, when called through `x.hooks`, with its `s` being `x`. Undefined when some write
 * or registration is anything else, or when the method may be called from elsewhere
 * (exported outside a `main` package, or used as a method value).
 */
export function fieldRegistrations(fc: FuncCtx, owner: Node, name: string): Registration[] | undefined {
  const t = namedOf(fc.res.typeOf(owner));
  const pkg = fc.facts.pkg;
  if (!t || t.pkg !== pkg.importPath || underlying(t).kind !== 'struct') return undefined;
  const ws = lockAliases(fc.facts).writesFor(t.name, name);
  if (!ws || ws.length === 0) return undefined;
  const indexed = new RegExp(`\\.${name}\\s*\\[[^\\]]*\\]\\s*=[^=]`);
  if (pkg.files.some((f) => indexed.test(f.text))) return undefined;
  const methods = new Map<Node, number>();
  for (const w of ws) {
    if (!w.owner || w.fc.decl.type !== 'method_declaration') return undefined;
    const ov = unparen(w.owner).type === 'identifier' ? w.fc.res.localOf(unparen(w.owner)) : undefined;
    if (ov?.kind !== 'recv') return undefined;
    let v = unparen(w.value);
    if (v.type === 'call_expression' && w.fc.text(field(v, 'function') ?? v) === 'append') {
      const [first, second, ...rest] = callArgs(v);
      const f = first ? unparen(first) : undefined;
      const fo = f?.type === 'selector_expression' ? field(f, 'operand') : undefined;
      if (!second || rest.length > 0 || !fo || !sameRoot(w.fc, w.owner, fo)) return undefined;
      v = unparen(second);
    }
    const pv = v.type === 'identifier' ? w.fc.res.localOf(v) : undefined;
    if (pv?.kind !== 'param' || pv.func !== w.fc.decl) return undefined;
    const params = field(w.fc.decl, 'parameters');
    let idx = -1;
    let i = 0;
    for (const pd of params ? named(params) : []) {
      for (const c of pd.children) {
        if (c.field !== 'name') continue;
        if (c === pv.ident) idx = i;
        i++;
      }
    }
    if (idx < 0) return undefined;
    if (methods.has(w.fc.decl) && methods.get(w.fc.decl) !== idx) return undefined;
    methods.set(w.fc.decl, idx);
  }
  const out: Registration[] = [];
  for (const [m, idx] of methods) {
    const mname = fc.facts.funcCtxOfDecl(m)?.text(field(m, 'name') ?? m) ?? '';
    if (!mname || (/^[A-Z]/.test(mname) && pkg.name !== 'main')) return undefined;
    const word = new RegExp(`\\.${mname}\\b`);
    for (const { decl, file } of pkg.funcDecls) {
      if (!word.test(file.text.slice(decl.start, decl.end))) continue;
      const cfc = fc.facts.funcCtx(decl, file);
      let bad = false;
      walk(decl, (n) => {
        if (bad) return false;
        if (n.type !== 'selector_expression' || cfc.text(field(n, 'field') ?? n) !== mname) return;
        const call = n.parent;
        if (call?.type !== 'call_expression' || field(call, 'function') !== n) {
          bad = true; // a method value: registered where we do not look
          return false;
        }
        const c = cfc.res.callee(call);
        if (c.kind !== 'method' || c.method.decl !== m) return;
        const a = callArgs(call)[idx];
        const lit = a ? unparen(a) : undefined;
        if (lit?.type !== 'func_literal') {
          bad = true;
          return false;
        }
        out.push({ fc: cfc, lit, holder: c.recv });
        return undefined;
      });
      if (bad) return undefined;
    }
  }
  return out.length > 0 ? out : undefined;
}
