/**
 * @fileoverview Which names a Go file declares at package level, found with a token
 * scanner instead of a parse.
 *
 * The analyser leaves files that no rule cares about unparsed. When a lookup needs a
 * package-level name, only the file that declares it has to be parsed; before this index
 * every file *mentioning* the name was parsed (for `throw` in package runtime, over a
 * hundred files). The scanner follows the Go spec's lexical rules closely enough to
 * find top-level declarations in any formatting: comments, interpreted, raw and rune
 * literals, bracket depth, and automatic semicolon insertion ("Semicolons": a newline
 * ends a statement after an identifier, a literal, one of the keywords break, continue,
 * fallthrough or return, or one of `++ -- ) ] }`).
 *
 * It may over-report (a harmless extra parse) but must never miss a declaration; when
 * it meets anything it does not understand (an unterminated literal or comment, an
 * unbalanced bracket, a character Go does not allow, a top-level token that does not
 * start a declaration) it gives up and the caller falls back to the text search.
 */

/** Package-level names a file declares. */
export interface DeclIndex {
  /** Functions, types, variables and constants (including `init` and `_`). */
  names: Set<string>;
  /** Methods as `Type.Method` (the receiver's base type name, without `*` and type arguments). */
  methods: Set<string>;
}

/** A token: kind, value (empty for literals) and start offset. */
type Tok = { k: 'id' | 'lit' | 'op'; v: string; s: number };

/** A function or method declaration's body: offsets of `func`, the body's `{` and its closing `}`. */
export interface FuncBody {
  /** The function's or method's name. */
  name: string;
  declStart: number;
  open: number;
  close: number;
}

const KEYWORDS = new Set([
  'break', 'case', 'chan', 'const', 'continue', 'default', 'defer', 'else', 'fallthrough', 'for', 'func', 'go', 'goto',
  'if', 'import', 'interface', 'map', 'package', 'range', 'return', 'select', 'struct', 'switch', 'type', 'var',
]);
const SEMI_KEYWORDS = new Set(['break', 'continue', 'fallthrough', 'return']);
const ID_START = /[\p{L}_]/u;
const ID_REST = /[\p{L}\p{N}_]/u;

class GiveUp extends Error {}

/** ASCII characters that are Go operators or punctuation (after comments are taken out). */
const OP_CHARS = new Uint8Array(128);
for (const ch of '+-*/%&|^<>=!()[]{},;.:~') OP_CHARS[ch.charCodeAt(0)] = 1;

const isAsciiIdent = (d: number): boolean => d === 95 || (d >= 48 && d <= 57) || ((d | 32) >= 97 && (d | 32) <= 122);

/**
 * A tokenizer over Go source: each call returns the next token (undefined at the end),
 * with `;` inserted where the spec's semicolon rule does. Operators other than brackets,
 * `,`, `;`, `++` and `--` are returned one character at a time: nothing here needs to
 * tell them apart. Throws GiveUp on text Go would reject lexically.
 */
