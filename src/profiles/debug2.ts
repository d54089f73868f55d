/**
 * @fileoverview Streaming parser for full goroutine dumps: `?debug=2`
 * (`runtime.Stack(buf, true)` via runtime/pprof/pprof.go writeGoroutineStacks),
 * and the same text inside panic / `fatal error:` output, `go test` timeout
 * panics, SIGQUIT dumps and go.uber.org/goleak failure messages. The dump is
 * located inside surrounding log text.
 *
 * Shape (Go 1.26 runtime/traceback.go):
 *
 *     goroutine <id>[ gp=0x.. m=N mp=0x..] [<status|waitreason>[ (leaked)][ (scan)][ (durable)][, N minutes][, locked to thread][, synctest bubble N][ labels:{"k": "v"}]]:
 *     pkg.fn(args)                    // printFuncName + printArgs; `(...)` when inlined
 *     \t/path/file.go:12 +0x1d[ fp=.. sp=.. pc=..]
 *     ...N frames elided...           // 1.21+; `...additional frames elided...` up to 1.20
 *     created by pkg.fn in goroutine N   // `in goroutine N` since 1.21 (printcreatedby1)
 *     \t/path/file.go:9 +0x5f
 *     <blank line between goroutines, printed before each header by tracebackothers>
 *
 * `\tgoroutine running on other thread; stack unavailable` replaces the frames
 * of goroutines running on another M (tracebackothers). Older Go printed
 * `(scan)` before `(leaked)`/`(durable)`; the order is not relied upon.
 *
 * The goleak variant (go.uber.org/goleak v1.3 `stack.Stack.String`) replaces
 * the header with `[Goroutine N in state S, with F on top of the stack:` and
 * indents every line (t.Errorf), which is why leading spaces are stripped.
 *
 * Performance: text is consumed in chunks through {@link LineSplitter}; lines
 * are dispatched on their first character, function names, file locations and
 * header brackets are interned, and every string kept in the result is
 * flattened ({@link flat}) so the chunks themselves can be collected. With
 * `onGoroutine` the parser keeps nothing, so memory does not grow with input.
 */
import { MalformedProfileError, UnrecognizedFormatError } from './errors.js';
import { LineSplitter } from './input.js';
import type { Frame, Goroutine, GoroutineFormat, GoroutineProfile } from './model.js';
import { flat, parseLabelSet, splitFileLine } from './text.js';

/** Options for {@link parseGoroutineDump} and {@link GoroutineDumpParser}. */
export interface GoroutineDumpOptions {
  /**
   * Streaming mode: called for each complete goroutine, which is then not kept
   * (`GoroutineProfile.goroutines` stays empty). Memory no longer grows with the dump.
   */
  onGoroutine?: (g: Goroutine) => void;
  /** Keep frame argument words (default true). They are unique per goroutine, so dropping them saves memory. */
  keepArgs?: boolean;
}

/** Size at which runtime/pprof writeGoroutineStacks stops: "Filled 64 MB - stop there." */
export const DEBUG2_CAP_BYTES = 64 << 20;

const enum St {
  Outside,
  Frame,
  Location,
  CreatedLocation,
  AfterCreated,
  Ancestors,
}

/** The parsed bracket of a debug=2 goroutine header (see {@link parseHeaderBracket}). */
export interface HeaderInfo {
  state: string;
  scan: boolean;
  leaked: boolean;
  durable: boolean;
  waitMinutes: number | undefined;
  lockedToThread: boolean;
  bubble: number | undefined;
  labels: Record<string, string> | undefined;
}

interface Loc {
  file: string;
  line: number;
  offset: string | undefined;
  /** Interned frames at this location by function name, for frames without argument words. */
  frames: Map<string, Frame> | undefined;
}

/** Decorations the runtime appends to the status inside the brackets. */
const STATUS_FLAGS = [' (scan)', ' (leaked)', ' (durable)'] as const;

/**
 * Parses the text between `[` and `]:` of a goroutine header
 * (runtime/traceback.go goroutineheader). Returns null if the label set is broken.
 */
