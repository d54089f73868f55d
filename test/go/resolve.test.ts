/**
 * @fileoverview Behaviour of name resolution and expression typing (FuncResolution,
 * Package, the Type model): the questions rules ask ("is this a *sync.Mutex?",
 * "a chan T and its buffer?", "a context.CancelFunc?") must get a sound answer or
 * `unknown`, never a guess.
 */
import { describe, expect, it } from 'vitest';
import { Package, defaultImportName, world } from '../../src/go/package.js';
import { FuncResolution } from '../../src/go/resolve.js';
import { SourceFile } from '../../src/go/source.js';
import { field, type Node } from '../../src/go/syntax.js';
import { chanOf, isNamed, isNamedOrPtr, lookupField, lookupMethod, typeString, underlying, type Type } from '../../src/go/types.js';
import { allNodes, findDecl, fq, local, localsNamed, makePackage, nodeByText, resolveFunc, typeOfText } from './helpers.js';

/** Wraps a function body in a file importing `imports`. */
function file(body: string, imports: string[] = ['sync'], extra = ''): string {
  const imps = imports.map((i) => (i.includes(' ') ? `\t${i}\n` : `\t"${i}"\n`)).join('');
  return `package p\n\nimport (\n${imps})\n\n${extra}\nfunc f() {\n${body}\n}\n`;
}

/** The type of the local named `name` in function f. */
function varType(src: string, name: string): Type {
  const res = resolveFunc(src, 'f');
  return res.varType(local(res, name));
}

/** The call expression whose source text is `text`. */
function call(res: FuncResolution, text: string, nth = 0): Node {
  return nodeByText(res, text, { type: 'call_expression', nth });
}

describe('typeOf: declarations and constructors', () => {
  it('var mu sync.Mutex is the named type sync.Mutex (not a pointer)', () => {
    const t = varType(file('\tvar mu sync.Mutex\n\tmu.Lock()'), 'mu');
    expect(fq(t)).toBe('sync.Mutex');
    expect(isNamed(t, 'sync', 'Mutex')).toBe(true);
    expect(isNamedOrPtr(t, 'sync', 'Mutex')).toBe(true);
    expect(isNamedOrPtr(t, 'sync', 'RWMutex')).toBe(false);
  });

  it('mu := &sync.Mutex{} is *sync.Mutex', () => {
    const t = varType(file('\tmu := &sync.Mutex{}\n\tmu.Lock()'), 'mu');
    expect(fq(t)).toBe('*sync.Mutex');
    expect(isNamed(t, 'sync', 'Mutex')).toBe(false);
    expect(isNamedOrPtr(t, 'sync', 'Mutex')).toBe(true);
  });

  it('mu := sync.Mutex{} (composite literal) is sync.Mutex', () => {
    expect(fq(varType(file('\tmu := sync.Mutex{}\n\t_ = mu'), 'mu'))).toBe('sync.Mutex');
  });

  it('new(sync.WaitGroup) is *sync.WaitGroup; new(int) is *int', () => {
    expect(fq(varType(file('\twg := new(sync.WaitGroup)\n\twg.Wait()'), 'wg'))).toBe('*sync.WaitGroup');
    expect(fq(varType(file('\tn := new(int)\n\t_ = n'), 'n'))).toBe('*int');
  });

  it('var with a pointer type and var with an initialiser', () => {
    expect(fq(varType(file('\tvar wg *sync.WaitGroup\n\t_ = wg'), 'wg'))).toBe('*sync.WaitGroup');
    expect(fq(varType(file('\tvar wg = &sync.WaitGroup{}\n\t_ = wg'), 'wg'))).toBe('*sync.WaitGroup');
    expect(fq(varType(file('\tvar a, b sync.RWMutex\n\t_, _ = a, b'), 'b'))).toBe('sync.RWMutex');
  });

  it('parameters, variadic parameters and named results', () => {
    const src = 'package p\nimport "sync"\nfunc f(mu *sync.Mutex, wgs ...*sync.WaitGroup) (ch chan int, err error) {\n\treturn\n}\n';
    const res = resolveFunc(src, 'f');
    expect(local(res, 'mu').kind).toBe('param');
    expect(fq(res.varType(local(res, 'mu')))).toBe('*sync.Mutex');
    expect(fq(res.varType(local(res, 'wgs')))).toBe('[]*sync.WaitGroup');
    expect(local(res, 'ch').kind).toBe('result');
    expect(fq(res.varType(local(res, 'ch')))).toBe('chan int');
    expect(fq(res.varType(local(res, 'err')))).toBe('error');
  });

  it('method receivers are typed and point at the package type', () => {
    const src = 'package p\nimport "sync"\ntype S struct{ mu sync.Mutex }\nfunc (s *S) M() {\n\ts.mu.Lock()\n}\n';
    const res = resolveFunc(src, 'M');
    const s = local(res, 's');
    expect(s.kind).toBe('recv');
    expect(fq(res.varType(s))).toBe('*example.com/p.S');
    expect(fq(typeOfText(res, 's.mu'))).toBe('sync.Mutex');
  });
});

