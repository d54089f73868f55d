/**
 * @fileoverview A query over the lock-state analysis (locks.ts) for stack frames: which
 * sync.Mutex / sync.RWMutex locks the function of a frame holds on every path at the
 * frame's line, and which lock a `Lock`/`RLock` call on that line acquires. This is what
 * the wait-for graph of a goroutine dump needs (src/profiles/waitfor.ts): the dump says
 * which mutex each blocked goroutine waits for (the receiver of `lockSlow`), the source
 * says which locks the frames of the other goroutines hold.
 *
 * Locks are named as locks.ts names them, by a root and a path: the receiver (`recv.mu`),
 * a parameter (`p1.mu`), a package-level variable (`g:mu`) or a local (`l123.mu`). The
 * caller turns a root into a value with the frame's argument words.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expandTargets } from '../go/loader.js';
import { Package, world } from '../go/package.js';
import { decodeGoSource, SourceFile } from '../go/source.js';
import { walk, type Node } from '../go/syntax.js';
import type { FrameRef } from './attach.js';
import { lockAnalysis, lockCallOf, type LockMode, type LockRef } from './locks.js';
import { PackageFacts, type FuncCtx } from './pass.js';

/** A lock as a frame sees it. */
export interface FrameLock {
  /** locks.ts instance key: `recv.mu`, `p1.state.mu`, `g:mu`, `l812.mu`. */
  key: string;
  /** Type-level name (`Account.mu`), when the lock is a field of a named type or a package variable. */
  tkey?: string;
  /** Source text of the mutex expression (`from.mu`). */
  text: string;
  mode: LockMode;
  /** The root of the key: `recv`, `p<N>`, `g:<name>` (the whole key) or `l<offset>`. */
  root: string;
  /** The key after the root (`.mu`); '' for a global. */
  path: string;
  /** Line where the frame's function took it (held locks), when in the frame's file. */
  lockedAt?: number;
}

/** What the static analysis knows about the locks of one frame. */
export interface FrameLocks {
  /** Locks held on every path when the frame's line runs. */
  held: FrameLock[];
  /** The lock a `Lock`/`RLock` call on the line acquires (the frame a waiter is blocked in). */
  acquiring?: FrameLock;
  /** The frame's function is a method: its first argument word is the receiver. */
  method: boolean;
}

function toFrameLock(ref: LockRef, mode: LockMode): FrameLock {
  const g = ref.key.startsWith('g:');
  const dot = ref.key.indexOf('.');
  const root = g ? ref.key : dot < 0 ? ref.key : ref.key.slice(0, dot);
  const out: FrameLock = { key: ref.key, text: ref.text.replace(/^&/, ''), mode, root, path: g ? '' : ref.key.slice(root.length) };
  if (ref.tkey) out.tkey = ref.tkey;
  return out;
}

/** A package of a directory, with its files by absolute path. */
export interface LoadedPackage {
  facts: PackageFacts;
  files: Map<string, SourceFile>;
}

/** Packages loaded per directory, shared by the queries over one dump. */
export class PackageCache {
  private dirs = new Map<string, LoadedPackage[]>();

  /** The packages of a directory (each file parsed in full once). */
  of(dir: string): LoadedPackage[] {
    const d = path.resolve(dir);
    let l = this.dirs.get(d);
    if (!l) this.dirs.set(d, (l = loadDir(d)));
    return l;
  }

  /** The package and parsed file of a local file. */
  file(file: string): { pkg: LoadedPackage; sf: SourceFile } | undefined {
    const abs = path.resolve(file);
    for (const pkg of this.of(path.dirname(abs))) {
      const sf = pkg.files.get(abs);
      if (sf) return { pkg, sf };
    }
    return undefined;
  }
}