function lexer(s: string): { next: () => Tok | undefined; skipGroup: () => number; comments: Array<[number, number]> } {
  let i = 0;
  let semiOk = false;
  let done = false;
  const n = s.length;
  /** Skips a literal starting at `j` (a quote or a back quote); returns the offset after it. */
  const literalEnd = (j: number): number => {
    const q = s.charCodeAt(j);
    if (q === 96) {
      const e = s.indexOf('`', j + 1);
      if (e === -1) throw new GiveUp();
      return e + 1;
    }
    for (let k = j + 1; ; ) {
      const d = s.charCodeAt(k);
      if (k >= n || d === 10) throw new GiveUp();
      if (d === 92 /* \ */) k += 2;
      else if (d === q) return k + 1;
      else k++;
    }
  };
  /**
   * After a `{` token: skips to its matching `}` reading only comments, literals and
   * braces (nothing inside a brace group declares anything at package level), and
   * returns the `}`'s offset. Most of a file is function bodies: this is the fast path.
   */
  const skipGroup = (): number => {
    let depth = 1;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === 123) depth++;
      else if (c === 125) {
        if (--depth === 0) {
          const close = i;
          i++;
          semiOk = true;
          return close;
        }
      } else if (c === 34 || c === 39 || c === 96) {
        i = literalEnd(i);
        continue;
      } else if (c === 47 && s.charCodeAt(i + 1) === 47) {
        const e = s.indexOf('\n', i);
        i = e === -1 ? n : e;
        continue;
      } else if (c === 47 && s.charCodeAt(i + 1) === 42) {
        const e = s.indexOf('*/', i + 2);
        if (e === -1) throw new GiveUp();
        i = e + 2;
        continue;
      }
      i++;
    }
    throw new GiveUp();
  };
  const comments: Array<[number, number]> = [];
  let tokenSince = true;
  const next = (): Tok | undefined => {
    const t = next0();
    tokenSince = true;
    return t;
  };
  const next0 = (): Tok | undefined => {
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === 10) {
        i++;
        if (semiOk) {
          semiOk = false;
          return { k: 'op', v: ';', s: i - 1 };
        }
        continue;
      }
      if (c === 32 || c === 9 || c === 13 || c === 0xfeff) {
        i++;
        continue;
      }
      if (c === 47 /* / */ && s.charCodeAt(i + 1) === 47) {
        const e = s.indexOf('\n', i);
        const end = e === -1 ? n : e;
        // Line comments with nothing but white space between them make one run.
        const last = comments[comments.length - 1];
        if (last && !tokenSince) last[1] = end;
        else comments.push([i, end]);
        tokenSince = false;
        i = end;
        continue;
      }
      if (c === 47 && s.charCodeAt(i + 1) === 42 /* * */) {
        const e = s.indexOf('*/', i + 2);
        if (e === -1) throw new GiveUp();
        const at = i;
        i = e + 2;
        // A general comment containing newlines acts like a newline.
        if (semiOk && s.slice(at, e).includes('\n')) {
          semiOk = false;
          return { k: 'op', v: ';', s: at };
        }
        continue;
      }
      const at = i;
      if (c === 34 /* " */ || c === 39 /* ' */ || c === 96 /* ` */) {
        i = literalEnd(i);
        semiOk = true;
        return { k: 'lit', v: '', s: at };
      }
      if ((c >= 48 && c <= 57) || (c === 46 && s.charCodeAt(i + 1) >= 48 && s.charCodeAt(i + 1) <= 57)) {
        // Digits, letters (hex, exponents, the imaginary `i`), `_` and `.`; an exponent's
        // sign comes out as an operator, which changes neither brackets nor semicolons.
        let j = i + 1;
        while (j < n && (isAsciiIdent(s.charCodeAt(j)) || s.charCodeAt(j) === 46)) j++;
        i = j;
        semiOk = true;
        return { k: 'lit', v: '', s: at };
      }
      if (c < 128 ? c === 95 || ((c | 32) >= 97 && (c | 32) <= 122) : ID_START.test(String.fromCodePoint(s.codePointAt(i) as number))) {
        let j = i;
        while (j < n) {
          const d = s.charCodeAt(j);
          if (d < 128) {
            if (isAsciiIdent(d)) j++;
            else break;
          } else {
            const cp = String.fromCodePoint(s.codePointAt(j) as number);
            if (!ID_REST.test(cp)) break;
            j += cp.length;
          }
        }
        const v = s.slice(i, j);
        i = j;
        semiOk = !KEYWORDS.has(v) || SEMI_KEYWORDS.has(v);
        return { k: 'id', v, s: at };
      }
      if (c >= 128 || OP_CHARS[c] !== 1) throw new GiveUp();
      const c2 = s.charCodeAt(i + 1);
      const v = (c === 43 && c2 === 43) || (c === 45 && c2 === 45) ? s.slice(i, i + 2) : (s[i] as string);
      i += v.length;
      semiOk = v === ')' || v === ']' || v === '}' || v === '++' || v === '--';
      return { k: 'op', v, s: at };
    }
    if (semiOk && !done) {
      done = true;
      return { k: 'op', v: ';', s: n };
    }
    return undefined;
  };
  return { next, skipGroup, comments };
}

/** What `scanFile` finds in a file. */
export interface FileScan {
  index: DeclIndex;
  /** Function and method bodies in file order. */
  bodies: FuncBody[];
  /**
   * Brace groups of package-level `var` and `const` initialisers, in file order: the
   * element lists of composite literals (`var tests = []T{...}`) and the bodies of
   * function literals (offsets of `{` and `}`). Type literals are not included.
   */
  literals: Array<{ open: number; close: number }>;
  /**
   * Line comments outside function bodies and literals, as [start, end) offsets (end
   * before the newline); runs of comment lines separated only by white space are one
   * entry, so the newline after a run is never inside it.
   */
  comments: Array<[number, number]>;
}

/**
 * The package-level declarations and function bodies of a Go file, or undefined when
 * the text cannot be scanned with certainty (the caller then treats every mention as a
 * possible declaration, and parses the whole file).
 */
