/**
 * @fileoverview Helpers for the Go source-model tests: temp trees, packages built from
 * inline Go text, node lookup by source text, and a fully qualified type rendering.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Package, world } from '../../src/go/package.js';
import { FuncResolution } from '../../src/go/resolve.js';
import { SourceFile } from '../../src/go/source.js';
import { walk, type Node } from '../../src/go/syntax.js';
import type { Type } from '../../src/go/types.js';
import type { LocalVar } from '../../src/go/resolve.js';

const tempDirs: string[] = [];

/** A fresh temp directory (removed by `cleanupTemp`). */
export function tempDir(prefix = 'leakscope-go-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(d);
  // realpath: /tmp may itself be a symlink, and the loader reports real directories.
  return fs.realpathSync(d);
}

/** Removes every temp directory made by `tempDir`. */
export function cleanupTemp(): void {
  for (const d of tempDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** Writes files (relative path → content) under `root`, creating directories. */
export function writeTree(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
}

/** Builds a package from inline files (name → Go text), wired like analyze-dir does. */
export function makePackage(files: Record<string, string>, importPath = 'example.com/p'): { pkg: Package; files: SourceFile[] } {
  const sfs = Object.entries(files).map(([name, text]) => new SourceFile(name, text));
  const pkg = new Package({ importPath, dir: '', files: sfs, world: world() });
  const pkgLevel = new Map<SourceFile, FuncResolution>();
  pkg.exprTypeAtPackageLevel = (expr, file) => {
    let r = pkgLevel.get(file);
    if (!r) {
      const fake: Node = { type: 'source_file', named: true, field: null, start: 0, end: 0, children: [], parent: null };
      pkgLevel.set(file, (r = new FuncResolution(pkg, file, fake, undefined)));
    }
    return r.typeOf(expr);
  };
  return { pkg, files: sfs };
}

/** Finds a top-level function or method declaration by name (`Recv.Name` for methods is not needed: names are unique in tests). */
export function findDecl(pkg: Package, name: string): { decl: Node; file: SourceFile } {
  for (const fd of pkg.funcDecls) {
    const n = fd.decl.children.find((c) => c.field === 'name');
    if (n && fd.file.textOf(n) === name) return fd;
  }
  throw new Error(`no function ${name}`);
}

/** Resolution of function `name` in a single-file package (or in `pkg`). */
export function resolveFunc(src: string | Package, name: string): FuncResolution {
  const pkg = typeof src === 'string' ? makePackage({ 'a.go': src }).pkg : src;
  const { decl, file } = findDecl(pkg, name);
  return new FuncResolution(pkg, file, decl, file.body(decl));
}

/** All nodes under `root` (pre-order). */
export function allNodes(root: Node): Node[] {
  const out: Node[] = [];
  walk(root, (n) => {
    out.push(n);
  });
  return out;
}

/**
 * The `nth` named node (pre-order) in the resolution's declaration whose source text is
 * exactly `text` (and whose type is `type`, if given). Without `type`, wrappers with the
 * same text (expression_list, literal_element...) are skipped for the innermost node.
 */
export function nodeByText(res: FuncResolution, text: string, opts: { type?: string; nth?: number } = {}): Node {
  const same = (n: Node): boolean => n.named && res.file.textOf(n) === text;
  const hits = allNodes(res.decl).filter(
    (n) => same(n) && (opts.type ? n.type === opts.type : !n.children.some((c) => same(c))),
  );
  const n = hits[opts.nth ?? 0];
  if (!n) throw new Error(`no node ${JSON.stringify(text)} (${opts.type ?? 'any'}) #${opts.nth ?? 0}; ${hits.length} found`);
  return n;
}

/** The type of the expression whose text is `text`. */
export function typeOfText(res: FuncResolution, text: string, opts: { type?: string; nth?: number } = {}): Type {
  return res.typeOf(nodeByText(res, text, opts));
}

/** Locals declared with a given name, in declaration order. */
export function localsNamed(res: FuncResolution, name: string): LocalVar[] {
  return [...res.defs.values()].filter((v) => v.name === name).sort((a, b) => a.ident.start - b.ident.start);
}

/** The single local named `name` (throws if none or several). */
export function local(res: FuncResolution, name: string): LocalVar {
  const vs = localsNamed(res, name);
  if (vs.length !== 1) throw new Error(`expected one local ${name}, found ${vs.length}`);
  return vs[0] as LocalVar;
}

/** Renders a type with full import paths: `*sync.Mutex`, `chan int`, `example.com/p.S`, `?`. */
export function fq(t: Type): string {
  switch (t.kind) {
    case 'unknown':
      return '?';
    case 'basic':
      return t.name;
    case 'named':
      return t.pkg ? `${t.pkg}.${t.name}` : t.name;
    case 'pointer':
      return `*${fq(t.elem)}`;
    case 'slice':
      return `[]${fq(t.elem)}`;
    case 'array':
      return `[${t.len ?? '?'}]${fq(t.elem)}`;
    case 'map':
      return `map[${fq(t.key)}]${fq(t.value)}`;
    case 'chan':
      return `${t.dir === 'recv' ? '<-chan' : t.dir === 'send' ? 'chan<-' : 'chan'} ${fq(t.elem)}`;
    case 'struct':
      return `struct{${t.fields.map((f) => (f.embedded ? fq(f.type) : `${f.name} ${fq(f.type)}`)).join('; ')}}`;
    case 'func':
      return `func(${t.params.map(fq).join(', ')})${t.results.length === 0 ? '' : t.results.length === 1 ? ' ' + fq(t.results[0] as Type) : ` (${t.results.map(fq).join(', ')})`}`;
    case 'interface':
      return 'interface{}';
    case 'tuple':
      return `(${t.types.map(fq).join(', ')})`;
    case 'typeparam':
      return `typeparam ${t.name}`;
  }
}