describe('typeOf: struct fields and methods', () => {
  it('s.mu through a struct type declared in ANOTHER file of the package', () => {
    const { pkg } = makePackage({
      'types.go': 'package p\n\nimport "sync"\n\ntype server struct {\n\tmu    sync.Mutex\n\twg    *sync.WaitGroup\n\tdone  chan struct{}\n}\n',
      'main.go': 'package p\n\nfunc f() {\n\ts := &server{}\n\ts.mu.Lock()\n\ts.wg.Wait()\n\t<-s.done\n}\n',
    });
    const res = resolveFunc(pkg, 'f');
    expect(fq(res.varType(local(res, 's')))).toBe('*example.com/p.server');
    expect(fq(typeOfText(res, 's.mu'))).toBe('sync.Mutex');
    expect(fq(typeOfText(res, 's.wg'))).toBe('*sync.WaitGroup');
    expect(fq(typeOfText(res, 's.done'))).toBe('chan struct{}');
    expect(res.callee(call(res, 's.mu.Lock()'))).toMatchObject({ kind: 'method', fullName: 'sync.Mutex.Lock' });
    expect(res.callee(call(res, 's.wg.Wait()'))).toMatchObject({ kind: 'method', fullName: 'sync.WaitGroup.Wait' });
  });

  it('the import of the OTHER file decides what a field type means (the user file need not import sync)', () => {
    const { pkg } = makePackage({
      'a.go': 'package p\nimport sy "sync"\ntype T struct{ m sy.Mutex }\n',
      'b.go': 'package p\nfunc f(t T) {\n\tt.m.Lock()\n}\n',
    });
    const res = resolveFunc(pkg, 'f');
    expect(fq(typeOfText(res, 't.m'))).toBe('sync.Mutex');
  });

  it('embedded sync.Mutex: promoted Lock() resolves to sync.Mutex.Lock, field s.Mutex too', () => {
    const src = 'package p\nimport "sync"\ntype S struct {\n\tsync.Mutex\n\tn int\n}\nfunc f() {\n\tvar s S\n\ts.Lock()\n\ts.Mutex.Unlock()\n\tp := &s\n\tp.Unlock()\n}\n';
    const res = resolveFunc(src, 'f');
    const c = res.callee(call(res, 's.Lock()'));
    expect(c.kind).toBe('method');
    if (c.kind !== 'method') return;
    expect(c.fullName).toBe('sync.Mutex.Lock');
    expect(c.method.pointerRecv).toBe(true);
    expect(res.file.textOf(c.recv)).toBe('s');
    expect(fq(typeOfText(res, 's.Mutex'))).toBe('sync.Mutex');
    expect(res.callee(call(res, 's.Mutex.Unlock()'))).toMatchObject({ kind: 'method', fullName: 'sync.Mutex.Unlock' });
    expect(res.callee(call(res, 'p.Unlock()'))).toMatchObject({ kind: 'method', fullName: 'sync.Mutex.Unlock' });
  });

  it('embedded *sync.WaitGroup pointer and two-level promotion', () => {
    const src =
      'package p\nimport "sync"\ntype Inner struct{ *sync.WaitGroup }\ntype Outer struct{ Inner }\nfunc f(o Outer) {\n\to.Add(1)\n\to.Wait()\n\t_ = o.WaitGroup\n}\n';
    const res = resolveFunc(src, 'f');
    expect(res.callee(call(res, 'o.Add(1)'))).toMatchObject({ kind: 'method', fullName: 'sync.WaitGroup.Add' });
    expect(res.callee(call(res, 'o.Wait()'))).toMatchObject({ kind: 'method', fullName: 'sync.WaitGroup.Wait' });
    expect(isNamedOrPtr(typeOfText(res, 'o.WaitGroup'), 'sync', 'WaitGroup')).toBe(true);
  });

  // BUG (src/go/package.ts, Package.structFields): for an embedded pointer field
  // tree-sitter-go puts `*` as an anonymous token of the field_declaration and the `type`
  // field is the bare qualified_type/type_identifier, so `struct{ *sync.WaitGroup }`
  // records the field with type sync.WaitGroup (a value). Go: the field WaitGroup has type
  // *sync.WaitGroup. A rule asking "does this struct hold a lock by value / is s.Mutex a
  // pointer" gets the wrong answer (e.g. a copy of a struct embedding *sync.Mutex would
  // look like a lock copy).
  it('an embedded pointer field keeps its pointer type', () => {
    const src = 'package p\nimport "sync"\ntype S struct {\n\t*sync.Mutex\n\t*local\n}\ntype local struct{ n int }\nfunc f(s S) {\n\t_ = s.Mutex\n\t_ = s.local\n}\n';
    const res = resolveFunc(src, 'f');
    expect(fq(typeOfText(res, 's.Mutex'))).toBe('*sync.Mutex');
    expect(fq(typeOfText(res, 's.local'))).toBe('*example.com/p.local');
  });

  it('a method declared on the package type wins over a promoted one of the same name', () => {
    const src = 'package p\nimport "sync"\ntype S struct{ sync.Mutex }\nfunc (s *S) Lock() {}\nfunc f(s *S) {\n\ts.Lock()\n}\n';
    const res = resolveFunc(src, 'f');
    expect(res.callee(call(res, 's.Lock()'))).toMatchObject({ kind: 'method', fullName: 'example.com/p.S.Lock' });
  });

  it('a type alias of sync.Mutex is sync.Mutex; a defined type over it is not (and has no Lock)', () => {
    const src =
      'package p\nimport "sync"\ntype M = sync.Mutex\ntype myMu sync.Mutex\nfunc f() {\n\tvar a M\n\tvar b myMu\n\ta.Lock()\n\tb.Lock()\n}\n';
    const res = resolveFunc(src, 'f');
    expect(fq(res.varType(local(res, 'a')))).toBe('sync.Mutex');
    const bt = res.varType(local(res, 'b'));
    expect(fq(bt)).toBe('example.com/p.myMu');
    expect(isNamedOrPtr(bt, 'sync', 'Mutex')).toBe(false);
    expect(fq(underlying(bt))).toBe('struct{state int32}');
    expect(res.callee(call(res, 'a.Lock()'))).toMatchObject({ kind: 'method', fullName: 'sync.Mutex.Lock' });
    // A defined type does not inherit the methods of its underlying named type.
    expect(res.callee(call(res, 'b.Lock()')).kind).toBe('unknown');
  });

  it('lookupField: ambiguous promoted fields at the same depth are not resolved', () => {
    const src = 'package p\ntype A struct{ X int }\ntype B struct{ X string }\ntype C struct {\n\tA\n\tB\n}\nfunc f(c C) { _ = c.X }\n';
    const res = resolveFunc(src, 'f');
    const ct = res.varType(local(res, 'c'));
    expect(lookupField(ct, 'X')).toBeUndefined();
    expect(lookupField(ct, 'A')?.embedded).toBe(true);
    expect(typeOfText(res, 'c.X').kind).toBe('unknown');
  });

  it('a method named Add on a local type resolves to that type, not sync.WaitGroup', () => {
    const src =
      'package p\nimport "sync"\ntype counter struct{ n int }\nfunc (c *counter) Add(d int) { c.n += d }\nfunc f() {\n\tvar wg sync.WaitGroup\n\tc := &counter{}\n\tc.Add(1)\n\twg.Add(1)\n}\n';
    const res = resolveFunc(src, 'f');
    const c = res.callee(call(res, 'c.Add(1)'));
    expect(c).toMatchObject({ kind: 'method', fullName: 'example.com/p.counter.Add' });
    if (c.kind === 'method') {
      expect(c.method.decl).toBeDefined();
      expect(c.method.pkg).toBe('example.com/p');
    }
    expect(res.callee(call(res, 'wg.Add(1)'))).toMatchObject({ kind: 'method', fullName: 'sync.WaitGroup.Add' });
  });

  it('time.Now().Add(d) is time.Time.Add, not a WaitGroup Add', () => {
    const src = file('\tvar d time.Duration\n\tt := time.Now().Add(d)\n\t_ = t', ['time']);
    const res = resolveFunc(src, 'f');
    expect(res.callee(call(res, 'time.Now().Add(d)'))).toMatchObject({ kind: 'method', fullName: 'time.Time.Add' });
    expect(res.callee(call(res, 'time.Now()'))).toMatchObject({ kind: 'func', fullName: 'time.Now' });
    expect(fq(res.varType(local(res, 't')))).toBe('time.Time');
  });

  it('a func-typed field call is not mistaken for a method', () => {
    const src = 'package p\nimport "context"\ntype job struct{ cancel context.CancelFunc }\nfunc f(j job) {\n\tj.cancel()\n}\n';
    const res = resolveFunc(src, 'f');
    expect(fq(typeOfText(res, 'j.cancel'))).toBe('context.CancelFunc');
    expect(res.callee(call(res, 'j.cancel()')).kind).toBe('unknown');
  });
});