export function scanFile(text: string): FileScan | undefined {
  const out: DeclIndex = { names: new Set(), methods: new Set() };
  const bodies: FuncBody[] = [];
  const literals: FileScan['literals'] = [];
  const lex = lexer(text);
  let peeked: Tok | undefined;
  const next = (): Tok | undefined => {
    if (peeked) {
      const t = peeked;
      peeked = undefined;
      return t;
    }
    return lex.next();
  };
  const peek = (): Tok | undefined => (peeked ??= next());
  const isOpen = (v: string): boolean => v === '(' || v === '[' || v === '{';
  const isClose = (v: string): boolean => v === ')' || v === ']' || v === '}';
  /**
   * Skips to the `;` that ends the current spec at this level, or to (not past) the `)`
   * that closes the group. Returns the last brace group at depth 0 when it ends the spec
   * and is not a type literal (`interface{...}`, `struct{...}`): a function's body.
   */
  const skipSpec = (inGroup: boolean, groups?: FileScan['literals']): { open: number; close: number } | undefined => {
    let depth = 0;
    let prev: Tok | undefined;
    let group: { open: number; close: number; isType: boolean } | undefined;
    let lastWasGroup = false;
    const body = (): { open: number; close: number } | undefined => (group && lastWasGroup && !group.isType ? { open: group.open, close: group.close } : undefined);
    for (;;) {
      const t = peek();
      if (!t) {
        if (depth !== 0 || inGroup) throw new GiveUp();
        return body();
      }
      if (t.k === 'op') {
        if (depth === 0 && t.v === ';') {
          next();
          return body();
        }
        if (depth === 0 && inGroup && t.v === ')') return body();
        if (depth === 0 && t.v === '{') {
          next();
          group = { open: t.s, close: lex.skipGroup(), isType: prev?.v === 'interface' || prev?.v === 'struct' };
          if (groups && !group.isType) groups.push({ open: group.open, close: group.close });
          lastWasGroup = true;
          prev = { k: 'op', v: '}', s: group.close };
          continue;
        }
        if (isOpen(t.v)) depth++;
        else if (isClose(t.v) && --depth < 0) throw new GiveUp();
      }
      lastWasGroup = depth === 0 && t.v === '}';
      prev = t;
      next();
    }
  };
  const ident = (): string => {
    const t = next();
    if (t?.k !== 'id' || KEYWORDS.has(t.v)) throw new GiveUp();
    return t.v;
  };
  /** One var/const/type spec: records its names and skips the rest. */
  const spec = (kw: string, inGroup: boolean): void => {
    out.names.add(ident());
    if (kw !== 'type') {
      while (peek()?.v === ',') {
        next();
        out.names.add(ident());
      }
    }
    skipSpec(inGroup, kw === 'type' ? undefined : literals);
  };
  try {
    for (;;) {
      const t = next();
      if (!t) break;
      if (t.v === ';') continue;
      if (t.k !== 'id') throw new GiveUp();
      switch (t.v) {
        case 'package':
        case 'import':
          skipSpec(false);
          break;
        case 'func': {
          const declStart = t.s;
          let name: string;
          if (peek()?.v === '(') {
            // Receiver: `(r *T[K, V])`, `(T)`, `(*T)`. The base type is the last identifier
            // outside the type-argument brackets.
            next();
            // Parentheses around the type (`(r (*T))`) are allowed, so only identifiers inside
            // square brackets are skipped.
            const stack: string[] = [];
            let base: string | undefined;
            for (;;) {
              const r = next();
              if (!r) throw new GiveUp();
              if (r.k === 'op' && isOpen(r.v)) stack.push(r.v);
              else if (r.k === 'op' && isClose(r.v)) {
                if (stack.length === 0) {
                  if (r.v !== ')') throw new GiveUp();
                  break;
                }
                stack.pop();
              } else if (r.k === 'id' && !stack.includes('[') && !KEYWORDS.has(r.v)) base = r.v;
            }
            name = ident();
            if (!base) throw new GiveUp();
            out.methods.add(`${base}.${name}`);
          } else out.names.add((name = ident()));
          const b = skipSpec(false);
          if (b) bodies.push({ name, declStart, ...b });
          break;
        }
        case 'var':
        case 'const':
        case 'type':
          if (peek()?.v === '(') {
            next();
            for (;;) {
              const p = peek();
              if (!p) throw new GiveUp();
              if (p.v === ')') {
                next();
                break;
              }
              if (p.v === ';') {
                next();
                continue;
              }
              spec(t.v, true);
            }
            skipSpec(false);
          } else spec(t.v, false);
          break;
        default:
          throw new GiveUp();
      }
    }
  } catch (e) {
    if (e instanceof GiveUp) return undefined;
    throw e;
  }
  return { index: out, bodies, literals, comments: lex.comments };
}
