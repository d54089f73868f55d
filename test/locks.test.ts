/**
 * @fileoverview The shared lock-state analysis (src/analysis/locks.ts): lock naming,
 * function summaries (acquires / releases / locks) and their renaming across calls.
 */
import { describe, expect, it } from 'vitest';
import { lockAnalysis, spellsMethodValue, type FuncLocks } from '../src/analysis/locks.js';
import { PackageFacts } from '../src/analysis/pass.js';
import { declWords } from '../src/analysis/lockalias.js';
import { findDecl, makePackage } from './go/helpers.js';

function locks(src: string, name: string): FuncLocks {
  const { pkg } = makePackage({ 'a.go': `package a\n\nimport "sync"\n\nvar _ sync.Mutex\n\n${src}` });
  const facts = new PackageFacts(pkg);
  const { decl, file } = findDecl(pkg, name);
  const info = lockAnalysis(facts).of(facts.funcCtx(decl, file));
  if (!info) throw new Error('no lock info');
  return info;
}

const T = `type T struct { mu sync.Mutex; rw sync.RWMutex; n int }\n`;

describe('lock summaries', () => {
  it('a lock helper acquires its receiver lock', () => {
    const info = locks(`${T}func (t *T) lock() { t.mu.Lock() }`, 'lock');
    expect([...info.summary.acquires.keys()]).toEqual(['recv.mu']);
    expect([...info.summary.locks.keys()]).toEqual(['recv.mu']);
  });

  it('a function that unlocks what it did not lock releases it', () => {
    const info = locks(`${T}func (t *T) unlock() { t.n++; t.mu.Unlock() }`, 'unlock');
    expect([...info.summary.releases.keys()]).toEqual(['recv.mu']);
    expect(info.summary.acquires.size).toBe(0);
  });

  it('defer Unlock leaves nothing held and records the internal lock', () => {
    const info = locks(`${T}func (t *T) get() int { t.rw.RLock(); defer t.rw.RUnlock(); return t.n }`, 'get');
    expect(info.summary.acquires.size).toBe(0);
    expect(info.summary.locks.get('recv.rw')?.mode).toBe('R');
    expect(info.heldAtExit).toEqual([]);
  });

  it('a conditional lock is not a must-lock (a locked bool parameter)', () => {
    const info = locks(`${T}func (t *T) set(locked bool) { if !locked { t.mu.Lock(); defer t.mu.Unlock() }; t.n = 1 }`, 'set');
    expect(info.summary.locks.size).toBe(0);
  });

  it('renames callee roots to the caller: parameters and receivers', () => {
    const info = locks(`${T}func inc(t *T) { t.mu.Lock(); t.n++; t.mu.Unlock() }\nfunc (t *T) f() { t.mu.Lock(); inc(t); t.mu.Unlock() }`, 'f');
    expect(info.doubles).toHaveLength(1);
    expect(info.doubles[0]?.inner?.via).toEqual(['inc']);
  });

  it('an early return keeps the lock held on that path only', () => {
    const info = locks(`${T}func (t *T) f() error { t.mu.Lock(); if t.n == 0 { return nil }; t.mu.Unlock(); return nil }`, 'f');
    expect(info.exits).toBe(2);
    expect(info.heldAtExit).toHaveLength(1);
    expect(info.exitKeys.filter((k) => k.has('recv.mu'))).toHaveLength(1);
  });

  it('correlated conditions are followed consistently', () => {
    const info = locks(`${T}func (t *T) f(b int) { if b == 10 { t.mu.Lock() }; t.n++; if b == 10 { t.mu.Unlock() } }`, 'f');
    expect(info.heldAtExit).toEqual([]);
  });

  it('records lock-order edges with type keys', () => {
    const info = locks(`${T}func (t *T) f() { t.mu.Lock(); t.rw.Lock(); t.rw.Unlock(); t.mu.Unlock() }`, 'f');
    expect(info.edges.map((e) => `${e.outer.ref.tkey}>${e.inner.ref.tkey}`)).toEqual(['T.mu>T.rw']);
  });

  it('a reassigned variable names another lock', () => {
    const info = locks(`${T}type N struct { mu sync.Mutex; next *N }\nfunc walk(n *N) { n.mu.Lock(); for n.next != nil { p := n.next; n.mu.Unlock(); n = p; n.mu.Lock() }; n.mu.Unlock() }`, 'walk');
    expect(info.doubles).toEqual([]);
  });
});