describe('imports', () => {
  it('aliased import: import s "sync"', () => {
    const src = 'package p\nimport s "sync"\nfunc f() {\n\tvar mu s.Mutex\n\twg := &s.WaitGroup{}\n\tmu.Lock()\n\twg.Wait()\n}\n';
    const res = resolveFunc(src, 'f');
    expect(fq(res.varType(local(res, 'mu')))).toBe('sync.Mutex');
    expect(fq(res.varType(local(res, 'wg')))).toBe('*sync.WaitGroup');
    expect(res.callee(call(res, 'mu.Lock()'))).toMatchObject({ kind: 'method', fullName: 'sync.Mutex.Lock' });
    expect(res.importOf(nodeByText(res, 's', { type: 'package_identifier' }))).toBeUndefined(); // a type position, not an expression
  });

  it('aliased import: the alias, not the default name, is the package name', () => {
    const src = 'package p\nimport s "sync"\nfunc f() {\n\tvar mu sync.Mutex\n\t_ = mu\n}\n';
    expect(varType(src, 'mu').kind).toBe('unknown');
  });

  it('dot import: import . "sync"', () => {
    const src = 'package p\nimport . "sync"\nfunc f() {\n\tvar mu Mutex\n\twg := &WaitGroup{}\n\tmu.Lock()\n\tonce := new(Once)\n\t_ = once\n\twg.Wait()\n}\n';
    const res = resolveFunc(src, 'f');
    expect(fq(res.varType(local(res, 'mu')))).toBe('sync.Mutex');
    expect(fq(res.varType(local(res, 'wg')))).toBe('*sync.WaitGroup');
    expect(fq(res.varType(local(res, 'once')))).toBe('*sync.Once');
    expect(res.callee(call(res, 'wg.Wait()'))).toMatchObject({ kind: 'method', fullName: 'sync.WaitGroup.Wait' });
  });

  it('dot import of a function: WithCancel(...) returns a CancelFunc', () => {
    const src = 'package p\nimport . "context"\nfunc f() {\n\tctx, cancel := WithCancel(Background())\n\t_ = ctx\n\tcancel()\n}\n';
    const res = resolveFunc(src, 'f');
    expect(res.callee(call(res, 'WithCancel(Background())'))).toMatchObject({ kind: 'func', fullName: 'context.WithCancel' });
    expect(fq(res.varType(local(res, 'cancel')))).toBe('context.CancelFunc');
  });

  it('a dot import in one file does not leak into another file of the package', () => {
    const { pkg } = makePackage({
      'a.go': 'package p\nimport . "sync"\nvar _ Mutex\n',
      'b.go': 'package p\nfunc f() {\n\tvar mu Mutex\n\t_ = mu\n}\n',
    });
    const res = resolveFunc(pkg, 'f');
    expect(res.varType(local(res, 'mu')).kind).toBe('unknown');
  });

  it('blank imports and imports with a version suffix', () => {
    const src = 'package p\nimport (\n\t_ "sync"\n\t"example.com/mod/v2"\n)\nfunc f() {\n\tvar mu sync.Mutex\n\t_ = mu\n\tmod.Do()\n}\n';
    const { pkg, files } = makePackage({ 'a.go': src });
    const f0 = files[0] as SourceFile;
    expect(pkg.importPathOf(f0, 'sync')).toBeUndefined();
    expect(pkg.importPathOf(f0, '_')).toBeUndefined();
    expect(pkg.importPathOf(f0, 'mod')).toBe('example.com/mod/v2');
    const res = resolveFunc(pkg, 'f');
    expect(res.varType(local(res, 'mu')).kind).toBe('unknown');
    expect(res.callee(call(res, 'mod.Do()')).kind).toBe('unknown');
  });

  it('defaultImportName', () => {
    expect(defaultImportName('sync')).toBe('sync');
    expect(defaultImportName('golang.org/x/sync/errgroup')).toBe('errgroup');
    expect(defaultImportName('example.com/mod/v2')).toBe('mod');
    expect(defaultImportName('github.com/x/go-foo')).toBe('foo');
    expect(defaultImportName('gopkg.in/yaml.v3')).toBe('yaml');
  });

  it('a type from a non-stubbed import is unknown, never a guess', () => {
    const src =
      'package p\nimport (\n\t"example.com/lib"\n\t"net/http"\n)\nfunc f() {\n\tvar wg lib.WaitGroup\n\tmu := &lib.Mutex{}\n\tc := lib.NewChan()\n\tvar srv http.Server\n\twg.Add(1)\n\t_, _, _ = mu, c, srv\n}\n';
    const res = resolveFunc(src, 'f');
    for (const n of ['wg', 'mu', 'c', 'srv']) {
      const t = res.varType(local(res, n));
      expect(isNamedOrPtr(t, 'sync', 'WaitGroup')).toBe(false);
      expect(isNamedOrPtr(t, 'sync', 'Mutex')).toBe(false);
      expect(chanOf(t)).toBeUndefined();
    }
    expect(res.varType(local(res, 'wg')).kind).toBe('unknown');
    // &lib.Mutex{} is a pointer to something unknown: not a *sync.Mutex.
    expect(fq(res.varType(local(res, 'mu')))).toBe('*?');
    expect(res.varType(local(res, 'c')).kind).toBe('unknown');
    expect(res.callee(call(res, 'wg.Add(1)')).kind).toBe('unknown');
    expect(res.callee(call(res, 'lib.NewChan()')).kind).toBe('unknown');
  });

  it('a stdlib symbol missing from the stubs is unknown', () => {
    const res = resolveFunc(file('\tx := sync.NoSuchThing()\n\t_ = x'), 'f');
    expect(res.varType(local(res, 'x')).kind).toBe('unknown');
    expect(res.callee(call(res, 'sync.NoSuchThing()')).kind).toBe('unknown');
  });
});

