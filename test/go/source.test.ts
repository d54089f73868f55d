/**
 * @fileoverview Behaviour of SourceFile (parse, syntax errors as the Go parser reports
 * them, positions, bodies, comments) and decodeGoSource (NUL bytes and invalid UTF-8
 * reported as go/scanner does, empty input).
 */
import { describe, expect, it } from 'vitest';
import { SYNTAX_RULE_ID } from '../../src/analysis/finding.js';
import { SourceFile, decodeGoSource } from '../../src/go/source.js';
import { field, type Node } from '../../src/go/syntax.js';
import { allNodes } from './helpers.js';

function funcNames(f: SourceFile): string[] {
  return f.decls
    .filter((d) => d.type === 'function_declaration' || d.type === 'method_declaration')
    .map((d) => {
      const n = field(d, 'name');
      return n ? f.textOf(n) : '?';
    });
}

function declOf(f: SourceFile, name: string): Node {
  const d = f.decls.find((x) => {
    const n = field(x, 'name');
    return n && f.textOf(n) === name;
  });
  if (!d) throw new Error(`no decl ${name}`);
  return d;
}

describe('SourceFile: parsing and declarations', () => {
  it('reads the package name and lists top-level declarations in order', () => {
    const f = new SourceFile('a.go', 'package demo\n\nimport "sync"\n\ntype T struct{ mu sync.Mutex }\n\nvar v = 1\n\nconst c = 2\n\nfunc (t *T) M() {}\n\nfunc F() {}\n');
    expect(f.packageName).toBe('demo');
    expect(f.decls.map((d) => d.type)).toEqual([
      'package_clause',
      'import_declaration',
      'type_declaration',
      'var_declaration',
      'const_declaration',
      'method_declaration',
      'function_declaration',
    ]);
    expect(funcNames(f)).toEqual(['M', 'F']);
    expect(f.syntaxErrors).toEqual([]);
  });

  it('a leading BOM is accepted', () => {
    const f = new SourceFile('a.go', '\uFEFFpackage p\nfunc f() {}\n');
    expect(f.packageName).toBe('p');
    expect(f.syntaxErrors).toEqual([]);
  });
});