export function parseHeaderBracket(content: string): HeaderInfo | null {
  let labels: Record<string, string> | undefined;
  const li = content.indexOf(' labels:{');
  if (li >= 0) {
    const parsed = parseLabelSet(content.slice(li + 8));
    if (!parsed) return null;
    labels = {};
    for (const [k, v] of Object.entries(parsed)) labels[flat(k)] = flat(v);
    content = content.slice(0, li);
  }
  const parts = content.split(', ');
  let state = parts[0] ?? '';
  let scan = false;
  let leaked = false;
  let durable = false;
  for (let changed = true; changed; ) {
    changed = false;
    for (const f of STATUS_FLAGS) {
      if (state.endsWith(f)) {
        state = state.slice(0, -f.length);
        if (f === ' (scan)') scan = true;
        else if (f === ' (leaked)') leaked = true;
        else durable = true;
        changed = true;
      }
    }
  }
  if (state === 'leaked') leaked = true; // _Gleaked with no wait reason
  let waitMinutes: number | undefined;
  let lockedToThread = false;
  let bubble: number | undefined;
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i]!;
    if (p === 'locked to thread') lockedToThread = true;
    else if (p.endsWith(' minutes')) {
      const n = Number(p.slice(0, -8));
      if (Number.isFinite(n)) waitMinutes = n;
    } else if (p.startsWith('synctest bubble ')) {
      const n = Number(p.slice(16));
      if (Number.isFinite(n)) bubble = n;
    }
    // Unknown decorations from future Go versions are ignored on purpose.
  }
  return { state: flat(state), scan, leaked, durable, waitMinutes, lockedToThread, bubble, labels };
}

function newGoroutine(id: number | undefined, h: HeaderInfo, sourceLine: number): Goroutine {
  const g: Goroutine = {
    id,
    count: 1,
    state: h.state,
    waitMinutes: h.waitMinutes,
    leaked: h.leaked,
    lockedToThread: h.lockedToThread,
    scan: h.scan,
    durable: h.durable,
    bubble: h.bubble,
    labels: h.labels ? { ...h.labels } : {},
    frames: [],
    createdBy: undefined,
    elided: false,
    stackUnavailable: false,
    gp: undefined,
    m: undefined,
    sourceLine,
  };
  return g;
}