describe('channels and constants', () => {
  it('ch := make(chan int, 3): chan int with constant buffer 3', () => {
    const res = resolveFunc(file('\tch := make(chan int, 3)\n\tch <- 1', []), 'f');
    const t = res.varType(local(res, 'ch'));
    expect(fq(t)).toBe('chan int');
    expect(chanOf(t)?.dir).toBe('both');
    expect(res.constValue(nodeByText(res, '3'))).toBe(3);
  });

  it('buffer size through a package const N = 2*2 and a local const', () => {
    const src = 'package p\n\nconst N = 2*2\nconst (\n\tA = iota\n\tB\n\tC = 1 << 3\n)\n\nfunc f() {\n\tconst k = N + 1\n\tch := make(chan int, N)\n\tch2 := make(chan int, k)\n\tch3 := make(chan int, C)\n\tch4 := make(chan int, -(-N))\n\t_, _, _, _ = ch, ch2, ch3, ch4\n}\n';
    const res = resolveFunc(src, 'f');
    expect(res.constValue(nodeByText(res, 'N', { type: 'identifier' }))).toBe(4);
    expect(res.constValue(nodeByText(res, 'k', { type: 'identifier', nth: 1 }))).toBe(5);
    expect(res.constValue(nodeByText(res, 'C', { type: 'identifier' }))).toBe(8);
    expect(res.constValue(nodeByText(res, '-(-N)'))).toBe(4);
    expect(fq(res.varType(local(res, 'ch')))).toBe('chan int');
  });

  it('a package const declared in another file gives 4 or "unknown", never a wrong size', () => {
    const { pkg } = makePackage({
      'consts.go': 'package p\n\nconst N = 2*2\n',
      'main.go': 'package p\n\nfunc f() {\n\tch := make(chan int, N)\n\t_ = ch\n}\n',
    });
    const res = resolveFunc(pkg, 'f');
    expect([4, undefined]).toContain(res.constValue(nodeByText(res, 'N', { type: 'identifier' })));
  });

  it('constValue of literals in various bases and of non-constants', () => {
    const res = resolveFunc(file('\tv := 5\n\t_ = []int{0x10, 010, 0o10, 0b11, 1_000, v, 7/2, 1/0}', []), 'f');
    const vals = ['0x10', '010', '0o10', '0b11', '1_000', 'v', '7/2', '1/0'].map((t) => res.constValue(nodeByText(res, t, { nth: t === 'v' ? 1 : 0 })));
    expect(vals).toEqual([16, 8, 8, 3, 1000, undefined, 3, undefined]);
  });

  it('iota in a package const group: only the explicit `= iota` spec is evaluated', () => {
    const src = 'package p\nconst (\n\tA = iota\n\tB\n)\nfunc f() { _ = make(chan int, A) }\n';
    const res = resolveFunc(src, 'f');
    expect(res.constValue(nodeByText(res, 'A', { type: 'identifier' }))).toBe(0);
  });

  it('iota repetition in a const group: B = 1 (implicit `= iota`)', () => {
    const src = 'package p\nconst (\n\tA = iota\n\tB\n\tC\n)\nfunc f() { _ = make(chan int, C) }\n';
    const res = resolveFunc(src, 'f');
    const v = res.constValue(nodeByText(res, 'C', { type: 'identifier' }));
    // Sound answers only: 2 or "don't know".
    expect(v === 2 || v === undefined).toBe(true);
  });

  it('a var (not a const) is not a constant buffer size', () => {
    const src = 'package p\nvar n = 3\nfunc f() {\n\tm := 3\n\t_ = make(chan int, n)\n\t_ = make(chan int, m)\n}\n';
    const res = resolveFunc(src, 'f');
    expect(res.constValue(nodeByText(res, 'n', { type: 'identifier' }))).toBeUndefined();
    expect(res.constValue(nodeByText(res, 'm', { type: 'identifier', nth: 1 }))).toBeUndefined();
  });

  it('a shadowing local var hides a package const of the same name', () => {
    const src = 'package p\nconst N = 4\nfunc f() {\n\tN := 1\n\tch := make(chan int, N)\n\t_ = ch\n}\n';
    const res = resolveFunc(src, 'f');
    expect(res.constValue(nodeByText(res, 'N', { type: 'identifier', nth: 1 }))).toBeUndefined();
  });

  it('channel directions and element types', () => {
    const src = 'package p\nimport "time"\nfunc f(a <-chan int, b chan<- string, c chan chan<- bool) {\n\tt := time.After(time.Second)\n\t_ = t\n}\n';
    const res = resolveFunc(src, 'f');
    expect(fq(res.varType(local(res, 'a')))).toBe('<-chan int');
    expect(fq(res.varType(local(res, 'b')))).toBe('chan<- string');
    expect(fq(res.varType(local(res, 'c')))).toBe('chan chan<- bool');
    expect(fq(res.varType(local(res, 't')))).toBe('<-chan time.Time');
  });

  it('a named channel type: chanOf sees through it', () => {
    const src = 'package p\ntype Results chan error\nfunc f() {\n\tr := make(Results, 1)\n\t_ = r\n}\n';
    const res = resolveFunc(src, 'f');
    const t = res.varType(local(res, 'r'));
    expect(fq(t)).toBe('example.com/p.Results');
    expect(fq(chanOf(t) as Type)).toBe('chan error');
  });

  it('range over []chan int gives int index and chan int value; range over a chan gives its element', () => {
    const src = 'package p\nfunc f(chs []chan int, m map[string]*int, s string, in <-chan bool) {\n\tfor i, ch := range chs {\n\t\t_, _ = i, ch\n\t}\n\tfor k, v := range m {\n\t\t_, _ = k, v\n\t}\n\tfor j, r := range s {\n\t\t_, _ = j, r\n\t}\n\tfor x := range in {\n\t\t_ = x\n\t}\n\tfor n := range 10 {\n\t\t_ = n\n\t}\n}\n';
    const res = resolveFunc(src, 'f');
    const ty = (n: string): string => fq(res.varType(local(res, n)));
    expect([ty('i'), ty('ch')]).toEqual(['int', 'chan int']);
    expect([ty('k'), ty('v')]).toEqual(['string', '*int']);
    expect([ty('j'), ty('r')]).toEqual(['int', 'int32']);
    expect(ty('x')).toBe('bool');
    expect(ty('n')).toBe('int');
  });

  it('v, ok := <-ch gives the element and bool; so does a select case', () => {
    const src =
      'package p\nfunc f(ch chan *int, done chan struct{}) {\n\tv, ok := <-ch\n\t_, _ = v, ok\n\tselect {\n\tcase w, ok2 := <-ch:\n\t\t_, _ = w, ok2\n\tcase <-done:\n\t}\n\tone := <-ch\n\t_ = one\n}\n';
    const res = resolveFunc(src, 'f');
    const ty = (n: string): string => fq(res.varType(local(res, n)));
    expect(ty('v')).toBe('*int');
    expect(ty('ok')).toBe('bool');
    expect(ty('w')).toBe('*int');
    expect(ty('ok2')).toBe('bool');
    expect(ty('one')).toBe('*int');
  });

  it('comma-ok forms of map index and type assertion', () => {
    const src = 'package p\nimport "sync"\nfunc f(m map[string]chan int, x any) {\n\tc, ok := m["a"]\n\twg, ok2 := x.(*sync.WaitGroup)\n\t_, _, _, _ = c, ok, wg, ok2\n}\n';
    const res = resolveFunc(src, 'f');
    const ty = (n: string): string => fq(res.varType(local(res, n)));
    expect([ty('c'), ty('ok'), ty('wg'), ty('ok2')]).toEqual(['chan int', 'bool', '*sync.WaitGroup', 'bool']);
  });
});

