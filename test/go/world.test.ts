/**
 * @fileoverview Module-wide types: the packages of the checked module (and its vendor/
 * directory) are loaded for their declarations when another package of the module uses them,
 * so a field, method, interface or constant of another package resolves as it does in Go.
 * The fixture module `test/fixtures/modworld` has a test-handle interface in `testutil`, the
 * locked types in `store`, and their user in `app`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/engine.js';
import { defaultBuildContext } from '../../src/go/build.js';
import { findModule, packageDir } from '../../src/go/loader.js';
import { Package, World } from '../../src/go/package.js';
import { FuncResolution } from '../../src/go/resolve.js';
import { SourceFile, declarationText } from '../../src/go/source.js';
import { field } from '../../src/go/syntax.js';
import { isNamed, lookupField, lookupMethod, underlying } from '../../src/go/types.js';
import { cleanupTemp, findDecl, fq, nodeByText, tempDir, writeTree } from './helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = path.resolve(here, '..', 'fixtures', 'modworld');

afterAll(cleanupTemp);

/** The app package of the fixture, in a fresh world (as analyze-dir builds it). */
function appPackage(world = new World()): Package {
  world.setBuild(defaultBuildContext());
  const dir = path.join(fixture, 'app');
  const sf = new SourceFile(path.join(dir, 'app.go'), fs.readFileSync(path.join(dir, 'app.go'), 'utf8'));
  return new Package({ importPath: 'example.com/modworld/app', dir, files: [sf], module: findModule(dir), world });
}

function resolve(pkg: Package, name: string): FuncResolution {
  const { decl, file } = findDecl(pkg, name);
  return new FuncResolution(pkg, file, decl, file.body(decl));
}