describe('SourceFile: syntax errors', () => {
  it('an illegal character is reported at its line and column (go/scanner wording); the next function is still parsed', () => {
    const f = new SourceFile('bad.go', 'package p\n\nfunc a() { @@@ }\n\nfunc b() {}\n');
    expect(f.syntaxErrors.length).toBeGreaterThanOrEqual(1);
    const e = f.syntaxErrors[0];
    expect(e?.ruleId).toBe(SYNTAX_RULE_ID);
    expect(e?.severity).toBe('error');
    expect(e?.file).toBe('bad.go');
    expect(e?.message).toBe("illegal character U+0040 '@'");
    expect(e?.range).toEqual({ start: { line: 3, column: 12 }, end: { line: 3, column: 12 } });
    expect(funcNames(f)).toEqual(['a', 'b']);
  });

  it('an unclosed call in one function keeps the following function in decls, with its body', () => {
    const src = 'package p\n\nfunc a() {\n\tfoo(1,\n\treturn\n}\n\nfunc b() int { return 1 }\n';
    const f = new SourceFile('bad.go', src);
    expect(f.syntaxErrors.length).toBeGreaterThanOrEqual(1);
    expect(f.syntaxErrors[0]?.range.start.line).toBe(5);
    expect(f.syntaxErrors[0]?.message).toBe('syntax error: unexpected keyword return, expected expression');
    expect(funcNames(f)).toEqual(['a', 'b']);
    const body = f.body(declOf(f, 'b'));
    expect(body && f.textOf(body)).toBe('{ return 1 }');
    expect(allNodes(body as Node).some((n) => n.type === 'return_statement')).toBe(true);
  });

  it('a missing operand is reported where go/parser reports it (the next token), with a zero-width range', () => {
    const f = new SourceFile('m.go', 'package p\n\nfunc a() {\n\tx := \n}\n\nfunc b() {}\n');
    expect(f.syntaxErrors.map((e) => e.message)).toEqual(['syntax error: unexpected }, expected expression']);
    const r = f.syntaxErrors[0]?.range;
    expect(r?.start).toEqual({ line: 5, column: 1 });
    expect(r?.start).toEqual(r?.end);
    expect(funcNames(f)).toEqual(['a', 'b']);
  });

  it('errors on CRLF files are on the right line', () => {
    const f = new SourceFile('crlf.go', 'package p\r\n\r\nfunc g() {\r\n\tfoo(\r\n}\r\n\r\nfunc h() {}\r\n');
    expect(f.syntaxErrors.map((e) => e.range.start.line)).toEqual([5]);
    expect(funcNames(f)).toEqual(['g', 'h']);
  });

  it('reports one error per line and stops after eleven, as go/parser does', () => {
    const lines = ['package p', ''];
    for (let i = 0; i < 30; i++) lines.push(`func f${i}() { x := ; y := }`);
    const f = new SourceFile('many.go', lines.join('\n') + '\n');
    expect(f.syntaxErrors).toHaveLength(11);
    expect(f.syntaxErrors.map((e) => e.range.start.line)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
  });

  it('a package clause without a name is a syntax error', () => {
    const f = new SourceFile('p.go', 'package\n');
    expect(f.packageName).toBe('');
    expect(f.syntaxErrors.map((e) => [e.message, e.range.start.line])).toEqual([['syntax error: unexpected EOF, expected IDENT', 2]]);
  });

  it('a file without a package clause is reported as a syntax error', () => {
    expect(new SourceFile('np.go', 'func f() {}\n').syntaxErrors.map((e) => e.message)).toEqual(['syntax error: package statement must be first']);
    expect(new SourceFile('c.go', '// just a comment\n').syntaxErrors.length).toBe(1);
  });

  it('Go 1.26 new(expr) and a shadowed make parse without errors', () => {
    const f = new SourceFile('n.go', 'package p\n\nfunc make(n int) []int { return nil }\n\nfunc f() {\n\tp := new(int64(300))\n\t_ = make(3)\n\t_ = p\n}\n');
    expect(f.syntaxErrors).toEqual([]);
    const call = allNodes(f.body(declOf(f, 'f')) as Node).find((n) => n.type === 'call_expression' && f.textOf(n).startsWith('new'));
    expect(call && field(field(call, 'arguments') as Node, 'function')).toBeUndefined();
    expect((field(call as Node, 'arguments') as Node).children[0]?.type).toBe('call_expression');
  });
});

describe('SourceFile: positions', () => {
  it('columns count UTF-16 units after multi-byte characters (BMP and astral)', () => {
    const src = 'package p\n\nvar s, t = "é€", 1\nvar u, w = "😀", 2\n';
    const f = new SourceFile('u.go', src);
    const tOff = src.indexOf('t =');
    expect(f.position(tOff)).toEqual({ line: 3, column: 8 });
    // "é€" is 2 UTF-16 units (and 5 bytes): `1` is at column 18.
    expect(f.position(src.indexOf('1\n'))).toEqual({ line: 3, column: 18 });
    // The emoji is a surrogate pair: 2 units, so `2` is at column 18 as well.
    expect(f.position(src.indexOf('2\n'))).toEqual({ line: 4, column: 18 });
    // Node offsets agree with string offsets (UTF-16), so textOf slices the right text.
    const lits = allNodes(f.decls[1] as Node).filter((n) => n.type === 'int_literal');
    expect(lits.map((n) => f.textOf(n))).toEqual(['1']);
    expect(f.range(lits[0] as Node)).toEqual({ start: { line: 3, column: 18 }, end: { line: 3, column: 19 } });
  });

  it('syntax error columns after multi-byte characters are in UTF-16 units', () => {
    const src = 'package p\n\nfunc a() { x := "日本😀"; @@ }\n';
    const f = new SourceFile('e.go', src);
    expect(f.syntaxErrors.map((e) => e.message)).toEqual(["illegal character U+0040 '@'", "illegal character U+0040 '@'"]);
    expect(f.syntaxErrors[0]?.range.start).toEqual({ line: 3, column: src.indexOf('@@') - src.indexOf('func') + 1 });
    // `func a() { x := "` is 17 units, 日本 2, 😀 2 (a surrogate pair), `"; ` 3: `@@` at 25.
    expect(f.syntaxErrors[0]?.range.start.column).toBe(25);
  });

  it('CRLF: lines split at \\n, columns start after it, lineText drops the \\r', () => {
    const src = 'package p\r\n\r\nfunc g() {\r\n\tx := 1\r\n}\r\n';
    const f = new SourceFile('c.go', src);
    expect(f.position(src.indexOf('x :='))).toEqual({ line: 4, column: 2 });
    expect(f.position(src.indexOf('func'))).toEqual({ line: 3, column: 1 });
    expect(f.lineText(4)).toBe('\tx := 1');
    expect(f.lineText(1)).toBe('package p');
    expect(f.lineStart(3)).toBe(src.indexOf('func'));
    expect(f.line(src.length - 1)).toBe(5);
  });

  it('lineText and lineStart handle the last line and lines past the end', () => {
    const f = new SourceFile('l.go', 'package p\nvar x = 1');
    expect(f.lineText(2)).toBe('var x = 1');
    expect(f.lineText(3)).toBe('');
    expect(f.lineStart(99)).toBe(f.text.length);
    expect(f.position(0)).toEqual({ line: 1, column: 1 });
    expect(f.position(f.text.length)).toEqual({ line: 2, column: 10 });
  });
});

describe('SourceFile: bodies', () => {
  const src = 'package p\n\nfunc f(x int) int {\n\tif x > 0 {\n\t\treturn x\n\t}\n\treturn 0\n}\n\nfunc empty() {}\n\nfunc decl()\n';

  it('every declaration holds its full body; parent links lead back to the declaration', () => {
    const f = new SourceFile('b.go', src);
    const d = declOf(f, 'f');
    const body = f.body(d) as Node;
    expect(body).toBe(d.children.find((c) => c.field === 'body'));
    expect(body.type).toBe('block');
    expect(body.parent).toBe(d);
    expect(f.textOf(body)).toBe('{\n\tif x > 0 {\n\t\treturn x\n\t}\n\treturn 0\n}');
    const rets = allNodes(body).filter((n) => n.type === 'return_statement');
    expect(rets).toHaveLength(2);
    let top: Node | null = rets[0] as Node;
    while (top?.parent) top = top.parent;
    expect(top).toBe(d);
    expect(f.textOf(f.body(declOf(f, 'empty')) as Node)).toBe('{}');
  });

  it('a function declared without a body has none', () => {
    const f = new SourceFile('b.go', src);
    expect(f.body(declOf(f, 'decl'))).toBeUndefined();
  });

  it('method bodies are there too', () => {
    const f = new SourceFile('m.go', 'package p\ntype T int\nfunc (t T) M() { println(t) }\n');
    const m = f.decls.find((d) => d.type === 'method_declaration') as Node;
    const b = f.body(m) as Node;
    expect(b.parent).toBe(m);
    expect(allNodes(b).some((n) => n.type === 'call_expression' && f.textOf(n) === 'println(t)')).toBe(true);
  });
});

describe('SourceFile: comments', () => {
  it('commentsStartingWith finds directive comments but not string contents', () => {
    const src = 'package p\n\n//leakscope:ignore x reason\nvar a = "//leakscope:ignore no"\nvar b = 1 //leakscope:ignore y r\n';
    const f = new SourceFile('c.go', src);
    const cs = f.commentsStartingWith('//leakscope:');
    expect(cs.map((c) => [c.line, c.column, c.ownLine, c.text])).toEqual([
      [3, 1, true, '//leakscope:ignore x reason'],
      [5, 11, false, '//leakscope:ignore y r'],
    ]);
  });

  it('comments inside bodies and general comments are all listed; //line directives are kept', () => {
    const src = 'package p\n\nfunc f() {\n\t//leakscope:ignore lost-cancel reason\n\t/* block */ _ = 1\n}\n//line gen.y:10\nvar x = 1\n';
    const f = new SourceFile('c.go', src);
    expect(f.commentsStartingWith('//leakscope:').map((c) => c.line)).toEqual([4]);
    expect(f.comments.map((c) => f.textOf(c))).toEqual(['//leakscope:ignore lost-cancel reason', '/* block */', '//line gen.y:10']);
    expect(f.lineDirectives).toEqual([{ offset: src.indexOf('var x'), filename: 'gen.y', line: 10, column: 0 }]);
  });
});

describe('decodeGoSource', () => {
  const bytes = (s: string): Uint8Array => Buffer.from(s, 'latin1');

  it('plain UTF-8 text is returned as is (multi-byte characters decoded)', () => {
    const r = decodeGoSource('a.go', Buffer.from('package p\n// héllo 😀\n', 'utf8'));
    expect(r).toEqual({ text: 'package p\n// héllo 😀\n' });
  });

  it('a UTF-8 BOM is kept in the text (the scanner skips it, so offsets match go/token)', () => {
    expect(decodeGoSource('a.go', bytes('\xef\xbb\xbfpackage p\n'))).toEqual({ text: '\uFEFFpackage p\n' });
  });

  /** Syntax errors of the decoded file, as `line:column message`. */
  const errorsOf = (name: string, b: Uint8Array): string[] => {
    const r = decodeGoSource(name, b);
    if ('problem' in r) throw new Error(r.problem.message);
    return new SourceFile(name, r.text, { invalid: r.invalid }).syntaxErrors.map((e) => `${e.range.start.line}:${e.range.start.column} ${e.message}`);
  };

  it('a NUL byte is a syntax error at its line and column (go/scanner: illegal character NUL); the file is still parsed', () => {
    const r = decodeGoSource('bin.go', bytes('package p\n\nvar x\x00 = 1\n\nfunc f() {}\n'));
    expect('problem' in r).toBe(false);
    if ('problem' in r) return;
    expect(r.invalid).toBeUndefined();
    const sf = new SourceFile('bin.go', r.text);
    expect(sf.syntaxErrors.map((e) => [e.ruleId, e.file, e.range.start.line, e.range.start.column, e.message])).toEqual([[SYNTAX_RULE_ID, 'bin.go', 3, 6, 'illegal character NUL']]);
    expect(funcNames(sf)).toEqual(['f']);
  });

  it('invalid UTF-8 is a syntax error at each bad byte (go/scanner: illegal UTF-8 encoding)', () => {
    const r = decodeGoSource('latin1.go', bytes('package p\n\n// caf\xe9 au lait\nvar x = 1\n'));
    expect('problem' in r).toBe(false);
    if ('problem' in r) return;
    expect(r.invalid).toEqual([17]);
    expect(r.text).toBe('package p\n\n// caf\ufffd au lait\nvar x = 1\n');
    expect(errorsOf('latin1.go', bytes('package p\n\n// caf\xe9 au cr\xe8me\nvar x = 1\n'))).toEqual(['3:7 illegal UTF-8 encoding', '3:14 illegal UTF-8 encoding']);
  });

  it('a truncated multi-byte sequence at the end of the file is found', () => {
    // Each byte of a bad sequence is one error, as utf8.DecodeRune returns RuneError with width 1.
    expect(errorsOf('t.go', bytes('package p\n// \xe6\x97'))).toEqual(['2:4 illegal UTF-8 encoding', '2:5 illegal UTF-8 encoding']);
  });

  it('invalid UTF-8 that looks well-formed (overlong, surrogate, past U+10FFFF) is located at the bad byte', () => {
    for (const bad of ['\xe0\x80\x80', '\xed\xa0\x80', '\xf4\x90\x80\x80']) {
      expect(errorsOf('o.go', bytes(`package p\n// ${bad}\nvar x = 1\n`))).toEqual([...bad].map((_, i) => `2:${4 + i} illegal UTF-8 encoding`));
    }
  });

  it('an empty or whitespace-only file is reported', () => {
    for (const s of ['', '\n\n', '  \t\r\n']) {
      const r = decodeGoSource('e.go', bytes(s));
      expect('problem' in r && r.problem.message).toBe('empty file: expected a package clause; skipped');
      expect('problem' in r && r.problem.range.start.line).toBe(1);
    }
  });
});