describe('conversions, assertions and calls', () => {
  it('type assertion x.(*sync.WaitGroup)', () => {
    const res = resolveFunc(file('\tvar x any\n\twg := x.(*sync.WaitGroup)\n\twg.Done()'), 'f');
    expect(fq(res.varType(local(res, 'wg')))).toBe('*sync.WaitGroup');
    expect(res.callee(call(res, 'wg.Done()'))).toMatchObject({ kind: 'method', fullName: 'sync.WaitGroup.Done' });
  });

  it('conversions T(x), []byte(s) and stdlib named types', () => {
    const src =
      'package p\nimport "time"\ntype ID int\nfunc f(s string) {\n\ta := ID(3)\n\tc := []byte(s)\n\td := time.Duration(5)\n\te := int64(d)\n\tg := (ID)(4)\n\t_, _, _, _, _ = a, c, d, e, g\n}\n';
    const res = resolveFunc(src, 'f');
    const ty = (n: string): string => fq(res.varType(local(res, n)));
    expect(ty('a')).toBe('example.com/p.ID');
    expect(ty('c')).toBe('[]uint8');
    expect(ty('d')).toBe('time.Duration');
    expect(ty('e')).toBe('int64');
    expect(ty('g')).toBe('example.com/p.ID');
    expect(res.callee(call(res, 'ID(3)'))).toMatchObject({ kind: 'conversion' });
    expect(res.callee(call(res, 'time.Duration(5)'))).toMatchObject({ kind: 'conversion' });
  });

  // BUG (src/go/resolve.ts, FuncResolution.callee / callType): a conversion to a pointer
  // type written `(*T)(p)` parses as call(function: parenthesized(unary_expression `*T`)).
  // callee() unparens to the unary_expression, which it does not classify (only
  // identifiers, selectors and *_type nodes), so the result is 'unknown' and typeOf gives
  // unknown. Package.typeFromExpr has a `unary_expression` case written precisely for
  // "conversions like (*T)(x)", but nothing reaches it. Expected *T / *sync.Mutex.
  it('pointer conversions (*T)(p) and (*sync.Mutex)(p) are typed', () => {
    const src =
      'package p\nimport (\n\t"sync"\n\t"unsafe"\n)\ntype T struct{ n int }\nfunc f(p unsafe.Pointer) {\n\tb := (*T)(p)\n\tm := (*sync.Mutex)(p)\n\t_, _ = b, m\n}\n';
    const res = resolveFunc(src, 'f');
    expect(res.callee(call(res, '(*T)(p)'))).toMatchObject({ kind: 'conversion' });
    expect(fq(res.varType(local(res, 'b')))).toBe('*example.com/p.T');
    expect(fq(res.varType(local(res, 'm')))).toBe('*sync.Mutex');
  });

  it('results of a same-package function in multi-assign: func mk() (*sync.WaitGroup, context.CancelFunc)', () => {
    const src =
      'package p\nimport (\n\t"context"\n\t"sync"\n)\nfunc mk() (*sync.WaitGroup, context.CancelFunc) { return nil, nil }\nfunc f() {\n\twg, stop := mk()\n\twg.Wait()\n\tstop()\n}\n';
    const res = resolveFunc(src, 'f');
    expect(fq(res.varType(local(res, 'wg')))).toBe('*sync.WaitGroup');
    expect(fq(res.varType(local(res, 'stop')))).toBe('context.CancelFunc');
    expect(res.callee(call(res, 'mk()'))).toMatchObject({ kind: 'func', fullName: 'example.com/p.mk' });
    expect(res.callee(call(res, 'stop()'))).toMatchObject({ kind: 'local' });
  });

  it('a same-package function declared in another file, and a single result', () => {
    const { pkg } = makePackage({
      'a.go': 'package p\nfunc f() {\n\tch := newCh()\n\t_ = ch\n}\n',
      'b.go': 'package p\nfunc newCh() chan<- int { return nil }\n',
    });
    const res = resolveFunc(pkg, 'f');
    expect(fq(res.varType(local(res, 'ch')))).toBe('chan<- int');
  });

  it('ctx, cancel := context.WithCancel(...) → cancel is context.CancelFunc; ctx is context.Context', () => {
    const src = file(
      '\tctx, cancel := context.WithCancel(context.Background())\n\tdefer cancel()\n\tctx2, cancel2 := context.WithTimeout(ctx, time.Second)\n\t_, _ = ctx2, cancel2\n\tctx3, cc := context.WithCancelCause(ctx)\n\t_, _ = ctx3, cc',
      ['context', 'time'],
    );
    const res = resolveFunc(src, 'f');
    const ty = (n: string): string => fq(res.varType(local(res, n)));
    expect(ty('cancel')).toBe('context.CancelFunc');
    expect(ty('ctx')).toBe('context.Context');
    expect(ty('cancel2')).toBe('context.CancelFunc');
    expect(ty('cc')).toBe('context.CancelCauseFunc');
    expect(res.callee(call(res, 'context.WithCancel(context.Background())'))).toMatchObject({ kind: 'func', fullName: 'context.WithCancel' });
  });

  it('a cancel func re-assigned with = keeps the same local', () => {
    const src = file('\tctx, cancel := context.WithCancel(context.Background())\n\tctx, cancel = context.WithCancel(ctx)\n\tcancel()', ['context']);
    const res = resolveFunc(src, 'f');
    const cancel = local(res, 'cancel');
    expect(res.refs.get(cancel)).toHaveLength(2);
  });

  it(':= with an existing name in the same scope reuses it (no new local)', () => {
    const src = file('\tctx, cancel := context.WithCancel(context.Background())\n\tctx2, cancel := context.WithCancel(ctx)\n\t_ = ctx2\n\tcancel()', ['context']);
    const res = resolveFunc(src, 'f');
    expect(localsNamed(res, 'cancel')).toHaveLength(1);
    expect(res.refs.get(local(res, 'cancel'))).toHaveLength(2);
  });

  it('a package-level var initialised from a stdlib call has the result type', () => {
    const src = 'package p\nimport "sync"\nvar mu = &sync.Mutex{}\nvar wg, once = new(sync.WaitGroup), sync.Once{}\nfunc f() {\n\tmu.Lock()\n\twg.Wait()\n\tonce.Do(nil)\n}\n';
    const res = resolveFunc(src, 'f');
    expect(fq(typeOfText(res, 'mu', { type: 'identifier' }))).toBe('*sync.Mutex');
    expect(fq(typeOfText(res, 'wg', { type: 'identifier' }))).toBe('*sync.WaitGroup');
    expect(fq(typeOfText(res, 'once', { type: 'identifier' }))).toBe('sync.Once');
    expect(res.callee(call(res, 'mu.Lock()'))).toMatchObject({ kind: 'method', fullName: 'sync.Mutex.Lock' });
  });

  it('package-level multi-value var from a stdlib call, and typed package consts', () => {
    const src =
      'package p\nimport (\n\t"context"\n\t"time"\n)\nvar pctx, pcancel = context.WithCancel(context.Background())\nconst d0 time.Duration = 5\nfunc f() {\n\te := d0\n\tc := time.Nanosecond\n\t_, _ = e, c\n\tpcancel()\n\t_ = pctx\n}\n';
    const res = resolveFunc(src, 'f');
    expect(fq(typeOfText(res, 'pcancel', { type: 'identifier' }))).toBe('context.CancelFunc');
    expect(fq(typeOfText(res, 'pctx', { type: 'identifier' }))).toBe('context.Context');
    expect(fq(res.varType(local(res, 'e')))).toBe('time.Duration');
    expect(fq(res.varType(local(res, 'c')))).toBe('time.Duration');
  });

  it('stub constants without an explicit type are time.Duration or unknown, never something else', () => {
    const res = resolveFunc(file('\ta := time.Second\n\tb := 2 * time.Minute\n\t_, _ = a, b', ['time']), 'f');
    for (const n of ['a', 'b']) expect(['time.Duration', '?']).toContain(fq(res.varType(local(res, n))));
  });

  // BUG (src/go/resolve.ts, computeType 'binary_expression'): when the left operand's type
  // is unknown the type of the right operand is returned, so `time.Millisecond * 3` is
  // typed `int` (the literal) and `lib.Timeout * 2` (unknown package) is `int` too. Go:
  // time.Duration, and unknown respectively. This is a guess, against the model's
  // "sound answer or unknown" contract. (time.Millisecond is itself unknown because stub
  // packages never get an exprTypeAtPackageLevel hook, see the test above.)
  it('arithmetic with an operand of unknown type is not guessed to be int', () => {
    const res = resolveFunc(file('\td := time.Millisecond * 3\n\tx := lib.Timeout * 2\n\t_, _ = d, x', ['time', 'example.com/lib']), 'f');
    expect(['time.Duration', '?']).toContain(fq(res.varType(local(res, 'd'))));
    expect(fq(res.varType(local(res, 'x')))).toBe('?');
  });

  it('builtins are classified as builtins; len is int', () => {
    const res = resolveFunc(file('\tch := make(chan int)\n\tclose(ch)\n\tn := len(ch)\n\t_ = n\n\tpanic("x")', []), 'f');
    expect(res.callee(call(res, 'close(ch)'))).toEqual({ kind: 'builtin', name: 'close' });
    expect(res.callee(call(res, 'panic("x")'))).toEqual({ kind: 'builtin', name: 'panic' });
    expect(fq(res.varType(local(res, 'n')))).toBe('int');
  });

  it('a local func value and a func literal call', () => {
    const res = resolveFunc(file('\tg := func() int { return 1 }\n\t_ = g()\n\tfunc() {}()', []), 'f');
    expect(res.callee(call(res, 'g()'))).toMatchObject({ kind: 'local' });
    expect(res.callee(call(res, 'func() {}()'))).toMatchObject({ kind: 'literal' });
    expect(fq(res.varType(local(res, 'g')))).toBe('func() int');
  });
});

