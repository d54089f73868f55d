/**
 * @fileoverview Finds Go packages the way the `go` command does.
 *
 * - Arguments are directories, `.go` files, or `dir/...` patterns (`./...`).
 * - Recursive patterns skip `vendor/`, `testdata/` and directories whose names start
 *   with `.` or `_` (cmd/go/internal/search: "Directory and file names that begin with
 *   "." or "_" are ignored by the go tool, as are directories named "testdata"").
 * - Files whose names start with `.` or `_` are ignored; `_test.go` files are included
 *   unless `tests` is false.
 * - Files are grouped into packages by directory and package clause (`x` and `x_test`
 *   are two packages), which happens after reading, in `groupPackages`.
 * - The nearest `go.mod` gives the module path and the `go` version.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Module information from the nearest go.mod. */
export interface ModuleInfo {
  /** Directory holding go.mod. */
  dir: string;
  /** The `module` path ('' if missing). */
  path: string;
  /** The `go` directive, e.g. "1.22" or "1.23.4" (undefined when absent). */
  goVersion?: string;
  /** `godebug` settings of go.mod (Go 1.23+), e.g. `{ asynctimerchan: '1' }`. */
  godebug?: Record<string, string>;
}

/** A directory of Go files to analyse (before grouping by package clause). */
export interface DirSpec {
  dir: string;
  files: string[];
  module?: ModuleInfo;
  /** The import path, when under a module (module path + relative dir). */
  importPath: string;
}

/** Result of expanding command-line targets. */
export interface Expansion {
  dirs: DirSpec[];
  /** Human-readable messages (e.g. "no Go files in ./x"). */
  notices: string[];
}

/** A user error (bad argument): the CLI prints `message` and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface LoadOptions {
  /** Include `_test.go` files (default true). */
  tests?: boolean;
  /** Directory relative targets are resolved against (default process.cwd()). */
  cwd?: string;
  /** Absolute paths to leave out (config `exclude`). */
  isExcluded?: (absPath: string) => boolean;
}

const SKIP_DIRS = new Set(['vendor', 'testdata', 'node_modules']);

/**
 * Whether the go command reads a file of this name as Go source of its package: `.go`, not
 * starting with `.` or `_` (go/build ignores those), and `_test.go` only when `tests` is set.
 */
export function isGoSourceName(name: string, tests: boolean): boolean {
  return name.endsWith('.go') && !name.startsWith('.') && !name.startsWith('_') && (tests || !name.endsWith('_test.go'));
}

/**
 * Expands targets into directories with their Go files.
 * Throws UsageError for a path that does not exist.
 */
