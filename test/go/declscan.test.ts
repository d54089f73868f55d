/**
 * @fileoverview The declaration scanner (src/go/declscan.ts): the names a file declares
 * at package level and the offsets of its function bodies, found without a parse. The
 * analyser trusts it to decide which unparsed file to parse for a name and which body
 * ranges the parser may skip, so it must never miss a declaration nor misplace a body;
 * where it cannot be sure it must give up. The last test checks both properties against
 * tree-sitter on real Go (the standard library) when a Go toolchain is present.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { scanFile } from '../../src/go/declscan.js';
import { receiverTypeName } from '../../src/go/package.js';
import { SourceFile } from '../../src/go/source.js';
import { field, fields, walk } from '../../src/go/syntax.js';
import { goVersion, requireGo } from '../support/go.js';
import { repoGoTexts } from '../support/go-texts.js';
import { rng } from '../profiles/helpers.js';
import { allNodes } from './helpers.js';

function scan(src: string): NonNullable<ReturnType<typeof scanFile>> {
  const r = scanFile(src);
  if (!r) throw new Error('scanner gave up');
  return r;
}

describe('scanFile: package-level names', () => {
  it('finds functions, methods with every receiver shape, types, vars and consts in groups and alone', () => {
    const r = scan(`package p

import (
	"fmt"
	"sync"
)

func Plain() {}
func Generic[T any, U interface{ ~int }](t T) U { var u U; return u }
func (r *List[K, V]) Push(k K) {}
func (Stack) Pop() {}
func (*Queue) Len() int { return 0 }
func (q (*Ring)) Next() {}
func asm(x int) int

type A struct{ mu sync.Mutex }
type (
	B = A
	C[T any] []T
)

var single = 1
var x, y, z int
var (
	g1, g2 = f(), f()
	h3     = struct{ a int }{
		a: 1,
	}
	total = 1 +
		more
)

const (
	K0 = iota
	K1
	K2, K3 = 1, 2
)
const Pi = 3.14

var _ = fmt.Sprint
`);
    expect([...r.index.names].sort()).toEqual(
      ['A', 'B', 'C', 'Generic', 'K0', 'K1', 'K2', 'K3', 'Pi', 'Plain', '_', 'asm', 'g1', 'g2', 'h3', 'single', 'total', 'x', 'y', 'z'].sort(),
    );
    // `more` on the continuation line of `total = 1 +` is not a declaration: the newline
    // after an operator inserts no semicolon.
    expect(r.index.names.has('more')).toBe(false);
    expect([...r.index.methods].sort()).toEqual(['List.Push', 'Queue.Len', 'Ring.Next', 'Stack.Pop']);
  });

  it('is not fooled by braces, keywords and newlines inside literals and comments', () => {
    const r = scan(`package p

var s = "func fake() { } \\" var notMe = 1"
var raw = \`
func alsoFake() {
\`
var r1, r2 = '{', '}'
/* type Hidden struct {
} */
// func commented() {
var after = map[string]func(){
	"k": func() { var inner = 1; _ = inner },
}

func Real() {
	s := "}"
	_ = s
}
`);
    expect([...r.index.names].sort()).toEqual(['Real', 'after', 'r1', 'r2', 'raw', 's']);
  });

  it('reads non-ASCII identifiers, a byte order mark and semicolons written out', () => {
    const r = scan(`\ufeffpackage p; var π, größe = 3.14, 2; func Ünïcode() {}; type 型 int`);
    expect([...r.index.names].sort()).toEqual(['größe', 'Ünïcode', 'π', '型'].sort());
  });

  it('gives up on text Go would reject or it cannot read with certainty', () => {
    for (const bad of [
      'package p\nvar s = "unterminated\n',
      'package p\nvar s = `unterminated\n',
      'package p\n/* unterminated comment\n',
      'package p\nvar x = 1 @ 2\n',
      'package p\nx := 1\n',
      'package p\nfunc () f() {}\n',
      'package p\nfunc f() {\n',
      'package p\nfunc f() }\n',
    ]) {
      expect(scanFile(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });
});

describe('scanFile: function bodies', () => {
  it('gives the offsets of `func`, the body `{` and its `}` for each function with a body', () => {
    const src = `package p

func a() interface{} { return nil }
func b() struct{} {
	return struct{}{}
}
func c() chan struct{}
func (t *T) d(f func() error) (err error) { return f() }
func e() interface{}
`;
    const { bodies } = scan(src);
    expect(bodies.map((b) => b.name)).toEqual(['a', 'b', 'd']);
    for (const b of bodies) {
      expect(src.slice(b.declStart, b.declStart + 4)).toBe('func');
      expect(src[b.open]).toBe('{');
      expect(src[b.close]).toBe('}');
    }
    const a = bodies[0] as (typeof bodies)[number];
    expect(src.slice(a.open, a.close + 1)).toBe('{ return nil }');
  });

  it('lists the brace groups of package-level var and const initialisers, but not type literals', () => {
    const src = `package p

type T struct{ a int }
var t = T{a: 1}
var s struct{ b int }
var (
	h = func() { _ = 1 }
	tab = []struct{ n int }{{1}, {2}}
)
`;
    expect(scan(src).literals.map((l) => src.slice(l.open, l.close + 1))).toEqual(['{a: 1}', '{ _ = 1 }', '{{1}, {2}}']);
  });
});