describe('scopes', () => {
  it('wg declared in an inner block is a different LocalVar', () => {
    const src = file('\tvar wg sync.WaitGroup\n\tif true {\n\t\twg := 1\n\t\t_ = wg\n\t}\n\twg.Wait()');
    const res = resolveFunc(src, 'f');
    const [outer, inner] = localsNamed(res, 'wg');
    expect(outer).toBeDefined();
    expect(inner).toBeDefined();
    expect(outer).not.toBe(inner);
    expect(fq(res.varType(outer as never))).toBe('sync.WaitGroup');
    expect(fq(res.varType(inner as never))).toBe('int');
    // `_ = wg` in the block uses the inner one; `wg.Wait()` the outer one.
    const uses = res.refs.get(inner as never) ?? [];
    expect(uses.map((u) => res.file.position(u.start).line)).toEqual([res.file.position(nodeByText(res, '_ = wg', { type: 'assignment_statement' }).start).line]);
    const waitRecv = nodeByText(res, 'wg', { type: 'identifier', nth: 3 });
    expect(res.localOf(waitRecv)).toBe(outer);
    expect(res.callee(call(res, 'wg.Wait()'))).toMatchObject({ kind: 'method', fullName: 'sync.WaitGroup.Wait' });
  });

  // BUG (src/go/resolve.ts, FuncResolution constructor / visit 'block'): parameters and
  // results are declared in one scope and the function body `block` opens a NEW scope, so
  // `x, cancel := ...` in the body declares a fresh `cancel` instead of assigning the
  // named result. In Go the parameters, results and the body's top-level statements share
  // the function block (`func f(x int) { x := 1 }` is "no new variables on left side of
  // :="). Observed effect: lost-cancel reports `ctx2, cancel := context.WithCancel(p);
  // return` in a function with a named result `cancel` (go vet is silent).
  it(':= in the function body reuses a parameter or named result of the same name', () => {
    const src =
      'package p\nimport "context"\nfunc f(parent context.Context) (ctx context.Context, cancel context.CancelFunc) {\n\tctx2, cancel := context.WithCancel(parent)\n\tctx = ctx2\n\treturn\n}\n';
    const res = resolveFunc(src, 'f');
    const cancels = localsNamed(res, 'cancel');
    expect(cancels.map((v) => v.kind)).toEqual(['result']);
    const inBody = nodeByText(res, 'cancel', { type: 'identifier', nth: 1 });
    expect(res.localOf(inBody)?.kind).toBe('result');
  });

  it('if/for/switch headers open their own scope', () => {
    const src = file('\tx := "s"\n\tif x := 1; x > 0 {\n\t\t_ = x\n\t}\n\tfor x := 0.5; x < 1; x++ {\n\t}\n\tswitch x := true; x {\n\t}\n\t_ = x', []);
    const res = resolveFunc(src, 'f');
    const xs = localsNamed(res, 'x');
    expect(xs.map((v) => fq(res.varType(v)))).toEqual(['string', 'int', 'float64', 'bool']);
    const last = nodeByText(res, '_ = x', { type: 'assignment_statement', nth: 1 });
    const lastX = allNodes(last).find((n) => n.type === 'identifier' && res.file.textOf(n) === 'x') as Node;
    expect(res.localOf(lastX)).toBe(xs[0]);
  });

  it('a local named like an imported package (sync := 1) is not the package', () => {
    const src = file('\tsync := 1\n\t_ = sync\n\tvar wg sync.WaitGroup\n\t_ = wg');
    const res = resolveFunc(src, 'f');
    const syncUse = nodeByText(res, 'sync', { type: 'identifier', nth: 1 });
    expect(res.localOf(syncUse)).toBe(local(res, 'sync'));
    expect(res.importOf(syncUse)).toBeUndefined();
    expect(fq(res.typeOf(syncUse))).toBe('int');
  });

  it('a parameter named like a package shadows it in selector calls', () => {
    const src = 'package p\nimport "time"\ntype clock struct{}\nfunc (clock) Now() int { return 0 }\nfunc f(time clock) {\n\t_ = time.Now()\n}\n';
    const res = resolveFunc(src, 'f');
    expect(res.callee(call(res, 'time.Now()'))).toMatchObject({ kind: 'method', fullName: 'example.com/p.clock.Now' });
  });

  it('closures capture outer vars: refs include uses inside func literals', () => {
    const src = file('\tvar wg sync.WaitGroup\n\twg.Add(1)\n\tgo func() {\n\t\tdefer wg.Done()\n\t\tfunc() { wg.Done() }()\n\t}()\n\twg.Wait()');
    const res = resolveFunc(src, 'f');
    const wg = local(res, 'wg');
    const refs = res.refs.get(wg) ?? [];
    expect(refs).toHaveLength(4);
    const lits = res.funcs.filter((fn) => fn.type === 'func_literal');
    expect(lits).toHaveLength(2);
    expect(refs.filter((r) => res.enclosingFunc(r) === lits[0])).toHaveLength(1);
    expect(refs.filter((r) => res.enclosingFunc(r) === lits[1])).toHaveLength(1);
    expect(wg.func).toBe(res.decl);
    expect(res.callee(call(res, 'wg.Done()', 0))).toMatchObject({ kind: 'method', fullName: 'sync.WaitGroup.Done' });
  });

  it('struct literal keys are field names, not references to locals of the same name', () => {
    const src = file('\tvar wg sync.WaitGroup\n\tmu := 1\n\ttype S struct{ mu int; wg *sync.WaitGroup }\n\ts := S{mu: 2, wg: &wg}\n\t_, _ = s, mu');
    const res = resolveFunc(src, 'f');
    expect(res.refs.get(local(res, 'mu'))).toHaveLength(1); // only `_, _ = s, mu`
    expect(res.refs.get(local(res, 'wg'))).toHaveLength(1); // only `&wg`
  });

  // BUG (src/go/resolve.ts, visit 'keyed_element'): a bare identifier key is always taken
  // for a struct field name, also in MAP literals, where it is an expression: in
  // `map[chan int]bool{ch: true}` the use of `ch` is not in refs. Rules that treat an
  // escaping channel as "unknown receiver" miss the escape: with the key form
  // abandoned-sender reports a sender that it stays silent on when `ch` is a map VALUE.
  it('an identifier used as a map literal key is a reference to the local', () => {
    const src = file('\tch := make(chan int)\n\tm := map[chan int]bool{ch: true}\n\t_ = m', []);
    const res = resolveFunc(src, 'f');
    expect(res.refs.get(local(res, 'ch'))).toHaveLength(1);
  });

  it('a func literal parameter shadows the outer variable', () => {
    const src = file('\tvar wg sync.WaitGroup\n\tgo func(wg *sync.WaitGroup) {\n\t\twg.Done()\n\t}(&wg)\n\twg.Wait()');
    const res = resolveFunc(src, 'f');
    const [outer, param] = localsNamed(res, 'wg');
    expect(param?.kind).toBe('param');
    expect(param?.func.type).toBe('func_literal');
    expect(fq(res.varType(param as never))).toBe('*sync.WaitGroup');
    expect(res.refs.get(outer as never)).toHaveLength(2); // &wg and wg.Wait()
    expect(res.refs.get(param as never)).toHaveLength(1);
  });

  it('a type switch binds a per-case variable of the case type', () => {
    const src = file('\tvar x any\n\tswitch v := x.(type) {\n\tcase *sync.Mutex:\n\t\tv.Lock()\n\tcase int, string:\n\t\t_ = v\n\tdefault:\n\t\t_ = v\n\t}');
    const res = resolveFunc(src, 'f');
    // One symbol per clause (go/types "implicit objects"), reached through the uses.
    const v1 = res.localOf(nodeByText(res, 'v', { type: 'identifier', nth: 1 }));
    const v2 = res.localOf(nodeByText(res, 'v', { type: 'identifier', nth: 2 }));
    const v3 = res.localOf(nodeByText(res, 'v', { type: 'identifier', nth: 3 }));
    expect(v1 && v2 && v3).toBeTruthy();
    expect(new Set([v1, v2, v3]).size).toBe(3);
    expect(fq(res.varType(v1 as never))).toBe('*sync.Mutex');
    expect(res.callee(call(res, 'v.Lock()'))).toMatchObject({ kind: 'method', fullName: 'sync.Mutex.Lock' });
    // Two types in the clause, or default: the type of x (`any`), not int or string.
    expect(fq(res.varType(v2 as never))).toBe('any');
    expect(fq(res.varType(v3 as never))).toBe('any');
  });

  it('a local type declaration is its own named type', () => {
    const src = file('\ttype pair struct{ mu sync.Mutex }\n\ttype guarded struct{ sync.RWMutex }\n\tvar p pair\n\tp.mu.Lock()\n\tg := &guarded{}\n\tg.RLock()');
    const res = resolveFunc(src, 'f');
    const t = res.varType(local(res, 'p'));
    expect(t.kind).toBe('named');
    expect(t.kind === 'named' && t.name.startsWith('pair')).toBe(true);
    expect(fq(typeOfText(res, 'p.mu'))).toBe('sync.Mutex');
    expect(res.callee(call(res, 'g.RLock()'))).toMatchObject({ kind: 'method', fullName: 'sync.RWMutex.RLock' });
    // A package-level type of the same name is a different type.
    expect(local(res, 'pair').kind).toBe('type');
  });

  it('pkgObjOf: package-level objects, not locals', () => {
    const src = 'package p\nvar g = 1\nfunc h() {}\nfunc f() {\n\tl := g\n\th()\n\t_ = l\n}\n';
    const res = resolveFunc(src, 'f');
    expect(res.pkgObjOf(nodeByText(res, 'g', { type: 'identifier' }))?.kind).toBe('var');
    expect(res.pkgObjOf(nodeByText(res, 'h', { type: 'identifier' }))?.kind).toBe('func');
    expect(res.pkgObjOf(nodeByText(res, 'l', { type: 'identifier', nth: 1 }))).toBeUndefined();
  });
});