export function expandTargets(targets: string[], opts: LoadOptions = {}): Expansion {
  const tests = opts.tests ?? true;
  const byDir = new Map<string, Set<string>>();
  const notices: string[] = [];
  const add = (dir: string, file: string): void => {
    let s = byDir.get(dir);
    if (!s) byDir.set(dir, (s = new Set()));
    s.add(file);
  };
  const wantFile = (name: string): boolean => isGoSourceName(name, tests);

  let recursiveWalk = false;
  for (const raw of targets.length ? targets : ['.']) {
    const recursive = raw === '...' || raw.endsWith('/...') || raw.endsWith(path.sep + '...');
    const base = recursive ? raw.slice(0, -3) || '.' : raw;
    const abs = path.resolve(opts.cwd ?? process.cwd(), base);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      throw new UsageError(`${raw}: no such file or directory`);
    }
    const before = countFiles(byDir);
    let found = 0; // files this argument names, even when an earlier argument named them too
    if (st.isFile()) {
      if (!abs.endsWith('.go')) throw new UsageError(`${raw}: not a .go file or directory`);
      if (!opts.isExcluded?.(abs)) {
        add(path.dirname(abs), abs);
        found++;
      }
    } else if (st.isDirectory()) {
      const seen = new Set<string>();
      const visit = (dir: string, top: boolean): void => {
        let real: string;
        try {
          real = fs.realpathSync(dir);
        } catch {
          notices.push(`${rel(dir)}: cannot resolve path; skipped`);
          return;
        }
        // Symlink loops: a directory reached twice through links is visited once.
        if (seen.has(real)) return;
        seen.add(real);
        let entries: fs.Dirent[];
        try {
          entries = fs.readdirSync(dir, { withFileTypes: true });
        } catch (e) {
          notices.push(`${rel(dir)}: cannot read directory (${(e as NodeJS.ErrnoException).code ?? 'error'}); skipped`);
          return;
        }
        entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        for (const e of entries) {
          const p = path.join(dir, e.name);
          let isDir = e.isDirectory();
          let isFile = e.isFile();
          if (e.isSymbolicLink()) {
            try {
              const s = fs.statSync(p);
              isDir = s.isDirectory();
              isFile = s.isFile();
            } catch {
              continue; // dangling link
            }
          }
          if (isFile && wantFile(e.name) && !opts.isExcluded?.(p)) {
            add(dir, p);
            found++;
          }
          else if (isDir && (recursive || recursiveWalk)) {
            if (SKIP_DIRS.has(e.name) || e.name.startsWith('.') || e.name.startsWith('_')) continue;
            if (opts.isExcluded?.(p)) continue;
            visit(p, false);
          }
        }
        void top;
      };
      visit(abs, true);
      // A directory with no Go files of its own (a repository root, `examples/`): check the
      // tree below it, as `dir/...` would, and say so.
      if (!recursive && found === 0) {
        seen.clear();
        recursiveWalk = true;
        visit(abs, true);
        recursiveWalk = false;
        if (countFiles(byDir) !== before) notices.push(`${raw} has no Go files of its own; checked ${raw.replace(/\/$/, '')}/... instead`);
      }
      // A user who types `check repo` on a root with Go files of its own gets only that one
      // package; say what lies below so `repo/...` is one step away.
      else if (!recursive && found > 0) {
        const below = countPackageDirsBelow(abs, opts.isExcluded);
        if (below > 0) notices.push(`${raw}: checked the package in this directory only; ${below} more package director${below === 1 ? 'y lies' : 'ies lie'} below it (use ${raw.replace(/\/$/, '')}/... to check them too)`);
      }
    } else {
      throw new UsageError(`${raw}: not a regular file or directory`);
    }
    if (found === 0 && countFiles(byDir) === before) notices.push(`no Go files in ${raw}`);
  }

  const modCache = new Map<string, ModuleInfo | undefined>();
  const dirs: DirSpec[] = [];
  for (const [dir, files] of [...byDir.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const module = findModule(dir, modCache);
    const relDir = module ? path.relative(module.dir, dir).split(path.sep).join('/') : '';
    const importPath = module ? (relDir ? `${module.path}/${relDir}` : module.path) : path.basename(dir);
    dirs.push({ dir, files: [...files].sort(), module, importPath });
  }
  return { dirs, notices: [...new Set(notices)] };
}

/**
 * Counts the directories below `root` (not `root` itself) that hold `.go` files, walking as
 * `dir/...` would (skipping vendor, testdata, dot and underscore directories); stops early
 * past 10,000 directories so a huge tree does not slow a one-package check down.
 */
function countPackageDirsBelow(root: string, isExcluded?: (p: string) => boolean): number {
  let count = 0;
  let visited = 0;
  const stack = [root];
  while (stack.length > 0 && visited < 10_000) {
    const dir = stack.pop() as string;
    visited++;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    if (dir !== root && entries.some((e) => e.isFile() && isGoSourceName(e.name, true))) count++;
    for (const e of entries) {
      if (!e.isDirectory() || SKIP_DIRS.has(e.name) || e.name.startsWith('.') || e.name.startsWith('_')) continue;
      const p = path.join(dir, e.name);
      if (!isExcluded?.(p)) stack.push(p);
    }
  }
  return count;
}

function countFiles(m: Map<string, Set<string>>): number {
  let n = 0;
  for (const s of m.values()) n += s.size;
  return n;
}

function rel(p: string): string {
  return path.relative(process.cwd(), p) || '.';
}