/** Loads the packages of one directory with full parses (the frames' functions may be anywhere). */
function loadDir(dir: string): LoadedPackage[] {
  let spec;
  try {
    spec = expandTargets([dir], { tests: true }).dirs.find((d) => path.resolve(d.dir) === path.resolve(dir));
  } catch {
    return [];
  }
  if (!spec) return [];
  const byPkg = new Map<string, SourceFile[]>();
  for (const file of spec.files) {
    let dec;
    try {
      dec = decodeGoSource(file, fs.readFileSync(file));
    } catch {
      continue;
    }
    if ('problem' in dec) continue;
    let sf: SourceFile;
    try {
      sf = new SourceFile(file, dec.text);
    } catch {
      continue;
    }
    if (!sf.packageName) continue;
    let l = byPkg.get(sf.packageName);
    if (!l) byPkg.set(sf.packageName, (l = []));
    l.push(sf);
  }
  const out: LoadedPackage[] = [];
  for (const files of byPkg.values()) {
    const pkg = new Package({ importPath: spec.importPath, dir: spec.dir, files, module: spec.module, world: world() });
    out.push({ facts: new PackageFacts(pkg), files: new Map(files.map((f) => [path.resolve(f.path), f])) });
  }
  return out;
}

function span(sf: SourceFile, n: Node): [number, number] {
  return [sf.line(n.start), sf.line(n.end)];
}

function contains(sf: SourceFile, n: Node, line: number): boolean {
  const [a, b] = span(sf, n);
  return a <= line && line <= b;
}

/** The locks of one frame whose file is `sf` in the package of `facts`. */
function frameLocks(facts: PackageFacts, sf: SourceFile, line: number): FrameLocks | undefined {
  const fd = facts.pkg.funcDecls.find((d) => d.file === sf && contains(sf, d.decl, line));
  if (!fd) return undefined;
  const fc: FuncCtx = facts.funcCtx(fd.decl, sf);
  // The innermost function (the declaration or a literal inside it) around the line.
  let fn: Node = fc.decl;
  for (const f of fc.res.funcs) if (contains(sf, f, line) && f.end - f.start < fn.end - fn.start) fn = f;
  const info = lockAnalysis(facts).of(fc, fn);
  const out: FrameLocks = { held: [], method: fn === fc.decl && fc.decl.type === 'method_declaration' };
  if (!info) return out;
  let best: Node | undefined;
  for (const n of info.heldAt.keys()) if (contains(sf, n, line) && (!best || n.end - n.start < best.end - best.start)) best = n;
  if (best) {
    for (const h of info.heldAt.get(best)!.values()) {
      const fl = toFrameLock(h.ref, h.mode);
      if (h.site.file === sf) fl.lockedAt = sf.line(h.site.node.start);
      out.held.push(fl);
    }
  }
  const body = fn === fc.decl ? fc.body : fn.children.find((c) => c.field === 'body');
  if (body) {
    walk(body, (n) => {
      if (out.acquiring || !contains(sf, n, line)) return false;
      if (n.type === 'func_literal' && n !== fn) return false;
      if (n.type !== 'call_expression' || sf.line(n.start) !== line) return undefined;
      const lc = lockCallOf(fc, n);
      if (lc?.op === 'lock' && lc.ref) out.acquiring = toFrameLock(lc.ref, lc.mode);
      return undefined;
    });
  }
  return out;
}

/**
 * The lock facts of each frame whose file exists on this machine, keyed `file:line` (the
 * frame's own file name). Frames elsewhere (the standard library on another machine,
 * vendored code, generated wrappers) are left out. Never throws for unreadable files.
 */
export function locksOfFrames(frames: readonly FrameRef[], opts: { mapPath?: (file: string) => string; cache?: PackageCache } = {}): Map<string, FrameLocks> {
  const out = new Map<string, FrameLocks>();
  const cache = opts.cache ?? new PackageCache();
  for (const fr of frames) {
    const key = `${fr.file}:${fr.line}`;
    if (out.has(key)) continue;
    const local = path.resolve(opts.mapPath ? opts.mapPath(fr.file) : fr.file);
    if (!local.endsWith('.go') || !fs.existsSync(local)) continue;
    const at = cache.file(local);
    if (!at) continue;
    try {
      const fl = frameLocks(at.pkg.facts, at.sf, fr.line);
      if (fl) out.set(key, fl);
    } catch {
      // an analysis failure explains nothing
    }
  }
  return out;
}
