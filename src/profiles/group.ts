/**
 * @fileoverview Groups goroutines by blocking site and stack, in the spirit of
 * maruel/panicparse's similarity levels:
 *
 * - `exact`: same state, same frames including argument words and PC offsets;
 * - `similar` (default): same state and same function/file/line for every
 *   frame and for the creator (argument values and offsets ignored);
 * - `site`: same state and same blocking site (top user frame) only.
 *
 * The blocking site ({@link blockingSite}) is the innermost frame outside the
 * standard library, so a goroutine parked in `sync.(*Mutex).Lock` is reported
 * at the user line that called Lock, which is where the fix goes.
 */
import type { Frame, Goroutine, GoroutineProfile } from './model.js';

/** Similarity level for {@link groupGoroutines}. */
export type Similarity = 'exact' | 'similar' | 'site';

/** A set of goroutines considered the same. */
export interface GoroutineGroup {
  /** Stable key used by diff/trend to match groups across snapshots. */
  key: string;
  /** Number of goroutines (sum of record counts). */
  count: number;
  state: string;
  /** Min/max of `, N minutes` (a goroutine without it waited < 1 minute, counted as 0); absent when the format has no wait times. */
  waitMinutes?: { min: number; max: number };
  /** Blocking site: innermost non-standard-library frame (or the innermost frame). */
  location: Frame;
  /** Representative stack (of the first member). */
  stack: Frame[];
  createdBy?: Frame & { goroutineId?: number };
  /** Labels shared (same key and value) by every member. */
  labels: Record<string, string>;
  /** Goroutine ids (debug=2 family), in input order. */
  ids: number[];
  /** Members marked `(leaked)` by the runtime or read from a goroutineleak profile. */
  leakedCount: number;
  lockedToThread: boolean;
  durable: boolean;
  /** Members (records) of the group. */
  members: Goroutine[];
}

/**
 * Top-level import paths of the Go standard library (go list std, Go 1.26).
 * Used to tell user code from library plumbing without access to GOROOT.
 */
const STD_ROOTS = new Set([
  'archive', 'bufio', 'bytes', 'cmp', 'compress', 'container', 'context', 'crypto', 'database', 'debug',
  'embed', 'encoding', 'errors', 'expvar', 'flag', 'fmt', 'go', 'hash', 'html', 'image', 'index', 'internal',
  'io', 'iter', 'log', 'maps', 'math', 'mime', 'net', 'os', 'path', 'plugin', 'reflect', 'regexp', 'runtime',
  'slices', 'sort', 'strconv', 'strings', 'structs', 'sync', 'syscall', 'testing', 'text', 'time', 'unicode',
  'unique', 'unsafe', 'weak', 'vendor', 'panic', 'non-Go function at pc',
]);

/** Import path of the package a function belongs to (`net/http.(*Server).Serve` -> `net/http`). */
export function packageOf(fn: string): string {
  const slash = fn.lastIndexOf('/');
  const dot = fn.indexOf('.', slash + 1);
  return dot < 0 ? fn : fn.slice(0, dot);
}

/** True for functions of the Go standard library (and the runtime). */
export function isStdlib(fn: string): boolean {
  const pkg = packageOf(fn);
  const first = pkg.split('/', 1)[0]!;
  if (first.includes('.')) return false;
  if (pkg === 'main') return false;
  return STD_ROOTS.has(first) || first.startsWith('golang.org');
}

/**
 * The innermost frame outside the standard library. Stacks made only of
 * library frames fall back to the innermost frame outside runtime, internal
 * and sync (e.g. `net.(*netFD).accept`), and stacks made only of runtime
 * frames to their entry function (e.g. `runtime.bgsweep`), since their
 * innermost frames are the scheduler's own (`runtime.gopark`).
 */
export function blockingSite(frames: readonly Frame[]): Frame {
  let roots: string[] | undefined;
  for (const f of frames) {
    if (isStdlib(f.function)) continue;
    if (f.function.includes('[') && isStdlibFile(f.file, (roots ??= gorootSources(frames)))) continue;
    return f;
  }
  for (const f of frames) {
    const pkg = packageOf(f.function);
    if (pkg !== 'runtime' && !pkg.startsWith('internal/') && pkg !== 'sync') return f;
  }
  for (let i = frames.length - 1; i >= 0; i--) if (frames[i]!.function !== 'runtime.goexit') return frames[i]!;
  return frames[0] ?? { function: '?', file: '', line: 0 };
}

/**
 * The frames of a stack that are the program's own source: `.go` files outside the standard
 * library, by function name and, for instantiated generic library functions, by file
 * (see {@link isStdlibFile}). The evidence readers and reports look for findings on these.
 */