describe('silent declarations (no lock through any callee)', () => {
  // T.Close locks, so every declaration that calls a `Close` is lock-relevant by name; U.Close
  // shares the name but locks nothing, through itself (a cycle) or its other callees.
  const src = `${T}type U struct { next *U; t *T; n int }
func (t *T) Close() { t.mu.Lock(); t.n = 0; t.mu.Unlock() }
func (u *U) Close() { if u.next != nil { u.next.Close() }; u.n++; go u.bump() }
func (u *U) bump() { u.n++ }
func (u *U) closeT() { u.t.Close() }
func (t *T) f(u *U) { t.mu.Lock(); u.Close(); t.mu.Unlock() }
func (t *T) g(u *U) { t.mu.Lock(); u.closeT(); t.mu.Unlock() }`;
  const setup = (): { facts: PackageFacts; of: (recv: string, name: string) => FuncLocks } => {
    const { pkg } = makePackage({ 'a.go': `package a\n\nimport "sync"\n\n${src}` });
    const facts = new PackageFacts(pkg);
    const la = lockAnalysis(facts);
    const of = (recv: string, name: string): FuncLocks => {
      const fd = pkg.funcDecls.find(({ decl, file }) => file.textOf(decl).startsWith(`func (${recv.toLowerCase()} *${recv}) ${name}(`));
      const info = fd && la.of(facts.funcCtx(fd.decl, fd.file));
      if (!info) throw new Error(`no lock info for ${recv}.${name}`);
      return info;
    };
    return { facts, of };
  };

  it('a callee that can reach no lock is answered without walking it: nothing held, empty summary', () => {
    const { of } = setup();
    const f = of('T', 'f');
    expect(f.doubles).toEqual([]);
    expect(f.heldAtExit).toEqual([]);
    const u = of('U', 'Close');
    expect(u.summary.locks.size + u.summary.acquires.size + u.summary.releases.size).toBe(0);
    // Not walked: no explored exit, no statement recorded.
    expect(u.exits).toBe(0);
    expect(u.heldAt.size).toBe(0);
  });

  it('a callee that reaches a lock through another callee is walked and summarised', () => {
    const { of } = setup();
    const c = of('U', 'closeT');
    expect([...c.summary.locks.keys()]).toEqual(['recv.t.mu']);
    expect(c.exits).toBe(1);
    const g = of('T', 'g');
    expect(g.doubles).toEqual([]);
    expect(g.edges).toEqual([]);
  });
});

describe('hand-over of locks through returned objects', () => {
  const KV = `type Txn interface { End() }\ntype kv struct { mu sync.RWMutex; n int }\ntype txn struct { s *kv }\nfunc (t *txn) End() { t.s.mu.RUnlock() }\nfunc (s *kv) Read() Txn { s.mu.RLock(); return &txn{s: s} }\n`;

  it('a function returning an object whose method releases the lock hands it over', () => {
    const info = locks(KV, 'Read');
    expect(info.heldAtExit).toEqual([]);
    expect(info.summary.handed).toEqual([{ result: 0, path: '.s', of: 'recv' }]);
    expect([...info.summary.acquires.keys()]).toEqual(['recv.mu']);
  });

  it('the caller releases it through the interface (resolved to the package implementation)', () => {
    const info = locks(`${KV}func (s *kv) Count() int { t := s.Read(); defer t.End(); return s.n }`, 'Count');
    expect(info.heldAtExit).toEqual([]);
  });

  it('a caller that forgets End on one path still holds the lock there', () => {
    const info = locks(`${KV}func (s *kv) Leak(b bool) int { t := s.Read(); if b { return 0 }; t.End(); return 1 }`, 'Leak');
    expect(info.heldAtExit.map((h) => h.ref.key)).toEqual(['recv.mu']);
  });

  it('a callee entered with the lock held that releases and re-takes it has no net effect', () => {
    const info = locks(`${T}func (t *T) slow() error { t.mu.Unlock(); t.n++; t.mu.Lock(); return nil }`, 'slow');
    expect(info.heldAtExit).toEqual([]);
    expect(info.summary.releases.size).toBe(0);
    expect(info.summary.acquires.size).toBe(0);
  });
});