/** Finds and parses the nearest go.mod at or above `dir` (cached per directory). */
export function findModule(dir: string, cache = new Map<string, ModuleInfo | undefined>()): ModuleInfo | undefined {
  const chain: string[] = [];
  let found: ModuleInfo | undefined;
  for (let d = dir; ; ) {
    if (cache.has(d)) {
      found = cache.get(d);
      break;
    }
    chain.push(d);
    const gm = path.join(d, 'go.mod');
    let text: string | undefined;
    try {
      text = fs.readFileSync(gm, 'utf8');
    } catch {
      text = undefined;
    }
    if (text !== undefined) {
      found = { dir: d, ...parseGoMod(text) };
      break;
    }
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  for (const d of chain) cache.set(d, found);
  return found;
}

/**
 * Reads the `module`, `go` and `godebug` directives of a go.mod file
 * (golang.org/ref/mod#go-mod-file-grammar; `godebug key=value` and the block form
 * `godebug ( ... )` since Go 1.23, golang.org/ref/mod#go-mod-file-godebug).
 */
export function parseGoMod(text: string): { path: string; goVersion?: string; godebug?: Record<string, string> } {
  let modPath = '';
  let goVersion: string | undefined;
  let godebug: Record<string, string> | undefined;
  let inGodebugBlock = false;
  const setting = (kv: string): void => {
    const m = /^([\w.-]+)=(\S+)$/.exec(kv.trim());
    if (m) (godebug ??= {})[m[1] as string] = m[2] as string;
  };
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/\/\/.*$/, '').trim();
    if (inGodebugBlock) {
      if (line === ')') inGodebugBlock = false;
      else setting(line);
      continue;
    }
    const m = /^module\s+("?)([^"\s]+)\1$/.exec(line);
    if (m) modPath = m[2] as string;
    const g = /^go\s+(\d+\.\d+(?:\.\d+)?(?:rc\d+)?)$/.exec(line);
    if (g) goVersion = g[1];
    const d = /^godebug\s+(.*)$/.exec(line);
    if (d) {
      if ((d[1] as string).trim() === '(') inGodebugBlock = true;
      else setting(d[1] as string);
    }
  }
  return { path: modPath, ...(goVersion ? { goVersion } : {}), ...(godebug ? { godebug } : {}) };
}

/** Compares Go versions like "1.22", "1.23.4" and "1.21rc1" (go/version order: 1.21rc1 < 1.21.0). */
export function compareGoVersions(a: string, b: string): number {
  const key = (v: string): number[] => {
    const m = /^(?:go)?(\d+)(?:\.(\d+))?(?:\.(\d+)|(rc|beta)(\d+))?/.exec(v);
    if (!m) return [0, 0, 0, 0];
    // A pre-release sorts before the .0 release: patch -2 for beta, -1 for rc.
    const patch = m[3] !== undefined ? Number(m[3]) : m[4] === 'rc' ? -1 : m[4] === 'beta' ? -2 : 0;
    return [Number(m[1]), Number(m[2] ?? 0), patch, Number(m[5] ?? 0)];
  };
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < 4; i++) {
    const d = (ka[i] as number) - (kb[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The directory of the package `importPath` names when imported from a package of module
 * `mod`, if it lies in that module: below the module root (`<module path>/x/y` → `<root>/x/y`,
 * unless `x/y` has a go.mod of its own, which makes it another module), in the module's
 * `vendor/` directory, or — for the standard library's own module `std` (and `cmd`), whose import
 * paths are directories of `$GOROOT/src` — there. Undefined for anything else (the standard
 * library seen from a user module, modules outside vendor/): cmd/go's `go list` rules for one
 * module, without reading the module cache.
 */
export function packageDir(importPath: string, mod: ModuleInfo, cache?: Map<string, ModuleInfo | undefined>): string | undefined {
  let rel: string | undefined;
  if (importPath === mod.path) rel = '';
  else if (importPath.startsWith(mod.path + '/')) rel = importPath.slice(mod.path.length + 1);
  else if (mod.path === 'std' && !(importPath.split('/')[0] as string).includes('.') && !importPath.startsWith('cmd/')) rel = importPath;
  else if (mod.path === 'cmd' && importPath.startsWith('cmd/')) rel = importPath.slice(4);
  if (rel !== undefined) {
    const bad = (p: string): boolean => p === '' || p === 'vendor' || p === 'testdata' || p.startsWith('.') || p.startsWith('_');
    if (rel !== '' && rel.split('/').some(bad)) return undefined;
    const dir = rel === '' ? mod.dir : path.join(mod.dir, ...rel.split('/'));
    // A directory with a go.mod of its own is another module (a nested module is not part of its parent).
    return isDir(dir) && findModule(dir, cache)?.dir === mod.dir ? dir : undefined;
  }
  if (importPath.split('/').some((p) => p === '' || p === '.' || p === '..')) return undefined;
  const vendored = path.join(mod.dir, 'vendor', ...importPath.split('/'));
  return isDir(vendored) ? vendored : undefined;
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