/** Every package-level name, method and body tree-sitter sees in `sf`. */
function treeSitterDecls(sf: SourceFile): { names: string[]; methods: string[]; bodies: string[] } {
  const names: string[] = [];
  const methods: string[] = [];
  const bodies: string[] = [];
  for (const d of sf.decls) {
    const nm = field(d, 'name');
    if (d.type === 'function_declaration' || d.type === 'method_declaration') {
      if (!nm) continue;
      if (d.type === 'function_declaration') names.push(sf.textOf(nm));
      else methods.push(`${receiverTypeName(d, sf)}.${sf.textOf(nm)}`);
      const body = field(d, 'body');
      if (body) bodies.push(`${sf.textOf(nm)}:${d.start}:${body.start}:${body.end - 1}`);
      continue;
    }
    if (d.type !== 'var_declaration' && d.type !== 'const_declaration' && d.type !== 'type_declaration') continue;
    walk(d, (n) => {
      if (n.type === 'var_spec' || n.type === 'const_spec') for (const x of fields(n, 'name')) names.push(sf.textOf(x));
      else if (n.type === 'type_spec' || n.type === 'type_alias') {
        const t = field(n, 'name');
        if (t) names.push(sf.textOf(t));
      } else return;
      return false;
    });
  }
  return { names, methods, bodies };
}

const hasGo = goVersion() !== null || requireGo('the declaration scanner cross-check on the Go standard library');

describe.skipIf(!hasGo)('scanFile against tree-sitter on the Go standard library', () => {
  it('misses no declaration and finds every body exactly where tree-sitter does', () => {
    const root = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
    // Packages with every kind of declaration, generics, cgo-free assembly stubs and big test tables.
    const dirs = ['runtime', 'net/http', 'go/types', 'encoding/json', 'fmt', 'sync', 'reflect'].map((d) => path.join(root, 'src', d));
    let files = 0;
    let bodies = 0;
    for (const dir of dirs) {
      for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.go'))) {
        const text = fs.readFileSync(path.join(dir, name), 'utf8');
        const sf = new SourceFile(name, text);
        if (sf.syntaxErrors.length > 0) continue;
        const scanned = scanFile(text);
        expect(scanned, `${dir}/${name}: the scanner gave up on a file tree-sitter parses`).toBeDefined();
        if (!scanned) continue;
        const want = treeSitterDecls(sf);
        const missing = want.names.filter((n) => !scanned.index.names.has(n));
        expect(missing, `${dir}/${name}`).toEqual([]);
        expect(want.methods.filter((m) => !scanned.index.methods.has(m)), `${dir}/${name}`).toEqual([]);
        expect(scanned.bodies.map((b) => `${b.name}:${b.declStart}:${b.open}:${b.close}`), `${dir}/${name}`).toEqual(want.bodies);
        files++;
        bodies += want.bodies.length;
      }
    }
    expect(files).toBeGreaterThan(500);
    expect(bodies).toBeGreaterThan(10000);
  });
});

describe('scanFile and partial parsing on broken input (fixed-seed mutations)', () => {
  it('never throws; when the scan succeeds, the partial parse, every body and every lazy node load without error', () => {
    const seeds = repoGoTexts().filter((t) => t.length > 400 && t.length < 20000).slice(0, 40);
    expect(seeds.length).toBeGreaterThan(20);
    const r = rng(20261126);
    const junk = ['{', '}', '(', ')', '"', '`', "'", '/*', '*/', '//', '\n', 'func ', 'var (', '☹', '\u0000', '😀', 'type T struct {', ';'];
    let scanned = 0;
    for (let k = 0; k < 400; k++) {
      let t = seeds[Math.floor(r() * seeds.length)] as string;
      for (let m = 0; m < 1 + Math.floor(r() * 4); m++) {
        const at = Math.floor(r() * t.length);
        const what = r();
        if (what < 0.4) t = t.slice(0, at) + (junk[Math.floor(r() * junk.length)] as string) + t.slice(at);
        else if (what < 0.8) t = t.slice(0, at) + t.slice(at + 1 + Math.floor(r() * 40));
        else t = t.slice(0, at);
      }
      const scan = scanFile(t);
      if (scan) {
        scanned++;
        for (const b of scan.bodies) expect(b.declStart <= b.open && b.open < b.close && b.close < t.length).toBe(true);
      }
      const f = new SourceFile('m.go', t, { partial: true });
      for (const d of f.decls) for (const n of allNodes(d)) void n.children;
      for (const d of f.decls) {
        const b = f.body(d);
        if (b) allNodes(b);
      }
      expect(f.tree.rootNode).toBeDefined();
    }
    expect(scanned).toBeGreaterThan(50);
  });
});
