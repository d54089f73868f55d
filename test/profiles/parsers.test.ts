/**
 * Unit behaviour of the individual parsers: every debug=2 header variant,
 * streaming over arbitrary chunk boundaries, the 64 MiB truncation rule, and
 * the protobuf decoder against pprof-format as a reference.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { Function as PFunction, Label, Line, Location, Profile, Sample, StringTable, ValueType } from 'pprof-format';
import { describe, expect, it } from 'vitest';
import {
  DEBUG2_CAP_BYTES,
  GoroutineDumpParser,
  decodeProfile,
  parseGoroutineDump,
  parseGoroutineDumpStream,
  parseHeaderBracket,
  readProfile,
  readProfileStream,
  type Goroutine,
  type GoroutineProfile,
} from '../../src/profiles/index.js';
import { fixture, summarize } from './helpers.js';

describe('debug=2 header variants (runtime/traceback.go goroutineheader)', () => {
  it.each([
    ['chan receive', { state: 'chan receive' }],
    ['chan receive, 12 minutes', { state: 'chan receive', waitMinutes: 12 }],
    ['select, 3 minutes, locked to thread', { state: 'select', waitMinutes: 3, lockedToThread: true }],
    ['semacquire (scan)', { state: 'semacquire', scan: true }],
    ['chan send (leaked)', { state: 'chan send', leaked: true }],
    // Go 1.26 prints (leaked) before (scan); older Go printed (scan) first.
    ['chan send (leaked) (scan), 4 minutes', { state: 'chan send', leaked: true, scan: true, waitMinutes: 4 }],
    ['chan receive (nil chan) (leaked)', { state: 'chan receive (nil chan)', leaked: true }],
    ['select (no cases)', { state: 'select (no cases)' }],
    ['leaked', { state: 'leaked', leaked: true }],
    ['chan receive (durable), synctest bubble 7', { state: 'chan receive', durable: true, bubble: 7 }],
    ['sync.WaitGroup.Wait (durable), 2 minutes, synctest bubble 3', { state: 'sync.WaitGroup.Wait', durable: true, waitMinutes: 2, bubble: 3 }],
    ['sleep (durable)', { state: 'sleep', durable: true }],
    ['running, synctest bubble 1', { state: 'running', bubble: 1 }],
    ['IO wait, 5 minutes, locked to thread, synctest bubble 2 labels:{"a": "b", "k\\"q": "x\\ny"}', {
      state: 'IO wait', waitMinutes: 5, lockedToThread: true, bubble: 2, labels: { a: 'b', 'k"q': 'x\ny' },
    }],
    ['select labels:{"role": "worker"}', { state: 'select', labels: { role: 'worker' } }],
    ['GC worker (idle)', { state: 'GC worker (idle)' }],
    ['waiting for cgo callback', { state: 'waiting for cgo callback' }],
    ['chan receive, some future decoration', { state: 'chan receive' }],
  ])('[%s]', (content, expected) => {
    const h = parseHeaderBracket(content)!;
    expect(h).not.toBeNull();
    expect(h).toMatchObject({ scan: false, leaked: false, durable: false, lockedToThread: false, ...expected });
  });

  it('labels with \\x and \\u escapes (runtime/print.go printquoted)', () => {
    expect(parseHeaderBracket('select labels:{"k": "\\x01\\u00e9"}')!.labels).toEqual({ k: '\x01é' });
    expect(parseHeaderBracket('select labels:{"k": "unterminated}')).toBeNull();
  });

  it('gp=/m=/mp= fields, and prose starting with "goroutine" is not a header', () => {
    const p = parseGoroutineDump(
      'log: goroutine 5 exited\ngoroutine 5 is doing fine\ngoroutine 7 gp=0xc000007180 m=3 mp=0xc000100008 [running]:\nmain.f()\n\t/x/m.go:1 +0x1\n',
      'x',
    );
    expect(p.goroutines).toHaveLength(1);
    expect(p.goroutines[0]).toMatchObject({ id: 7, gp: '0xc000007180', m: '3', state: 'running' });
  });

  it('inlined frames `(...)`, generic functions, methods and file names with spaces', () => {
    const p = parseGoroutineDump(
      [
        'goroutine 9 [select]:',
        'main.Map[...](...)',
        '\t/srv/a b/x.go:10',
        'main.(*T[go.shape.int]).Run(0xc000010000, {0x1, 0x2})',
        '\tC:/Users/me/x.go:20 +0x1f',
        '',
      ].join('\n'),
      'x',
    );
    expect(p.goroutines[0]!.frames).toEqual([
      { function: 'main.Map[...]', file: '/srv/a b/x.go', line: 10, args: '...', offset: undefined },
      { function: 'main.(*T[go.shape.int]).Run', file: 'C:/Users/me/x.go', line: 20, args: '0xc000010000, {0x1, 0x2}', offset: '0x1f' },
    ]);
  });

  it('GODEBUG=tracebackancestors "[originating from goroutine N]" stacks are not mixed into the frames', () => {
    const p = parseGoroutineDump(
      [
        'goroutine 8 [chan receive]:',
        'main.child()',
        '\t/x/m.go:5 +0x1',
        'created by main.parent in goroutine 7',
        '\t/x/m.go:9 +0x2',
        '[originating from goroutine 7]:',
        'main.parent(...)',
        '\t/x/m.go:9 +0x2',
        'created by main.main',
        '\t/x/m.go:12 +0x3',
        '',
        'goroutine 1 [running]:',
        'main.main()',
        '\t/x/m.go:13 +0x4',
      ].join('\n'),
      'x',
    );
    expect(p.goroutines.map((g) => [g.id, g.frames.length, g.createdBy?.function])).toEqual([
      [8, 1, 'main.parent'],
      [1, 1, undefined],
    ]);
  });
});

describe('streaming', () => {
  const dumpNames = ['debug2-leaky.txt', 'test-timeout.txt', 'goleak.txt', 'synctest-panic.txt', 'sigquit-gotraceback-system.txt'];

  it.each(dumpNames)('%s: any chunking gives the same result as one buffer', async (name) => {
    const bytes = fixture(name);
    const whole = summarize(parseGoroutineDump(bytes, name));
    for (const size of [1, 2, 3, 7, 64, 1000]) {
      const p = new GoroutineDumpParser(name);
      for (let i = 0; i < bytes.length; i += size) p.push(bytes.subarray(i, i + size));
      expect(summarize(p.finish()), `chunk ${size}`).toEqual(whole);
    }
    async function* chunks() {
      for (let i = 0; i < bytes.length; i += 333) yield bytes.subarray(i, i + 333);
    }
    expect(summarize(await parseGoroutineDumpStream(chunks(), name))).toEqual(whole);
    expect(summarize(await readProfileStream(chunks(), name))).toEqual(whole);
  });

  it('multi-byte UTF-8 split across chunks survives', () => {
    const text = Buffer.from('goroutine 1 [select labels:{"ключ": "значение ✓"}]:\nmain.f()\n\t/tmp/ü/m.go:1 +0x1\n');
    const p = new GoroutineDumpParser('u');
    for (let i = 0; i < text.length; i++) p.push(text.subarray(i, i + 1));
    const g = p.finish().goroutines[0]!;
    expect(g.labels).toEqual({ ключ: 'значение ✓' });
    expect(g.frames[0]!.file).toBe('/tmp/ü/m.go');
  });

  it('onGoroutine mode delivers every goroutine and keeps none', () => {
    const seen: Goroutine[] = [];
    const p = parseGoroutineDump(fixture('debug2-leaky.txt'), 'x', { onGoroutine: (g) => seen.push(g) });
    expect(p.goroutines).toEqual([]);
    expect(seen).toHaveLength(p.total);
  });

  it('a gzipped debug=2 dump is decompressed and parsed on the fly', async () => {
    const plain = fixture('sigquit-gotraceback-system.txt');
    const gz = gzipSync(plain);
    async function* chunks() {
      for (let i = 0; i < gz.length; i += 97) yield gz.subarray(i, i + 97);
    }
    let n = 0;
    const p = (await readProfileStream(chunks(), 'dump.txt.gz', { onGoroutine: () => n++ })) as GoroutineProfile;
    expect(p.format).toBe('sigquit');
    expect(n).toBe(parseGoroutineDump(plain, 'x').total);
    expect(summarize(readProfile(gz, 'dump.txt.gz'))).toEqual(summarize(parseGoroutineDump(plain, 'dump.txt.gz')));
  });

  it('the streaming reader also returns debug=1, heap and race profiles', async () => {
    for (const name of ['debug1-leaky.txt', 'heap-debug1.txt', 'race.txt', 'heap.pb.gz']) {
      const bytes = fixture(name);
      async function* chunks() {
        for (let i = 0; i < bytes.length; i += 500) yield bytes.subarray(i, i + 500);
      }
      expect(summarize(await readProfileStream(chunks(), name)), name).toEqual(summarize(readProfile(bytes, name)));
    }
  });

  it('gzip is detected by content in the streaming reader', async () => {
    const gz = fixture('debug0-leaky.pb.gz');
    async function* chunks() {
      for (let i = 0; i < gz.length; i += 100) yield gz.subarray(i, i + 100);
    }
    expect(summarize(await readProfileStream(chunks(), 'g'))).toEqual(summarize(readProfile(gz, 'g')));
  });
});

describe('truncation (runtime/pprof writeGoroutineStacks stops at 64 MiB)', () => {
  const block = (id: number) => `goroutine ${id} [chan receive, 3 minutes]:\nmain.worker(0xc000010000)\n\t/srv/app/worker.go:42 +0x1d\ncreated by main.start in goroutine 1\n\t/srv/app/main.go:17 +0x5f\n\n`;

  it('a dump of exactly 64 MiB drops the goroutine that was cut and says so', () => {
    const parts: string[] = [];
    let size = 0;
    let id = 1;
    let complete = 0;
    while (size < DEBUG2_CAP_BYTES) {
      const b = block(id++);
      parts.push(b);
      // Blocks that fit entirely, trailing blank line included.
      if (size + b.length <= DEBUG2_CAP_BYTES) complete++;
      size += b.length;
    }
    const text = Buffer.from(parts.join('')).subarray(0, DEBUG2_CAP_BYTES);
    let n = 0;
    const p = parseGoroutineDump(text, 'big.txt', { onGoroutine: () => n++ });
    expect(p.truncated).toBe(true);
    expect(n).toBe(p.total);
    // At exactly 64 MiB the goroutine in progress is dropped even if it looks
    // complete: the runtime stopped writing there, so its stack may be short.
    expect(p.total).toBe(complete);
  });

  it.each([
    ['mid function line', 'goroutine 2 [select]:\nmain.wo'],
    ['after a function line', 'goroutine 2 [select]:\nmain.worker()\n'],
    ['mid location', 'goroutine 2 [select]:\nmain.worker()\n\t/srv/app/wor'],
    ['mid header', 'goroutine 2 [sel'],
    ['after the header', 'goroutine 2 [select]:\n'],
    ['mid created-by', 'goroutine 2 [select]:\nmain.worker()\n\t/srv/x.go:3 +0x1\ncreated by main.m'],
  ])('cut %s', (_what, tail) => {
    const p = parseGoroutineDump(block(1) + tail, 'cut.txt') as GoroutineProfile;
    expect(p.truncated).toBe(true);
    expect(p.goroutines.map((g) => g.id)).toEqual([1]);
  });

  it('a complete dump without a final newline is not truncated', () => {
    const p = parseGoroutineDump(block(1).trimEnd(), 'x');
    expect(p.truncated).toBe(false);
    expect(p.goroutines[0]!.createdBy).toMatchObject({ line: 17 });
  });

  it('debug=1 with fewer goroutines than the header total is truncated', () => {
    const p = readProfile(Buffer.from('goroutine profile: total 5\n2 @ 0x1\n#\t0x1\tmain.f+0x1\t/x.go:3\n'), 'g1') as GoroutineProfile;
    expect(p.truncated).toBe(true);
    expect(p.total).toBe(2);
  });
});

describe('protobuf decoder', () => {
  it.each(['debug0-leaky.pb.gz', 'debug0-goroutineleak.pb.gz', 'heap.pb.gz'])('%s decodes like pprof-format', (name) => {
    const raw = gunzipSync(fixture(name));
    const ours = decodeProfile(raw);
    const ref = Profile.decode(raw);
    const s = (i: number | bigint) => ref.stringTable.strings[Number(i)]!;
    expect(ours.sampleTypes).toEqual(ref.sampleType.map((t) => ({ type: s(t.type), unit: s(t.unit) })));
    expect(ours.period).toBe(Number(ref.period));
    const fns = new Map(ref.function.map((f) => [Number(f.id), f]));
    const locs = new Map(ref.location.map((l) => [Number(l.id), l]));
    expect(ours.samples).toHaveLength(ref.sample.length);
    ref.sample.forEach((rs, i) => {
      const o = ours.samples[i]!;
      expect(o.values).toEqual(rs.value.map(Number));
      const frames = rs.locationId.flatMap((id) =>
        locs.get(Number(id))!.line.map((ln) => {
          const f = fns.get(Number(ln.functionId))!;
          return { function: s(f.name), file: s(f.filename), line: Number(ln.line) };
        }),
      );
      expect(o.stack).toEqual(frames);
    });
  });

  it('negative int64 values (delta profiles), unpacked repeated fields, string and numeric labels, inlined lines', () => {
    const st = new StringTable();
    const p = new Profile({
      sampleType: [new ValueType({ type: st.dedup('inuse_objects'), unit: st.dedup('count') }), new ValueType({ type: st.dedup('inuse_space'), unit: st.dedup('bytes') })],
      sample: [
        new Sample({
          locationId: [2, 1],
          value: [-3, -9007199254740],
          label: [new Label({ key: st.dedup('bytes'), num: 4096 }), new Label({ key: st.dedup('req'), str: st.dedup('r1') })],
        }),
      ],
      location: [
        new Location({ id: 1, line: [new Line({ functionId: 1, line: 10 })] }),
        new Location({ id: 2, line: [new Line({ functionId: 3, line: 7 }), new Line({ functionId: 2, line: 30 })] }),
      ],
      function: [
        new PFunction({ id: 1, name: st.dedup('main.main'), filename: st.dedup('/m.go') }),
        new PFunction({ id: 2, name: st.dedup('main.outer'), filename: st.dedup('/m.go') }),
        new PFunction({ id: 3, name: st.dedup('main.inlined'), filename: st.dedup('/m.go') }),
      ],
      period: 524288,
      stringTable: st,
    });
    const d = decodeProfile(p.encode());
    expect(d.samples[0]!.values).toEqual([-3, -9007199254740]);
    expect(d.samples[0]!.labels).toEqual({ bytes: '4096', req: 'r1' });
    expect(d.samples[0]!.stack.map((f) => `${f.function}:${f.line}`)).toEqual(['main.inlined:7', 'main.outer:30', 'main.main:10']);
    expect(JSON.parse(JSON.stringify(d.samples[0]))).toMatchObject({ values: [-3, -9007199254740], stack: [{ function: 'main.inlined' }, {}, {}] });
  });
});
