/**
 * @fileoverview Byte-level input handling: gzip detection by content (magic
 * `1f 8b`, RFC 1952) with a decompressed-size cap, and a line splitter that
 * feeds text parsers chunk by chunk without materialising the whole text.
 *
 * Go serves `/debug/pprof/*?debug=0` gzip-compressed (runtime/pprof/proto.go
 * `newProfileBuilder` wraps the writer in gzip) and users gzip saved dumps, so
 * every reader first goes through {@link maybeGunzip}.
 */
import { gunzipSync, constants as zc } from 'node:zlib';
import { StringDecoder } from 'node:string_decoder';
import { MalformedProfileError } from './errors.js';

/** Default cap on decompressed size: 1 GiB. A real debug=2 dump is at most 64 MiB. */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 1 << 30;

/** True when `bytes` starts with the gzip magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Gunzips `bytes` when they carry the gzip magic, refusing to produce more than
 * `maxBytes` (gzip bomb protection: zlib stops as soon as the cap is reached,
 * so memory stays bounded by the cap). Non-gzip input is returned unchanged.
 */
export function maybeGunzip(
  bytes: Uint8Array,
  sourceName: string,
  maxBytes: number = DEFAULT_MAX_DECOMPRESSED_BYTES,
): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes, finishFlush: zc.Z_SYNC_FLUSH });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      throw new MalformedProfileError(
        sourceName,
        `gzip data expands beyond ${maxBytes} bytes; refusing to decompress (possible gzip bomb)`,
      );
    }
    throw new MalformedProfileError(sourceName, `corrupt gzip data: ${err.message}`);
  }
}

/**
 * Splits text into lines across chunk boundaries. Accepts bytes (decoded as
 * UTF-8 with a {@link StringDecoder}, so multi-byte characters split between
 * chunks survive) or strings. Handles LF, CRLF and a mix of both; a lone CR is
 * kept as content. Each call to `onLine` receives the line without its
 * terminator and its 1-based number.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  /** Pieces of the current unterminated line (kept as parts so a very long line is not re-copied per chunk). */
  private parts: string[] = [];
  private partsLength = 0;
  private lineNo = 0;
  private first = true;
  /** Bytes (or UTF-16 units for string input) seen so far. */
  size = 0;

  /**
   * @param onLine receives each line without its terminator, its 1-based number,
   *   and whether it is the unterminated last line
   * @param sourceName named in the error for an over-long line
   * @param maxLineLength longest accepted line (default 64 MiB, the debug=2 cap:
   *   no Go profile line comes close); bounds memory on binary junk without newlines
   */
  constructor(
    private readonly onLine: (line: string, lineNo: number, final: boolean) => void,
    private readonly sourceName = '<input>',
    private readonly maxLineLength = 64 << 20,
  ) {}

  /** Feeds one chunk; large chunks are decoded 1 MiB at a time to bound peak string size. */
  push(chunk: Uint8Array | string): void {
    const step = 1 << 20;
    if (chunk.length <= step) {
      this.pushOne(chunk);
      return;
    }
    for (let i = 0; i < chunk.length; i += step) {
      this.pushOne(typeof chunk === 'string' ? chunk.slice(i, i + step) : chunk.subarray(i, i + step));
    }
  }

  private pushOne(chunk: Uint8Array | string): void {
    let s: string;
    if (typeof chunk === 'string') {
      s = chunk;
      this.size += chunk.length;
    } else {
      s = this.decoder.write(chunk as Buffer);
      this.size += chunk.length;
    }
    if (this.first && s.length > 0) {
      this.first = false;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    }
    let nl = s.indexOf('\n');
    if (nl < 0) {
      this.keep(s);
      return;
    }
    const onLine = this.onLine;
    let pos = 0;
    if (this.parts.length > 0) {
      // The line started in an earlier chunk.
      let line = this.parts.join('') + s.slice(0, nl);
      this.parts = [];
      this.partsLength = 0;
      if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
      onLine(line, ++this.lineNo, false);
      pos = nl + 1;
      nl = s.indexOf('\n', pos);
    }
    while (nl >= 0) {
      const end = nl > pos && s.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      onLine(s.slice(pos, end), ++this.lineNo, false);
      pos = nl + 1;
      nl = s.indexOf('\n', pos);
    }
    // Keep the partial last line; copy it so the chunk can be collected.
    if (pos < s.length) this.keep((' ' + s.slice(pos)).slice(1));
  }

  private keep(piece: string): void {
    if (piece.length === 0) return;
    this.parts.push(piece);
    this.partsLength += piece.length;
    if (this.partsLength > this.maxLineLength) {
      throw new MalformedProfileError(this.sourceName, `line ${this.lineNo + 1} is longer than ${this.maxLineLength} characters; not a Go profile`, this.lineNo + 1);
    }
  }

  /**
   * Flushes the final line. Returns true when the input ended with a line
   * terminator (or was empty), false when the last line was unterminated.
   */
  end(): boolean {
    const tail = this.decoder.end();
    if (tail) this.pushOne(tail);
    if (this.parts.length === 0) return true;
    let s = this.parts.join('');
    this.parts = [];
    this.partsLength = 0;
    if (s.charCodeAt(s.length - 1) === 13) s = s.slice(0, -1);
    this.onLine(s, ++this.lineNo, true);
    return false;
  }

  /** Number of lines delivered so far. */
  get lines(): number {
    return this.lineNo;
  }
}

/** Decodes a short prefix of `bytes` for format sniffing. */
export function headText(bytes: Uint8Array, n = 4096): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(n, bytes.length)).toString('utf8');
}