export function userFrames(frames: readonly Frame[]): Frame[] {
  let roots: string[] | undefined;
  return frames.filter((f) => f.file.endsWith('.go') && !isStdlib(f.function) && !(f.function.includes('[') && isStdlibFile(f.file, (roots ??= gorootSources(frames)))));
}

/**
 * The `…/src/` directories the standard-library frames of a stack were built from
 * (`/usr/local/go/src/` for `sync.(*Once).Do /usr/local/go/src/sync/once.go`).
 */
function gorootSources(frames: readonly Frame[]): string[] {
  const roots = new Set<string>();
  for (const f of frames) {
    if (!isStdlib(f.function) || !f.file.startsWith('/')) continue;
    const suffix = `/src/${packageOf(f.function)}/`;
    const at = f.file.lastIndexOf(suffix);
    if (at >= 0 && f.file.indexOf('/', at + suffix.length) < 0) roots.add(f.file.slice(0, at + 5));
  }
  return [...roots];
}

/**
 * True when a file is standard-library source. The compiler names the instantiation of a
 * generic library function after the package that instantiates it
 * (`main.init.OnceValue[...].func2` in `GOROOT/src/sync/oncefunc.go`, see
 * cmd/compile/internal/noder's instantiated closure names), so the function name alone takes
 * that frame for user code. The file says otherwise: it lies under the GOROOT seen in the
 * stack's own library frames, or, in a `-trimpath` build, it is a relative path whose
 * directory is a standard-library package (`sync/oncefunc.go`).
 */
function isStdlibFile(file: string, roots: readonly string[]): boolean {
  if (file.startsWith('/')) return roots.some((r) => file.startsWith(r));
  const dir = file.slice(0, file.lastIndexOf('/'));
  return dir !== '' && !dir.split('/', 1)[0]!.includes('.') && isStdlib(`${dir}.x`);
}

/** `function file:line` for display and keys. */
export function frameString(f: Frame): string {
  return `${f.function} ${f.file}:${f.line}`;
}

/** The grouping key of a goroutine under a similarity level. */
export function groupKey(g: Goroutine, similarity: Similarity): string {
  if (similarity === 'site') return `${g.state}\n${frameString(blockingSite(g.frames))}`;
  let k = g.state;
  for (const f of g.frames) {
    k += '\n' + f.function + ' ' + f.file + ':' + f.line;
    if (similarity === 'exact') k += '(' + (f.args ?? '') + ')+' + (f.offset ?? '');
  }
  if (g.createdBy) k += '\ncreated by ' + frameString(g.createdBy);
  if (g.stackUnavailable) k += '\n<stack unavailable>';
  return k;
}

/** Options for {@link groupGoroutines}. */
export interface GroupOptions {
  similarity?: Similarity;
}

/**
 * Groups the goroutines of a profile; groups are sorted by count (descending),
 * then by location for a stable order.
 */
export function groupGoroutines(profile: GoroutineProfile | readonly Goroutine[], options: GroupOptions = {}): GoroutineGroup[] {
  const similarity = options.similarity ?? 'similar';
  const list = Array.isArray(profile) ? (profile as readonly Goroutine[]) : (profile as GoroutineProfile).goroutines;
  const hasWaitTimes = !Array.isArray(profile) && ['debug2', 'panic', 'test-timeout', 'sigquit', 'goleak'].includes((profile as GoroutineProfile).format);
  const byKey = new Map<string, GoroutineGroup>();
  for (const g of list) {
    const key = groupKey(g, similarity);
    let grp = byKey.get(key);
    if (!grp) {
      grp = {
        key,
        count: 0,
        state: g.state,
        location: blockingSite(g.frames),
        stack: g.frames,
        labels: { ...g.labels },
        ids: [],
        leakedCount: 0,
        lockedToThread: false,
        durable: false,
        members: [],
      };
      if (g.createdBy) grp.createdBy = g.createdBy;
      byKey.set(key, grp);
    } else {
      for (const k of Object.keys(grp.labels)) if (g.labels[k] !== grp.labels[k]) delete grp.labels[k];
    }
    grp.count += g.count;
    grp.members.push(g);
    if (g.id !== undefined) grp.ids.push(g.id);
    if (g.leaked) grp.leakedCount += g.count;
    if (g.lockedToThread) grp.lockedToThread = true;
    if (g.durable) grp.durable = true;
    if (hasWaitTimes || g.waitMinutes !== undefined) {
      const m = g.waitMinutes ?? 0;
      if (!grp.waitMinutes) grp.waitMinutes = { min: m, max: m };
      else {
        if (m < grp.waitMinutes.min) grp.waitMinutes.min = m;
        if (m > grp.waitMinutes.max) grp.waitMinutes.max = m;
      }
    }
  }
  return [...byKey.values()].sort(
    (a, b) => b.count - a.count || frameString(a.location).localeCompare(frameString(b.location)) || a.key.localeCompare(b.key),
  );
}