describe('declarationText', () => {
  it('drops function bodies, literal elements and comments, and keeps every declaration', () => {
    const src = [
      'package p',
      '',
      '// Doc comment.',
      'import "sync"',
      '',
      'type T struct {',
      '\tmu sync.Mutex // guards n',
      '\tf  func(x int) (y struct{ a int })',
      '\tn  int',
      '}',
      '',
      'const C = 1 << 3',
      '',
      'var table = map[string]int{"a": 1, "b": func() int { return 2 }()}',
      '',
      'var h = func(x interface{ M() }) error { return nil }',
      '',
      'func (t *T) M(cb func() int) struct{ x int } {',
      '\tif t.n > 0 { return struct{ x int }{1} }',
      '\treturn struct{ x int }{}',
      '}',
      '',
      'func G[K comparable, V interface{ ~int }](m map[K]V) V { for _, v := range m { return v }; return 0 }',
      '',
      'func External(x int) int',
    ].join('\n');
    const out = declarationText(src);
    expect(out).not.toContain('return');
    expect(out).not.toContain('Doc comment');
    expect(out).not.toContain('"a": 1');
    expect(out).toContain('f  func(x int) (y struct{ a int })');
    expect(out).toContain('func (t *T) M(cb func() int) struct{ x int } \n');
    expect(out).toContain('var h = func(x interface{ M() }) error {}');
    expect(out).toContain('var table = map[string]int{}');
    const full = new SourceFile('p.go', src);
    const decl = new SourceFile('p.go', out);
    expect(decl.syntaxErrors).toEqual([]);
    expect(decl.decls.map((d) => d.type)).toEqual(full.decls.map((d) => d.type));
    // No body is left for a declaration: nobody may read "returns at once" into it.
    const m = decl.decls.find((d) => d.type === 'method_declaration');
    expect(m && decl.body(m)).toBeUndefined();
  });

  it('keeps the bodies that may end without returning, so callers can ask', () => {
    const src = 'package p\n\nfunc Fatalf(t T, f string) {\n\tt.Helper()\n\tt.Fatalf(f) // ends the test\n}\n\nfunc Log(t T, f string) {\n\tt.Logf(f)\n}\n';
    const out = declarationText(src);
    expect(out).toContain('t.Fatalf(f)');
    expect(out).not.toContain('ends the test');
    expect(out).not.toContain('t.Logf(f)');
    const sf = new SourceFile('p.go', out);
    expect(sf.syntaxErrors).toEqual([]);
    expect(sf.decls.filter((d) => sf.body(d)).length).toBe(1);
  });

  /** The declarations of `src` parsed in full and from its declaration text: same kinds and names, no syntax error. */
  function sameDecls(src: string): SourceFile {
    const full = new SourceFile('p.go', src);
    expect(full.syntaxErrors).toEqual([]);
    const decl = new SourceFile('p.go', declarationText(src));
    expect(decl.syntaxErrors).toEqual([]);
    // (The name of a function, the text before `=` of another declaration: the literals after it are emptied.)
    const names = (sf: SourceFile): string[] => sf.decls.map((d) => `${d.type} ${(sf.textOf(field(d, 'name') ?? d).split(/[\n=]/)[0] ?? '').trim()}`);
    expect(names(decl)).toEqual(names(full));
    return decl;
  }
  const bodies = (sf: SourceFile): string[] => sf.decls.filter((d) => sf.body(d)).map((d) => sf.textOf(field(d, 'name') ?? d));

  it('is not fooled by braces, quotes and comment marks inside strings, raw strings, runes and comments', () => {
    const src = [
      'package p',
      '',
      'func A() string { return "}{ // /* \\" }" }',
      'func B() rune { x := \'}\'; y := \'\\\'\'; _ = y; return x }',
      'func C() string {',
      '\treturn `}',
      '{ "not a string',
      '*/ \\`',
      '}',
      'func D() { /* } { */ _ = 1 // }',
      '}',
      '/* func Hidden() { */',
      'var S = "func E() {" // }',
      'func F(t T) { t.Fatal("}") }',
    ].join('\n');
    const decl = sameDecls(src);
    expect(decl.decls.filter((d) => d.type === 'function_declaration').map((d) => decl.textOf(field(d, 'name') ?? d))).toEqual(['A', 'B', 'C', 'D', 'F']);
    expect(bodies(decl)).toEqual(['F']);
    const out = declarationText(src);
    expect(out).toContain('var S = "func E() {"');
    expect(out).not.toContain('Hidden');
    expect(out).not.toContain('return');
  });

  it('empties function literals, nested ones too, and keeps generic signatures and type braces', () => {
    const src = [
      'package p',
      '',
      'type S[T any] struct{ f func() T; g interface{ M() struct{} } }',
      '',
      'func G[T interface{ ~int | ~string }, U any](x T, f func(struct{ a T }) U) (r map[T]struct{}) {',
      '\tgo func() { defer func() { recover() }(); panic(x) }()',
      '\treturn nil',
      '}',
      '',
      'func (s *S[T]) M(a [len([2]int{1, 2})]int) func() T { return func() T { var z T; return z } }',
      '',
      'var h = func() { func() { panic(1) }() }',
    ].join('\n');
    const decl = sameDecls(src);
    expect(bodies(decl)).toEqual([]);
    const out = declarationText(src);
    expect(out).toContain('func G[T interface{ ~int | ~string }, U any](x T, f func(struct{ a T }) U) (r map[T]struct{}) \n');
    expect(out).toContain('func (s *S[T]) M(a [len([2]int{})]int) func() T \n');
    expect(out).toContain('var h = func() {}');
    expect(out).toContain('type S[T any] struct{ f func() T; g interface{ M() struct{} } }');
  });

  it('empties composite literals of package-level initialisers', () => {
    const src = [
      'package p',
      '',
      'var table = []struct{ a int; f func() }{{a: 1}, {f: func() { panic(0) }}}',
      'var arr = [...]string{"}", `{`}',
      'var anon = struct{ x int }{x: 1}',
      'const (',
      '\tA = iota',
      '\tB',
      ')',
      'func After() { panic(1) }',
    ].join('\n');
    const decl = sameDecls(src);
    const out = declarationText(src);
    expect(out).toContain('var table = []struct{ a int; f func() }{}');
    expect(out).toContain('var arr = [...]string{}');
    expect(out).toContain('var anon = struct{ x int }{}');
    expect(bodies(decl)).toEqual(['After']);
  });

  it('ends a function type without a body where Go inserts a semicolon', () => {
    const src = [
      'package p',
      '',
      'var f func() int',
      'func A() int { return 1 }',
      'var g func() (a, b int) /* a comment',
      'spanning lines */',
      'func B() { panic(0) }',
      'type T struct {',
      '\tcb func(int) error',
      '\tn  int',
      '}',
      'func C() struct{}',
      'func (T) D() { panic(1) }',
      'func E(cb func()) { cb() }; func F() { panic(2) }',
    ].join('\n');
    const decl = sameDecls(src);
    expect(bodies(decl)).toEqual(['B', 'D', 'F']);
  });

  it('keeps a body only when its last statement may end without returning', () => {
    const src = [
      'package p',
      '',
      // The last statement calls a root: kept.
      'func Fatal(t T) {',
      '\tt.Helper()',
      '\tt.Fatalf("x") // done',
      '}',
      // A return after it cannot be reached (functions with results need one): kept.
      'func Must(t T) *T {',
      '\tt.Fatal("x")',
      '\treturn nil',
      '}',
      // The root is inside the last statement: kept (the CFG decides whether every path ends).
      'func Check(err error) {',
      '\tif err != nil {',
      '\t\tpanic(err)',
      '\t}',
      '}',
      // The root is in an earlier statement: the function returns.
      'func Early(err error) int {',
      '\tif err != nil {',
      '\t\tpanic(err)',
      '\t}',
      '\treturn 1',
      '}',
      'func Incr(n int) {',
      '\tif n < 0 { panic(n) }',
      '\tn++',
      '}',
      'func Spans(n int) {',
      '\tpanic(n) /*',
      '\t*/ n--',
      '}',
      'func Call(n int) {',
      '\tfmt.Println(n,',
      '\t\tos.Exit)',
      '}',
      'func Both(n int) { _ = n; os.Exit(1) }',
      'func Lit() { defer func() { panic(1) }() }',
      // The semicolon of an if header ends no statement that could end the function.
      'func Header(m map[string]int, s string) string {',
      '\tif v, ok := m[s]; ok {',
      '\t\tpanic(v)',
      '\t}',
      '\treturn s',
      '}',
      'func Semi(err error) { os.Exit(2); log.Print(err) }',
      'func Sum(n int) int {',
      '\tpanic(n)',
      '\tn = n +',
      '\t\t1',
      '\treturn n',
      '}',
    ].join('\n');
    const decl = sameDecls(src);
    // (Lit's deferred call panics when it returns: kept too.)
    expect(bodies(decl)).toEqual(['Fatal', 'Must', 'Check', 'Call', 'Both', 'Lit']);
    expect(declarationText(src)).not.toContain('done');
  });

  it('reads to the end of a file cut inside a body or a literal without failing', () => {
    expect(declarationText('package p\n\nfunc F() {\n\tx := "}\n')).toBe('package p\n\nfunc F() ');
    expect(declarationText('package p\n\nvar m = map[int]int{1: 2')).toBe('package p\n\nvar m = map[int]int{');
    expect(declarationText('package p\n\nfunc F() { panic(`x')).toBe('package p\n\nfunc F() { panic(`x');
  });

  it('leaves a file without bodies or comments as it is', () => {
    const src = 'package p\n\ntype T int\n\nfunc F(x T) T\n';
    expect(declarationText(src)).toBe(src);
  });
});

