/**
 * @fileoverview Parser for legacy text count profiles (`?debug=1`) of the
 * `goroutine` and Go 1.26+ `goroutineleak` profiles.
 *
 * Shape (runtime/pprof/pprof.go printCountProfile + printStackRecord, written
 * through a tabwriter, so fields are separated by one or more tabs):
 *
 *     goroutine profile: total 22
 *     3 @ 0x489f8e 0x4195bc 0x671816 0x4916a1
 *     # labels: {"k":"v"}
 *     #	0x671815	main.abandonedSender.func1+0x35	/src/main.go:45
 *     <blank>
 *
 * No goroutine ids, states or wait times are printed; the state is inferred
 * from the visible frames ({@link inferState}), which debug=1 trims of leading
 * runtime frames.
 */
import { MalformedProfileError, UnrecognizedFormatError } from './errors.js';
import { LineSplitter } from './input.js';
import type { Frame, Goroutine, GoroutineProfile } from './model.js';
import { inferState } from './state.js';
import { flat, parseLabelSet, splitFileLine } from './text.js';

const HEADER = /^(goroutine|goroutineleak) profile: total (\d+)$/;

/**
 * Parses one `#\t0xpc\tfunc+0xoff\tfile:line` stack line shared by all legacy
 * text profiles (goroutine, heap, threadcreate). Returns null for `#\t0xpc`
 * lines without symbol information.
 */
export function parseHashFrame(line: string, cache: Map<string, Frame>): Frame | null | undefined {
  const hit = cache.get(line);
  if (hit) return hit;
  const parts = line.split('\t').filter((p) => p.length > 0);
  if (parts[0] !== '#' || parts.length < 2) return undefined;
  if (parts.length < 4) return null;
  const fnOff = parts[2]!;
  const plus = fnOff.lastIndexOf('+0x');
  const fl = splitFileLine(parts.slice(3).join('\t'));
  if (!fl) return undefined;
  const f: Frame = {
    function: flat(plus > 0 ? fnOff.slice(0, plus) : fnOff),
    file: flat(fl.file),
    line: fl.line,
    offset: plus > 0 ? flat(fnOff.slice(plus + 1)) : undefined,
  };
  if (cache.size > 100_000) cache.clear();
  cache.set(flat(line), f);
  return f;
}

/**
 * Parses a debug=1 goroutine or goroutineleak profile. Throws
 * {@link UnrecognizedFormatError} if the first line is not a count-profile
 * header and {@link MalformedProfileError} (with line) for broken records.
 */
export function parseGoroutineText(input: Uint8Array | string, sourceName: string): GoroutineProfile {
  let headerSeen = false;
  let leak = false;
  let declared = 0;
  let cur: Goroutine | null = null;
  const out: Goroutine[] = [];
  const cache = new Map<string, Frame>();
  let lastFinalBroken = false;
  const end = () => {
    if (cur) {
      if (cur.state === 'unknown') cur.state = inferState(cur.frames);
      out.push(cur);
    }
    cur = null;
  };
  const splitter = new LineSplitter((line, no, final) => {
    if (!headerSeen) {
      if (line.trim() === '') return;
      const m = HEADER.exec(line.trim());
      if (!m) throw new UnrecognizedFormatError(sourceName, 'not a debug=1 goroutine profile');
      headerSeen = true;
      leak = m[1] === 'goroutineleak';
      declared = Number(m[2]);
      return;
    }
    if (line.length === 0) {
      end();
      return;
    }
    const c = line.charCodeAt(0);
    if (c === 35 /* # */) {
      if (!cur) throw new MalformedProfileError(sourceName, 'stack line outside a record', no);
      if (line.startsWith('# labels: ')) {
        const l = parseLabelSet(line.slice(10));
        if (!l) {
          if (final) return;
          throw new MalformedProfileError(sourceName, 'broken "# labels:" line', no);
        }
        for (const [k, v] of Object.entries(l)) cur.labels[flat(k)] = flat(v);
        return;
      }
      const f = parseHashFrame(line, cache);
      if (f === undefined) {
        if (final) {
          lastFinalBroken = true;
          return;
        }
        throw new MalformedProfileError(sourceName, `bad stack line ${JSON.stringify(line.slice(0, 80))}`, no);
      }
      if (f) cur.frames.push(f);
      return;
    }
    const at = line.indexOf(' @');
    const n = at > 0 ? Number(line.slice(0, at)) : NaN;
    if (!Number.isInteger(n) || n < 0) {
      if (final) {
        lastFinalBroken = true;
        return;
      }
      throw new MalformedProfileError(sourceName, `expected "<count> @ <pcs>", got ${JSON.stringify(line.slice(0, 80))}`, no);
    }
    end();
    cur = {
      count: n,
      state: 'unknown',
      leaked: leak,
      lockedToThread: false,
      scan: false,
      durable: false,
      labels: {},
      frames: [],
      elided: false,
      stackUnavailable: false,
      sourceLine: no,
    };
  }, sourceName);
  splitter.push(input);
  const endedWithNewline = splitter.end();
  if (!headerSeen) throw new UnrecognizedFormatError(sourceName, 'empty input');
  // An unterminated final record may be cut mid-stack; drop it.
  let truncated = false;
  if (!endedWithNewline && (lastFinalBroken || cur)) {
    truncated = lastFinalBroken;
  }
  if (lastFinalBroken) cur = null;
  end();
  const total = out.reduce((s, g) => s + g.count, 0);
  if (total < declared) truncated = true;
  const profile: GoroutineProfile = {
    kind: 'goroutine',
    source: sourceName,
    format: 'debug1',
    goroutines: out,
    total,
    truncated,
    leakProfile: leak,
  };
  // goroutineleak exists since Go 1.26; internal/sync frames since Go 1.24.
  if (leak) profile.goVersionHint = '>=1.26';
  else if (out.some((g) => g.frames.some((f) => f.function.startsWith('internal/sync.')))) profile.goVersionHint = '>=1.24';
  return profile;
}