describe('generics and robustness', () => {
  it('generic functions and types do not crash; type parameters are typeparams', () => {
    const src =
      'package p\nimport "sync"\ntype List[T any] struct {\n\tmu    sync.Mutex\n\titems []T\n}\nfunc (l *List[T]) Push(v T) {\n\tl.mu.Lock()\n\tdefer l.mu.Unlock()\n\tl.items = append(l.items, v)\n}\nfunc Map[K comparable, V any](m map[K]V, f func(V) V) chan V {\n\tout := make(chan V, len(m))\n\tfor _, v := range m {\n\t\tout <- f(v)\n\t}\n\treturn out\n}\nfunc use() {\n\tl := &List[int]{}\n\tl.Push(1)\n\tc := Map[string, int](nil, nil)\n\t_ = c\n}\n';
    const push = resolveFunc(src, 'Push');
    expect(fq(push.varType(local(push, 'v')))).toBe('typeparam T');
    expect(fq(typeOfText(push, 'l.mu'))).toBe('sync.Mutex');
    expect(push.callee(call(push, 'l.mu.Lock()'))).toMatchObject({ kind: 'method', fullName: 'sync.Mutex.Lock' });
    const mp = resolveFunc(src, 'Map');
    expect(fq(mp.varType(local(mp, 'out')))).toBe('chan typeparam V');
    const use = resolveFunc(src, 'use');
    expect(fq(use.varType(local(use, 'l')))).toBe('*example.com/p.List');
    expect(use.callee(call(use, 'l.Push(1)'))).toMatchObject({ kind: 'method', fullName: 'example.com/p.List.Push' });
    expect(use.callee(call(use, 'Map[string, int](nil, nil)'))).toMatchObject({ kind: 'func', fullName: 'example.com/p.Map' });
  });

  it('self-referential types and initialisation cycles yield unknown instead of looping', () => {
    const src = 'package p\ntype A B\ntype B A\nvar x = y\nvar y = x\ntype Node struct{ next *Node }\nfunc f(a A, n Node) {\n\t_ = x\n\t_ = n.next.next.next\n}\n';
    const res = resolveFunc(src, 'f');
    expect(underlying(res.varType(local(res, 'a'))).kind).toBe('unknown');
    expect(typeOfText(res, 'x', { type: 'identifier' }).kind).toBe('unknown');
    expect(fq(typeOfText(res, 'n.next.next.next'))).toBe('*example.com/p.Node');
  });

  it('a function with syntax errors still resolves what parsed', () => {
    const src = 'package p\nimport "sync"\nfunc f() {\n\tvar mu sync.Mutex\n\tmu.Lock()\n\tx := \n}\n';
    const res = resolveFunc(src, 'f');
    expect(fq(res.varType(local(res, 'mu')))).toBe('sync.Mutex');
  });

  it('lookupMethod on pointer and value, and typeString for messages', () => {
    const { pkg } = makePackage({ 'a.go': 'package p\nimport "sync"\nvar w sync.WaitGroup\n' });
    const o = pkg.lookup('w');
    expect(o?.kind).toBe('var');
    const t = pkg.objType(o as never);
    expect(lookupMethod(t, 'Add')?.recvType).toBe('WaitGroup');
    expect(lookupMethod({ kind: 'pointer', elem: t }, 'Wait')?.pkg).toBe('sync');
    expect(lookupMethod(t, 'Lock')).toBeUndefined();
    expect(typeString({ kind: 'pointer', elem: t })).toBe('*sync.WaitGroup');
    expect(typeString({ kind: 'chan', dir: 'recv', elem: { kind: 'basic', name: 'int' } })).toBe('<-chan int');
  });

  it('a package built directly with the shared world resolves stdlib stubs', () => {
    const sf = new SourceFile('x.go', 'package x\nimport "sync"\nfunc g() { var m sync.RWMutex; m.RLock() }\n');
    const pkg = new Package({ importPath: 'x', dir: '', files: [sf], world: world() });
    const { decl, file: f } = findDecl(pkg, 'g');
    const res = new FuncResolution(pkg, f, decl, f.body(decl));
    const callNode = allNodes(res.decl).find((n) => n.type === 'call_expression') as Node;
    expect(res.callee(callNode)).toMatchObject({ kind: 'method', fullName: 'sync.RWMutex.RLock' });
    expect(field(decl, 'body')).toBeDefined();
  });
});