describe('function values and callbacks', () => {
  it('records a call of a func parameter made while a lock is held, not one started on a goroutine', () => {
    const info = locks(`${T}func (t *T) each(f func(int), g func()) { t.mu.Lock(); defer t.mu.Unlock(); f(t.n); go g() }`, 'each');
    expect(info.summary.heldCalls?.map((h) => ({ param: h.param, held: h.held.map((x) => x.ref.key) }))).toEqual([{ param: 0, held: ['recv.mu'] }]);
  });

  it('an unlock in a closure called by a handed-over literal escapes with it', () => {
    const src = `${T}func run(f func()) { go f() }\nfunc (t *T) commit() { t.rw.RLock(); release := func() { defer t.rw.RUnlock(); t.n++ }; run(func() { release() }) }`;
    const info = locks(src, 'commit');
    expect([...info.escaped]).toContain('recv.rw');
  });

  it('a literal that only calls an unrelated closure hands nothing over', () => {
    const src = `${T}func run(f func()) { go f() }\nfunc (t *T) commit() { t.rw.RLock(); bump := func() { t.n++ }; run(func() { bump() }) }`;
    const info = locks(src, 'commit');
    expect([...info.escaped]).not.toContain('recv.rw');
    expect(info.heldAtExit.map((h) => h.ref.key)).toEqual(['recv.rw']);
  });

  it('an unresolved func field releases a held lock only when the package makes a releaser of that mutex', () => {
    const base = `${T}type U struct { mu sync.Mutex; cb func() }\nfunc (u *U) step() { u.mu.Lock(); u.cb() }\n`;
    expect(locks(base, 'step').heldAtExit.map((h) => h.ref.key)).toEqual(['recv.mu']);
    const withReleaser = `${base}func releaser(l sync.Locker) func() { return l.Unlock }\nfunc (u *U) init() { u.cb = releaser(&u.mu) }\n`;
    expect(locks(withReleaser, 'step').heldAtExit).toEqual([]);
    // A goroutine literal that unlocks is no value anyone can call.
    const goLit = `${base}func (u *U) later() { go func() { u.mu.Unlock() }() }\n`;
    expect(locks(goLit, 'step').heldAtExit.map((h) => h.ref.key)).toEqual(['recv.mu']);
  });
});

describe('DeclWords (the identifier index of the lock analysis)', () => {
  it('lists every declaration that spells a word, in package order, and no declaration that does not', () => {
    // 3,000 distinct identifiers: the table grows several times.
    const many = Array.from({ length: 3000 }, (_, i) => `v${i}`).join(', ');
    const src = `func a() { mu.Lock(); x2mu := 1; _ = x2mu }\nfunc b() { var ${many} int; _ = v2999 }\nfunc c() { s.mu.Unlock() /* émû mu */ }\nfunc d() { _ = "2mu" }\n`;
    const { pkg } = makePackage({ 'a.go': `package a\n\n${src}` });
    const dw = declWords(new PackageFacts(pkg));
    const names = (w: string): string[] | undefined => dw.candidates(w)?.map((i) => dw.decls[i]!.file.textOf(dw.decls[i]!.decl).slice(5, 6));
    // d spells `2mu`: a run may start after a digit, a candidate the caller's own test rejects (a superset, never a miss).
    expect(names('mu')).toEqual(['a', 'c', 'd']);
    expect(names('v2999')).toEqual(['b']);
    expect(names('v1500')).toEqual(['b']);
    expect(names('x2mu')).toEqual(['a']);
    expect(names('absent')).toEqual([]);
    // Not an ASCII identifier: the caller searches every declaration itself.
    expect(dw.candidates('émû')).toBeUndefined();
  });
});

describe('spellsMethodValue (which declarations may take an unlocker as a method value)', () => {
  // The regular expression it replaced (one alternation of every unlocker, tried at every dot:
  // minutes on a package with thousands of methods); the scan must answer yes wherever it did.
  const byRegex = (text: string, name: string): boolean => new RegExp(`\\.(?:\\s|/\\*[\\s\\S]*?\\*/|//[^\\n]*)*(?:${name})(?![ \\t]*\\()`).test(text);
  // The same with a block comment ending at its first `*/`, as Go's do (the lazy `[\s\S]*?` may
  // backtrack across a `*/` to a later one, which no Go text means).
  const byGoRegex = (text: string, name: string): boolean => new RegExp(`\\.(?:\\s|/\\*(?:[^*]|\\*(?!/))*\\*/|//[^\\n]*)*(?:${name})(?![ \\t]*\\()`).test(text);
  const cases: Array<[string, boolean]> = [
    ['f := s.release', true],
    ['defer s.release()', false],
    ['go s.release ()', false],
    ['s.\n\trelease', true],
    ['s. /* why */ release', true],
    ['s. // why\n\trelease', true],
    ['s.releaseAll', true],
    ['release := 1; _ = release', false],
    ['x := s.other; y := release', false],
    ['s.release\n(', true],
    ['callback(s.release, 1)', true],
  ];
  it.each(cases)('%j', (text, want) => {
    expect(byRegex(text, 'release')).toBe(want);
    expect(spellsMethodValue(text, 'release')).toBe(want);
  });

  it('answers yes wherever the regular expression did, on mutated texts', () => {
    const parts = ['s', '.', ' ', '\n', '\t', 'release', '(', ')', '/* c */', '// c\n', 'x', ';', 'releaseX', '/* a /* b */', '*/'];
    let seed = 7;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
    for (let k = 0; k < 20000; k++) {
      let t = '';
      for (let j = rnd(9) + 1; j > 0; j--) t += parts[rnd(parts.length)];
      if (byGoRegex(t, 'release')) expect(spellsMethodValue(t, 'release'), JSON.stringify(t)).toBe(true);
    }
  });
});
