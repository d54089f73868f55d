/**
 * Bad input: every failure is one clear error that names the source, and is
 * one of the two documented error classes.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { Function as PFunction, Location, Line, Profile, Sample, StringTable, ValueType } from 'pprof-format';
import { describe, expect, it } from 'vitest';
import {
  GoroutineDumpParser,
  MalformedProfileError,
  UnrecognizedFormatError,
  readProfile,
  readProfileStream,
  isProfileError,
} from '../../src/profiles/index.js';
import { fixture } from './helpers.js';

function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

async function* chunksOf(b: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

describe('bad input', () => {
  it('empty input', () => {
    const e = errorOf(() => readProfile(new Uint8Array(0), 'empty.txt'));
    expect(e).toBeInstanceOf(MalformedProfileError);
    expect(e.message).toBe('empty.txt: empty input');
  });

  it('an HTML login page', () => {
    const html = Buffer.from('<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form>...</form></body></html>\n');
    const e = errorOf(() => readProfile(html, 'http://svc:6060/debug/pprof/goroutine'));
    expect(e).toBeInstanceOf(UnrecognizedFormatError);
    expect(e.message).toBe('http://svc:6060/debug/pprof/goroutine: not a Go profile: the content is an HTML page (a login page or an error page?)');
    expect(e.message.split('\n')).toHaveLength(1);
  });

  it('plain text that is not a profile', () => {
    const e = errorOf(() => readProfile(Buffer.from('hello\nworld\n'), 'notes.txt'));
    expect(e).toBeInstanceOf(UnrecognizedFormatError);
    expect(e.message).toMatch(/^notes\.txt: not a Go goroutine, heap or race profile/);
  });

  it('corrupt protobuf (truncated, and bytes flipped)', () => {
    const pb = readProfileBytes('debug0-leaky.pb.gz');
    const truncated = pb.subarray(0, Math.floor(pb.length / 2));
    const e1 = errorOf(() => readProfile(truncated, 'goroutine.pb'));
    expect(e1).toBeInstanceOf(MalformedProfileError);
    expect(e1.message).toMatch(/^goroutine\.pb: corrupt pprof protobuf: /);
    const garbage = Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x02]);
    const e2 = errorOf(() => readProfile(garbage, 'x.pb'));
    expect(e2).toBeInstanceOf(MalformedProfileError);
    expect(e2.message).toMatch(/^x\.pb: corrupt pprof protobuf: /);
  });

  it('a gzip bomb is refused above the cap, without inflating it', () => {
    const bomb = gzipSync(Buffer.alloc(64 << 20)); // 64 MiB of zeros, ~64 KiB compressed
    const e = errorOf(() => readProfile(bomb, 'bomb.pb.gz', { maxDecompressedBytes: 1 << 20 }));
    expect(e).toBeInstanceOf(MalformedProfileError);
    expect(e.message).toBe('bomb.pb.gz: gzip data expands beyond 1048576 bytes; refusing to decompress (possible gzip bomb)');
  });

  it('a gzip bomb is refused by the streaming reader too', async () => {
    const bomb = gzipSync(Buffer.alloc(16 << 20));
    await expect(readProfileStream(chunksOf(bomb, 4096), 'bomb.gz', { maxDecompressedBytes: 1 << 20 })).rejects.toThrow(
      'bomb.gz: gzip data expands beyond 1048576 bytes; refusing to decompress (possible gzip bomb)',
    );
  });

  it('corrupt gzip', () => {
    const gz = Buffer.from(fixture('debug0-leaky.pb.gz'));
    gz.writeUInt16LE(gz.readUInt16LE(20) ^ 0xffff, 20);
    const e = errorOf(() => readProfile(gz, 'g.pb.gz'));
    expect(isProfileError(e)).toBe(true);
    expect(e.message.startsWith('g.pb.gz: ')).toBe(true);
  });

  it('a protobuf profile of an unsupported type (CPU) says what is supported', () => {
    const st = new StringTable();
    const p = new Profile({
      sampleType: [new ValueType({ type: st.dedup('samples'), unit: st.dedup('count') }), new ValueType({ type: st.dedup('cpu'), unit: st.dedup('nanoseconds') })],
      sample: [new Sample({ locationId: [1], value: [1, 10_000_000] })],
      location: [new Location({ id: 1, line: [new Line({ functionId: 1, line: 3 })] })],
      function: [new PFunction({ id: 1, name: st.dedup('main.spin'), filename: st.dedup('/x/main.go') })],
      stringTable: st,
    });
    const e = errorOf(() => readProfile(p.encode(), 'cpu.pb'));
    expect(e).toBeInstanceOf(MalformedProfileError);
    expect(e.message).toBe(
      'cpu.pb: unsupported pprof profile (samples/count, cpu/nanoseconds); leakscope reads goroutine, goroutineleak, heap and allocs profiles',
    );
  });

  it('a broken goroutine header inside a dump names the line', () => {
    const text = 'goroutine 1 [running]:\nmain.main()\n\t/x/main.go:3 +0x1\n\ngoroutine 2 [chan receive\nmain.f()\n\t/x/main.go:9 +0x2\n';
    const e = errorOf(() => readProfile(Buffer.from(text), 'dump.txt'));
    expect(e).toBeInstanceOf(MalformedProfileError);
    expect((e as MalformedProfileError).line).toBe(5);
    expect(e.message).toMatch(/^dump\.txt:5: broken goroutine header/);
  });

  it('a frame without "file:line" names the line', () => {
    const text = 'goroutine 1 [running]:\nmain.main()\n\tnot a location\n';
    const e = errorOf(() => readProfile(Buffer.from(text), 'dump.txt'));
    expect(e).toBeInstanceOf(MalformedProfileError);
    expect(e.message).toMatch(/^dump\.txt:3: expected "\\tfile:line"/);
  });

  it('a broken debug=1 record names the line', () => {
    const text = 'goroutine profile: total 2\n2 @ 0x1 0x2\n#\t0x1\tmain.f+0x1\t/x.go:3\n\nbogus line\n';
    const e = errorOf(() => readProfile(Buffer.from(text), 'g1.txt'));
    expect(e).toBeInstanceOf(MalformedProfileError);
    expect(e.message).toMatch(/^g1\.txt:5: expected "<count> @ <pcs>"/);
  });

  it('a dump with a stray control byte is still read as text', () => {
    const text = Buffer.from('\x07bell from a terminal\ngoroutine 1 [running]:\nmain.main()\n\t/x/main.go:3 +0x1\n');
    const p = readProfile(text, 'log.txt');
    expect(p.kind).toBe('goroutine');
  });

  it('binary junk without newlines is refused once a line exceeds 64 MiB, with bounded memory', () => {
    const junk = Buffer.alloc(65 << 20, 0x61);
    const e = errorOf(() => readProfile(junk, 'junk.bin'));
    expect(e).toBeInstanceOf(MalformedProfileError);
    expect(e.message).toBe(`junk.bin:1: line 1 is longer than ${64 << 20} characters; not a Go profile`);
  });

  it('CRLF split across chunk boundaries', () => {
    const text = fixture('goleak.txt').toString('utf8').replace(/\n/g, '\r\n');
    const whole = JSON.stringify(readProfile(Buffer.from(text), 'g'));
    const parts = Buffer.from(text);
    const p = new GoroutineDumpParser('g');
    // Split right between every \r and \n.
    let last = 0;
    for (let i = 0; i < parts.length; i++) {
      if (parts[i] === 13) {
        p.push(parts.subarray(last, i + 1));
        last = i + 1;
      }
    }
    p.push(parts.subarray(last));
    expect(JSON.stringify(p.finish())).toBe(whole);
  });

  it('mixed LF / CRLF line endings parse the same as LF', () => {
    for (const name of ['debug2-leaky.txt', 'debug1-leaky.txt', 'heap-debug1.txt', 'goleak.txt', 'race.txt']) {
      const lf = fixture(name).toString('utf8');
      let i = 0;
      const mixed = lf.replace(/\n/g, () => (i++ % 2 === 0 ? '\r\n' : '\n'));
      expect(mixed).not.toBe(lf);
      expect(JSON.stringify(readProfile(Buffer.from(mixed), name)), name).toBe(JSON.stringify(readProfile(Buffer.from(lf), name)));
    }
  });
});

/** The raw protobuf of a .pb.gz fixture. */
function readProfileBytes(name: string): Buffer {
  return gunzipSync(fixture(name));
}