/** Parses a non-negative decimal integer in s[start, end), or -1. */
function parseUint(s: string, start: number, end: number): number {
  if (end <= start) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * Incremental debug=2 / panic dump parser. Feed chunks with {@link push},
 * then call {@link finish}.
 *
 * @example
 * const p = new GoroutineDumpParser('dump.txt', { onGoroutine: g => groups.add(g) });
 * for await (const chunk of fs.createReadStream('dump.txt')) p.push(chunk);
 * const summary = p.finish();
 */
export class GoroutineDumpParser {
  private readonly splitter: LineSplitter;
  private readonly goroutines: Goroutine[] = [];
  private readonly keepArgs: boolean;
  private readonly onGoroutine: ((g: Goroutine) => void) | undefined;
  private st: St = St.Outside;
  private cur: Goroutine | null = null;
  private pendingFn = '';
  private pendingArgs: string | undefined;
  private pendingCreated: { function: string; goroutineId?: number } | null = null;
  private readonly fnCache = new Map<string, string>();
  private readonly locCache = new Map<string, Loc>();
  private readonly headerCache = new Map<string, HeaderInfo>();
  private total = 0;
  private count = 0;
  private leakSeen = false;
  private truncated = false;
  private format: GoroutineFormat = 'debug2';
  private panicMessage: string | undefined;
  private runningTests: string[] | undefined;
  private collectingTests = false;
  private failedTest: string | undefined;
  private minVer = 0;
  private maxVer = Infinity;
  private lastLineFinal = false;
  private lastLineComplete = true;

  constructor(
    private readonly source: string,
    options: GoroutineDumpOptions = {},
  ) {
    this.keepArgs = options.keepArgs ?? true;
    this.onGoroutine = options.onGoroutine;
    this.splitter = new LineSplitter((line, no, final) => this.line(line, no, final), source);
  }

  /** Feeds a chunk of the dump (bytes are decoded as UTF-8). */
  push(chunk: Uint8Array | string): void {
    this.splitter.push(chunk);
  }

  /**
   * Ends the input and returns the profile. Throws {@link UnrecognizedFormatError}
   * when no goroutine header was found at all.
   */
  finish(): GoroutineProfile {
    const endedWithNewline = this.splitter.end();
    const size = this.splitter.size;
    // A dump cut by writeGoroutineStacks' 64 MiB cap, or by a crashed writer:
    // the last goroutine is incomplete when it is waiting for a location line,
    // has no frames yet, or its last line was unterminated and not complete.
    if (this.cur) {
      const incomplete =
        this.st === St.Location ||
        this.st === St.CreatedLocation ||
        (this.cur.frames.length === 0 && !this.cur.stackUnavailable && this.st === St.Frame) ||
        (!endedWithNewline && this.lastLineFinal && !this.lastLineComplete) ||
        size === DEBUG2_CAP_BYTES;
      if (incomplete) {
        this.truncated = true;
        this.cur = null;
        this.st = St.Outside;
      } else {
        this.endGoroutine();
      }
    } else if (size === DEBUG2_CAP_BYTES) {
      this.truncated = true;
    }
    if (this.count === 0 && !this.truncated) {
      throw new UnrecognizedFormatError(this.source, 'no goroutine dump found');
    }
    const profile: GoroutineProfile = {
      kind: 'goroutine',
      source: this.source,
      format: this.format,
      goroutines: this.goroutines,
      total: this.total,
      truncated: this.truncated,
      leakProfile: this.leakSeen,
    };
    const hint = versionHint(this.minVer, this.maxVer);
    if (hint) profile.goVersionHint = hint;
    if (this.panicMessage !== undefined) profile.panicMessage = this.panicMessage;
    if (this.runningTests) profile.runningTests = this.runningTests;
    if (this.failedTest) profile.failedTest = this.failedTest;
    return profile;
  }

  private version(min: number, max = Infinity): void {
    if (min > this.minVer) this.minVer = min;
    if (max < this.maxVer) this.maxVer = max;
  }

  private endGoroutine(): void {
    const g = this.cur;
    this.cur = null;
    this.st = St.Outside;
    if (!g) return;
    this.count++;
    this.total += g.count;
    if (g.leaked) this.leakSeen = true;
    if (this.onGoroutine) this.onGoroutine(g);
    else this.goroutines.push(g);
  }

  private malformed(reason: string, lineNo: number): never {
    throw new MalformedProfileError(this.source, reason, lineNo);
  }

  private line(raw: string, lineNo: number, final: boolean): void {
    this.lastLineFinal = final;
    this.lastLineComplete = true;
    let line = raw;
    if (this.st !== St.Outside) {
      // goleak indents every line of its message (t.Errorf); real dumps never
      // start a line with a space.
      if (line.charCodeAt(0) === 32) {
        let k = 1;
        while (line.charCodeAt(k) === 32) k++;
        line = line.slice(k);
      }
      const c = line.charCodeAt(0);
      if (line.length === 0) {
        this.endGoroutine();
        return;
      }
      switch (this.st) {
        case St.Location:
        case St.CreatedLocation:
          if (c === 9) {
            this.location(line, lineNo, final);
            return;
          }
          // A function line not followed by its location: the dump is
          // interleaved with other output. Keep the frame without a location.
          this.flushPendingFrame(undefined);
          break;
        case St.Frame:
        case St.AfterCreated:
          if (c === 9 && line.startsWith('\tgoroutine running on other thread')) {
            this.cur!.stackUnavailable = true;
            return;
          }
          if (c === 46 && line.startsWith('...') && line.endsWith(' elided...')) {
            // runtime/traceback.go: "...N frames elided..." (1.21+) and
            // "...additional frames elided..." (<= 1.20, and ancestors).
            const n = parseUint(line, 3, line.indexOf(' '));
            if (n >= 0) {
              this.cur!.elided = n;
              this.version(21);
            } else {
              this.cur!.elided = true;
              this.version(0, 20);
            }
            return;
          }
          if (c === 99 && line.startsWith('created by ')) {
            const rest = line.slice(11);
            const k = rest.lastIndexOf(' in goroutine ');
            if (k >= 0) {
              const id = parseUint(rest, k + 14, rest.length);
              this.pendingCreated = { function: this.fn(rest.slice(0, k)), goroutineId: id >= 0 ? id : undefined };
              this.version(21);
            } else {
              // No "in goroutine": Go <= 1.20, or a goroutine started by the
              // runtime itself (parentGoid 0, e.g. time.goFunc) on any version.
              this.pendingCreated = { function: this.fn(rest) };
            }
            this.st = St.CreatedLocation;
            return;
          }
          if (c === 91 && line.startsWith('[originating from goroutine ')) {
            // GODEBUG=tracebackancestors: ancestor stacks are not this goroutine's frames.
            this.st = St.Ancestors;
            return;
          }
          if (line.charCodeAt(line.length - 1) === 41 && this.st === St.Frame) {
            const open = line.lastIndexOf('(');
            if (open > 0) {
              this.pendingFn = this.fn(line.slice(0, open));
              this.pendingArgs = this.keepArgs ? flat(line.slice(open + 1, -1)) : undefined;
              this.st = St.Location;
              this.lastLineComplete = false;
              return;
            }
          }
          if (line.startsWith('non-Go function at pc=')) {
            this.cur!.frames.push({ function: flat(line), file: '', line: 0 });
            return;
          }
          break;
        case St.Ancestors:
          if (c === 9 || line.endsWith(')') || line.startsWith('created by ') || line.startsWith('...') || line.startsWith('[originating')) return;
          break;
      }
      // Anything else ends the goroutine; re-read the line as surrounding text.
      if (this.cur && line.charCodeAt(0) === 93 /* ']' goleak list end */) {
        this.endGoroutine();
        return;
      }
      if (final && (this.cur?.frames.length === 0 || looksLikeCutFrame(line))) {
        // The unterminated last line is the start of a frame or the goroutine
        // has no frames yet: the dump was cut here.
        this.truncated = true;
        this.cur = null;
        this.st = St.Outside;
        return;
      }
      this.endGoroutine();
      line = raw;
    }
    this.outside(line, lineNo, final);
  }

  private fn(name: string): string {
    let v = this.fnCache.get(name);
    if (v === undefined) {
      v = flat(name);
      if (this.fnCache.size > 200_000) this.fnCache.clear();
      this.fnCache.set(v, v);
      if (v.startsWith('internal/sync.')) this.version(24);
    }
    return v;
  }

  private location(line: string, lineNo: number, final: boolean): void {
    // Fast path: the whole line is a cache key (locations repeat across
    // goroutines). On a miss, strip GOTRACEBACK=system register fields
    // (` fp=.. sp=.. pc=..`, unique per frame) so the key repeats.
    let key = line;
    let loc = this.locCache.get(key);
    if (loc === undefined) {
      const fp = line.indexOf(' fp=');
      if (fp >= 0) {
        key = line.slice(0, fp);
        loc = this.locCache.get(key);
      }
    }
    if (loc === undefined) {
      const s = key.slice(1);
      const fl = splitFileLine(s);
      if (!fl) {
        if (final) {
          this.lastLineComplete = false;
          return;
        }
        this.malformed(`expected "\\tfile:line" after a stack frame, got ${JSON.stringify(line.slice(0, 80))}`, lineNo);
      }
      const off = s.indexOf(' +0x', fl.end - 1);
      let offset: string | undefined;
      if (off >= 0) {
        offset = s.slice(off + 2).trim();
        if (!/^0x[0-9a-f]+$/.test(offset)) {
          if (final) {
            this.lastLineComplete = false;
            return;
          }
          this.malformed(`bad PC offset in ${JSON.stringify(line.slice(0, 80))}`, lineNo);
        }
        offset = flat(offset);
      }
      loc = { file: flat(fl.file), line: fl.line, offset, frames: undefined };
      if (this.locCache.size > 200_000) this.locCache.clear();
      this.locCache.set(flat(key), loc);
    }
    if (this.st === St.CreatedLocation) {
      const c = this.pendingCreated!;
      const cb: Frame & { goroutineId?: number } = { function: c.function, file: loc.file, line: loc.line };
      if (loc.offset !== undefined) (cb as { offset?: string }).offset = loc.offset;
      if (c.goroutineId !== undefined) cb.goroutineId = c.goroutineId;
      this.cur!.createdBy = cb;
      this.pendingCreated = null;
      this.st = St.AfterCreated;
      return;
    }
    this.flushPendingFrame(loc);
  }

  private flushPendingFrame(loc: Loc | undefined): void {
    if (this.st === St.CreatedLocation) {
      const c = this.pendingCreated!;
      this.cur!.createdBy = { function: c.function, file: '', line: 0, goroutineId: c.goroutineId };
      this.pendingCreated = null;
      this.st = St.AfterCreated;
      return;
    }
    const args = this.pendingArgs;
    if (loc && (args === undefined || args === '' || args === '...')) {
      // No per-goroutine data in this frame: share one object per (location,
      // function, args), which keeps large dumps (and GC work) small.
      loc.frames ??= new Map();
      const key = args === '...' ? this.pendingFn + '(...)' : args === '' ? this.pendingFn + '()' : this.pendingFn;
      let f = loc.frames.get(key);
      if (!f) {
        f = { function: this.pendingFn, file: loc.file, line: loc.line, args, offset: loc.offset };
        loc.frames.set(key, f);
      }
      this.cur!.frames.push(f);
      this.st = St.Frame;
      return;
    }
    const f: Frame = {
      function: this.pendingFn,
      file: loc ? loc.file : '',
      line: loc ? loc.line : 0,
      args,
      offset: loc?.offset,
    };
    this.cur!.frames.push(f);
    this.st = St.Frame;
  }

  private outside(line: string, lineNo: number, final: boolean): void {
    const c = line.charCodeAt(0);
    if (c === 103 && line.startsWith('goroutine ')) {
      if (this.header(line, lineNo, final)) return;
    }
    this.context(line, lineNo);
  }

  /** Recognises `goroutine N [..]:`; returns false for prose that merely starts with "goroutine ". */
  private header(line: string, lineNo: number, final: boolean): boolean {
    let i = 10;
    while (i < line.length) {
      const d = line.charCodeAt(i);
      if (d < 48 || d > 57) break;
      i++;
    }
    if (i === 10 || line.charCodeAt(i) !== 32) return false;
    const id = parseUint(line, 10, i);
    const next = line.charCodeAt(i + 1);
    // `[` or `gp=` must follow the id; otherwise this is prose ("goroutine 5 exited").
    if (next !== 91 && !line.startsWith('gp=', i + 1)) return false;
    const open = line.indexOf('[', i);
    if (open < 0 || !line.endsWith(']:')) {
      if (final) {
        this.truncated = true;
        return true;
      }
      if (this.count > 0 && next === 91) this.malformed(`broken goroutine header ${JSON.stringify(line.slice(0, 80))}`, lineNo);
      return false;
    }
    const content = line.slice(open + 1, line.length - 2);
    let h = this.headerCache.get(content);
    if (h === undefined) {
      const parsed = parseHeaderBracket(content);
      if (!parsed) this.malformed(`broken label set in goroutine header`, lineNo);
      h = parsed;
      if (!h.labels) {
        if (this.headerCache.size > 10_000) this.headerCache.clear();
        this.headerCache.set(flat(content), h);
      }
      if (h.leaked) this.version(26);
      if (h.labels) this.version(26);
      if (h.durable || h.bubble !== undefined) this.version(25);
    }
    const g = newGoroutine(id, h, lineNo);
    if (open > i + 2) {
      // " gp=0x.. m=N mp=0x.." or " gp=0x.. m=nil" (GOTRACEBACK=system, runtime crashes)
      for (const kv of line.slice(i + 1, open - 1).split(' ')) {
        if (kv.startsWith('gp=')) g.gp = flat(kv.slice(3));
        else if (kv.startsWith('m=')) g.m = flat(kv.slice(2));
      }
      this.version(21);
    }
    this.cur = g;
    this.st = St.Frame;
    return true;
  }

  /** Surrounding text: panic messages, test names, goleak headers. */
  private context(line: string, lineNo: number): void {
    if (this.collectingTests) {
      // testing/testing.go (*M).startAlarm: "\trunning tests:\n\t\tTestX (2s)\n"
      if (line.startsWith('\t\t')) {
        const t = line.trim();
        const p = t.lastIndexOf(' (');
        this.runningTests!.push(flat(p > 0 ? t.slice(0, p) : t));
        return;
      }
      this.collectingTests = false;
    }
    const t = line.charCodeAt(0) === 32 || line.charCodeAt(0) === 9 ? line.trim() : line;
    if (t.length === 0) return;
    const c = t.charCodeAt(0);
    if (c === 91 || c === 71) {
      // goleak: "[Goroutine 19 in state chan receive, with pkg.f on top of the stack:"
      const s = c === 91 ? t.slice(1).trimStart() : t;
      if (s.startsWith('Goroutine ') && s.endsWith(' on top of the stack:')) {
        const sp = s.indexOf(' ', 10);
        const id = parseUint(s, 10, sp);
        const st = s.indexOf(' in state ');
        const w = s.lastIndexOf(', with ');
        if (id >= 0 && st > 0 && w > st) {
          const h = parseHeaderBracket(s.slice(st + 10, w));
          if (h) {
            this.cur = newGoroutine(id, h, lineNo);
            this.st = St.Frame;
            if (this.format === 'debug2' || this.format === 'panic') this.format = 'goleak';
            return;
          }
        }
      }
    }
    if (t.startsWith('panic: ')) {
      if (t.startsWith('panic: test timed out after ')) this.format = 'test-timeout';
      else if (this.format === 'debug2') this.format = 'panic';
      if (this.panicMessage === undefined) this.panicMessage = flat(t.slice(7));
      return;
    }
    if (t.startsWith('fatal error: ')) {
      if (this.format === 'debug2') this.format = 'panic';
      if (this.panicMessage === undefined) this.panicMessage = flat(t.slice(13));
      return;
    }
    if (t === 'running tests:') {
      this.collectingTests = true;
      this.runningTests ??= [];
      return;
    }
    if (t.startsWith('SIGQUIT: quit')) {
      this.format = 'sigquit';
      return;
    }
    if (t.startsWith('--- FAIL: ')) {
      const name = t.slice(10).split(' ')[0];
      if (name && !this.failedTest) this.failedTest = flat(name);
      return;
    }
    if (t.endsWith('found unexpected goroutines:')) {
      this.format = 'goleak';
    }
  }
}

/** A prefix of a function line or `created by` line (`main.wo`, `created by m`), as opposed to log text such as `FAIL\tpkg`. */
function looksLikeCutFrame(line: string): boolean {
  if (line.startsWith('created by') || line.startsWith('...')) return true;
  return !/[\s]/.test(line) && /[./]/.test(line);
}

function versionHint(min: number, max: number): string | undefined {
  if (min === 0 && max === Infinity) return undefined;
  if (max === Infinity) return `>=1.${min}`;
  if (min === 0) return `<=1.${max}`;
  if (min > max) return `mixed (>=1.${min} and <=1.${max} markers)`;
  return min === max ? `1.${min}` : `1.${min}-1.${max}`;
}

/**
 * Parses a debug=2 goroutine dump, or finds one inside panic / test / goleak
 * output. Throws {@link UnrecognizedFormatError} if there is no dump and
 * {@link MalformedProfileError} (with the line number) for a broken one.
 */
export function parseGoroutineDump(
  input: Uint8Array | string,
  sourceName: string,
  options: GoroutineDumpOptions = {},
): GoroutineProfile {
  const p = new GoroutineDumpParser(sourceName, options);
  p.push(input);
  return p.finish();
}

/**
 * Streaming variant of {@link parseGoroutineDump} over any async iterable of
 * chunks (a `fs.ReadStream`, an HTTP body). Combine with `onGoroutine` to keep
 * memory independent of the dump size.
 */
export async function parseGoroutineDumpStream(
  chunks: AsyncIterable<Uint8Array | string>,
  sourceName: string,
  options: GoroutineDumpOptions = {},
): Promise<GoroutineProfile> {
  const p = new GoroutineDumpParser(sourceName, options);
  for await (const c of chunks) p.push(c);
  return p.finish();
}