describe('packageDir: import paths of one module', () => {
  const mod = findModule(fixture);
  it('maps the module path and its subdirectories to directories of the module', () => {
    expect(mod?.path).toBe('example.com/modworld');
    expect(packageDir('example.com/modworld/store', mod!)).toBe(path.join(fixture, 'store'));
    expect(packageDir('example.com/modworld', mod!)).toBe(fixture);
  });
  it('uses vendor/ for other modules, and nothing else', () => {
    expect(packageDir('example.org/ext', mod!)).toBe(path.join(fixture, 'vendor', 'example.org', 'ext'));
    expect(packageDir('example.org/missing', mod!)).toBeUndefined();
    expect(packageDir('net/http', mod!)).toBeUndefined();
    expect(packageDir('example.com/modworld/../modworld/store', mod!)).toBeUndefined();
    expect(packageDir('example.com/modworld/vendor/example.org/ext', mod!)).toBeUndefined();
  });
  it('does not cross into a nested module', () => {
    expect(packageDir('example.com/modworld/nested', mod!)).toBeUndefined();
  });
  it('resolves the standard library inside its own module std', () => {
    const root = tempDir();
    writeTree(root, { 'go.mod': 'module std\n\ngo 1.26\n', 'net/http/h.go': 'package http\n', 'vendor/golang.org/x/net/idna/i.go': 'package idna\n' });
    const std = findModule(root)!;
    expect(packageDir('net/http', std)).toBe(path.join(root, 'net', 'http'));
    expect(packageDir('golang.org/x/net/idna', std)).toBe(path.join(root, 'vendor', 'golang.org', 'x', 'net', 'idna'));
  });
});

