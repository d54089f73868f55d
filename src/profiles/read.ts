/**
 * @fileoverview Format detection and dispatch (google/pprof
 * `profile.ParseData` style): gunzip by content, protobuf first because it is
 * binary, then each text parser in turn; a parser throws
 * UnrecognizedFormatError to pass and MalformedProfileError to stop.
 */
import { createGunzip } from 'node:zlib';
import { GoroutineDumpParser, parseGoroutineDump, type GoroutineDumpOptions } from './debug2.js';
import { parseGoroutineText } from './debug1.js';
import { MalformedProfileError, UnrecognizedFormatError } from './errors.js';
import { parseHeapText } from './heap-text.js';
import { DEFAULT_MAX_DECOMPRESSED_BYTES, headText, isGzip, maybeGunzip } from './input.js';
import type { AnyProfile, GoroutineProfile } from './model.js';
import { looksBinary, parsePprof } from './pprof.js';
import { parseRaceReports } from './race.js';

/** Options for {@link readProfile} and {@link readProfileStream}. */
export interface ReadOptions extends GoroutineDumpOptions {
  /** Refuse gzip input that expands beyond this many bytes (default 1 GiB). */
  maxDecompressedBytes?: number;
}

type TextParser = (text: Uint8Array, source: string, options: ReadOptions) => AnyProfile;

/** Text parsers in the order they are tried. Cheap header checks come first. */
const TEXT_PARSERS: readonly TextParser[] = [
  (t, s) => parseGoroutineText(t, s),
  (t, s) => parseHeapText(t, s),
  (t, s) => {
    // Race reports are only tried when the marker is present: scanning is cheap,
    // but a dump that also contains a race should still be read as a race report.
    if (!Buffer.from(t.buffer, t.byteOffset, t.byteLength).includes('WARNING: DATA RACE')) {
      throw new UnrecognizedFormatError(s, 'no race report');
    }
    return parseRaceReports(t, s);
  },
  (t, s, o) => parseGoroutineDump(t, s, o),
];

function describeUnknown(bytes: Uint8Array): string {
  const head = headText(bytes, 512).trimStart().toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html') || head.includes('<body')) {
    return 'not a Go profile: the content is an HTML page (a login page or an error page?)';
  }
  if (head.startsWith('{') || head.startsWith('[')) return 'not a Go profile: the content looks like JSON';
  return 'not a Go goroutine, heap or race profile (no pprof protobuf, "goroutine profile:", "heap profile:", "goroutine N [...]:" or "WARNING: DATA RACE" found)';
}

/**
 * Reads any profile leakscope understands from raw bytes: pprof protobuf
 * (goroutine, goroutineleak, heap, allocs; gzipped or not), debug=1 goroutine
 * and heap text, debug=2 dumps (also inside panic, test-timeout, SIGQUIT and
 * goleak output) and race detector reports.
 *
 * @param bytes the content (gzip is detected by its magic number)
 * @param sourceName file name or URL, used in every error message
 * @throws MalformedProfileError for corrupt or unsupported input (with line numbers for text)
 * @throws UnrecognizedFormatError when the content is not a profile at all
 */
export function readProfile(bytes: Uint8Array, sourceName: string, options: ReadOptions = {}): AnyProfile {
  if (bytes.length === 0) throw new MalformedProfileError(sourceName, 'empty input');
  const data = maybeGunzip(bytes, sourceName, options.maxDecompressedBytes);
  if (data.length === 0) throw new MalformedProfileError(sourceName, 'empty input (after gunzip)');
  if (looksBinary(data)) {
    try {
      return parsePprof(data, sourceName);
    } catch (e) {
      // A log with a stray control byte (a NUL, a bell) is not protobuf:
      // if it is mostly printable, let the text parsers have a go before
      // reporting the protobuf error.
      if (!(e instanceof MalformedProfileError) || !mostlyText(data)) throw e;
      try {
        return readText(data, sourceName, options);
      } catch (t) {
        if (t instanceof UnrecognizedFormatError) throw e;
        throw t;
      }
    }
  }
  return readText(data, sourceName, options);
}