describe('World.imported: another package of the module, by its declarations', () => {
  it('types fields, embedded methods and constants of another package', () => {
    const pkg = appPackage();
    const res = resolve(pkg, 'Put');
    const c = res.typeOf(nodeByText(res, 's.c', { nth: 0 }));
    expect(fq(c)).toBe('*example.com/modworld/store.Cache');
    // The mutex is embedded in store.Cache: Lock is sync.Mutex's, promoted.
    const lock = lookupMethod(c, 'Lock');
    expect(lock?.pkg).toBe('sync');
    expect(lock?.recvType).toBe('Mutex');
    expect(fq(lookupField(c, 'Items')?.type ?? { kind: 'unknown' })).toBe('map[string]int');
    const stats = pkg.world.imported('example.com/modworld/store', pkg)?.lookup('Stats');
    const st = stats ? stats.pkg.objType(stats) : undefined;
    expect(st && isNamed(lookupField(st, 'Mu')?.type ?? st, 'sync', 'RWMutex')).toBe(true);
    expect(st && fq(lookupField(st, 'Done')?.type ?? st)).toBe('chan struct{}');
    const shards = resolve(pkg, 'Shards');
    expect(shards.constValue(nodeByText(shards, 'store.Shards', { type: 'selector_expression' }))).toBe(4);
  });

  it("reads the method set of another package's interface (and not of a package it cannot see)", () => {
    const pkg = appPackage();
    const tb = pkg.world.imported('example.com/modworld/testutil', pkg)?.lookup('TB');
    const t = tb ? tb.pkg.objType(tb) : undefined;
    expect(t?.kind).toBe('named');
    expect(t && underlying(t).kind).toBe('interface');
    const ms = t?.kind === 'named' ? t.ref?.interfaceMethods?.() : undefined;
    expect([...(ms ?? [])].sort()).toContain('FailNow');
    expect(pkg.world.imported('example.com/modworld/nested', pkg)).toBeUndefined();
    expect(pkg.world.imported('github.com/unknown/mod', pkg)).toBeUndefined();
  });

  it('loads a package once per run, and only when a declaration of it is used', () => {
    const world = new World();
    const pkg = appPackage(world);
    expect(world.declFiles).toBe(0);
    const res = resolve(pkg, 'Put');
    res.typeOf(nodeByText(res, 's.c', { nth: 0 }));
    const after = world.declFiles;
    // The fields of Server name store and testutil (store.go, tb.go), not the vendored ext.
    expect(after).toBe(2);
    resolve(appPackage(world), 'Put').typeOf(nodeByText(resolve(pkg, 'Put'), 's.c', { nth: 0 }));
    expect(world.declFiles).toBe(after);
  });
});

describe('rules see the types of other packages of the module', () => {
  it("finds locks of another package's types and ends a test at Fatal of another package's TB interface", async () => {
    const r = await analyze([path.join(fixture, '...')], { workers: 0, noConfig: true });
    const got = r.findings.filter((f) => f.severity !== 'info').map((f) => `${path.relative(fixture, f.file)}:${f.range.start.line} ${f.ruleId}`);
    expect(got).toEqual([
      // s.c.Lock() twice: store.Cache embeds sync.Mutex.
      'app/app.go:22 double-lock',
      // Logger.Fatal is an ordinary method: the return after it keeps the lock.
      'app/app.go:44 missing-unlock',
      // A vendored package's type embedding sync.Mutex.
      'app/app.go:61 double-lock',
      // testutil.Check returns: the return after it keeps the lock.
      'app/app.go:76 missing-unlock',
    ]);
    // Resume keeps the lock only after tb.Fatal of testutil.TB (testing.TB's method set), and Reset
    // only after testutil.Fatalf, whose body (kept for this question) always ends in tb.Fatalf: no finding.
  });
});