/** True when at least 95% of the first 4 KiB are printable ASCII, whitespace or UTF-8 continuation. */
function mostlyText(data: Uint8Array): boolean {
  const n = Math.min(data.length, 4096);
  let printable = 0;
  for (let i = 0; i < n; i++) {
    const b = data[i]!;
    if ((b >= 0x20 && b !== 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d) printable++;
  }
  return printable >= n * 0.95;
}

function readText(data: Uint8Array, sourceName: string, options: ReadOptions): AnyProfile {
  for (const parse of TEXT_PARSERS) {
    try {
      return parse(data, sourceName, options);
    } catch (e) {
      if (e instanceof UnrecognizedFormatError) continue;
      throw e;
    }
  }
  throw new UnrecognizedFormatError(sourceName, describeUnknown(data));
}

/** Like {@link readProfile} but only accepts goroutine profiles. */
export function readGoroutineProfile(bytes: Uint8Array, sourceName: string, options: ReadOptions = {}): GoroutineProfile {
  const p = readProfile(bytes, sourceName, options);
  if (p.kind !== 'goroutine') throw new MalformedProfileError(sourceName, `expected a goroutine profile, got a ${p.kind} profile`);
  return p;
}

async function* gunzipChunks(
  first: Uint8Array[],
  rest: AsyncIterator<Uint8Array | string>,
  sourceName: string,
  max: number,
): AsyncGenerator<Uint8Array> {
  const gz = createGunzip();
  let produced = 0;
  const out: Uint8Array[] = [];
  let error: Error | null = null;
  gz.on('data', (d: Buffer) => {
    produced += d.length;
    if (produced > max) {
      error = new MalformedProfileError(sourceName, `gzip data expands beyond ${max} bytes; refusing to decompress (possible gzip bomb)`);
      gz.destroy();
      return;
    }
    out.push(d);
  });
  gz.on('error', (e) => {
    error ??= new MalformedProfileError(sourceName, `corrupt gzip data: ${e.message}`);
  });
  // Resolve once zlib has processed the chunk: its output has then been
  // delivered to 'data' and can be yielded, so at most one chunk's output is
  // buffered here (memory stays bounded for large gzipped dumps).
  const write = (c: Uint8Array) =>
    new Promise<void>((resolve) => {
      gz.write(c, () => resolve());
    });
  const drain = function* () {
    while (out.length > 0) yield out.shift()!;
  };
  for (const c of first) {
    await write(c);
    if (error) throw error;
    yield* drain();
  }
  for (;;) {
    const r = await rest.next();
    if (r.done) break;
    await write(typeof r.value === 'string' ? Buffer.from(r.value) : r.value);
    if (error) throw error;
    yield* drain();
  }
  await new Promise<void>((resolve) => {
    if (gz.destroyed) return resolve();
    gz.once('end', resolve);
    gz.once('close', resolve);
    gz.end();
  });
  if (error) throw error;
  yield* drain();
}

/**
 * Streaming reader for large inputs (a 64 MiB debug=2 dump, an HTTP body).
 * debug=2-style text is parsed chunk by chunk (pass `onGoroutine` to keep
 * memory flat); other formats are small and are collected then handed to
 * {@link readProfile}. Gzip is detected and decompressed on the fly under the
 * same size cap.
 */
export async function readProfileStream(
  chunks: AsyncIterable<Uint8Array | string>,
  sourceName: string,
  options: ReadOptions = {},
): Promise<AnyProfile> {
  const max = options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  const it = chunks[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headLen = 0;
  while (headLen < 4096) {
    const r = await it.next();
    if (r.done) break;
    const b = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    head.push(b);
    headLen += b.length;
  }
  const first = Buffer.concat(head);
  if (first.length === 0) throw new MalformedProfileError(sourceName, 'empty input');
  let source: AsyncIterator<Uint8Array | string>;
  let peek: Uint8Array;
  if (isGzip(first)) {
    const gen = gunzipChunks([first], it, sourceName, max);
    const pre: Uint8Array[] = [];
    let n = 0;
    while (n < 4096) {
      const r = await gen.next();
      if (r.done) break;
      pre.push(r.value);
      n += r.value.length;
    }
    peek = Buffer.concat(pre);
    source = gen;
  } else {
    peek = first;
    source = it;
  }
  const text = headText(peek, 4096);
  const isDump = !looksBinary(peek) && /^goroutine \d+ (\[|gp=)/m.test(text) && !/^(goroutine|goroutineleak) profile: total/m.test(text);
  if (isDump && !text.includes('WARNING: DATA RACE')) {
    const p = new GoroutineDumpParser(sourceName, options);
    p.push(peek);
    for (;;) {
      const r = await source.next();
      if (r.done) break;
      p.push(r.value);
    }
    return p.finish();
  }
  const all: Uint8Array[] = [peek];
  let total = peek.length;
  for (;;) {
    const r = await source.next();
    if (r.done) break;
    const b = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    total += b.length;
    if (total > max) throw new MalformedProfileError(sourceName, `input larger than ${max} bytes`);
    all.push(b);
  }
  return readProfile(Buffer.concat(all), sourceName, options);
}
