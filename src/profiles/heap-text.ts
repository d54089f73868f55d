/**
 * @fileoverview Parser for legacy text heap/allocs profiles (`?debug=1`),
 * runtime/pprof/pprof.go writeHeapInternal:
 *
 *     heap profile: <inuse objs>: <inuse bytes> [<alloc objs>: <alloc bytes>] @ heap/<2*MemProfileRate>
 *     1: 65536 [1: 65536] @ 0x... 0x...
 *     #	0x671815	main.grow+0x35	/src/main.go:34
 *     <blank>
 *     # runtime.MemStats
 *     # Alloc = ...
 *
 * Record values are raw sample counts. To match the protobuf (which Go
 * scales in runtime/pprof/protomem.go scaleHeapSample) they are scaled the
 * same way, with MemProfileRate = header rate / 2 ("pprof has come to
 * expect" 2*MemProfileRate, per the comment in writeHeapInternal).
 */
import { MalformedProfileError, UnrecognizedFormatError } from './errors.js';
import { LineSplitter } from './input.js';
import type { Frame, HeapProfile, HeapSample } from './model.js';
import { parseHashFrame } from './debug1.js';

const HEADER = /^heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] *@ *heap(?:_v2)?\/(\d+)/;
const RECORD = /^(\d+): (\d+) \[(\d+): (\d+)\] @/;

/** runtime/pprof/protomem.go scaleHeapSample. */
export function scaleHeapSample(count: number, size: number, rate: number): [number, number] {
  if (count === 0 || size === 0) return [0, 0];
  if (rate <= 1) return [count, size];
  const avg = size / count;
  const scale = 1 / (1 - Math.exp(-avg / rate));
  return [Math.trunc(count * scale), Math.trunc(size * scale)];
}

/** Parses a debug=1 heap or allocs profile. */
export function parseHeapText(input: Uint8Array | string, sourceName: string): HeapProfile {
  let rate = -1;
  let cur: HeapSample | null = null;
  let inStats = false;
  const samples: HeapSample[] = [];
  const cache = new Map<string, Frame>();
  const splitter = new LineSplitter((line, no, final) => {
    if (rate < 0) {
      if (line.trim() === '') return;
      const m = HEADER.exec(line);
      if (!m) throw new UnrecognizedFormatError(sourceName, 'not a debug=1 heap profile');
      rate = Math.floor(Number(m[5]) / 2);
      return;
    }
    if (inStats) return;
    if (line.length === 0) {
      cur = null;
      return;
    }
    if (line.charCodeAt(0) === 35) {
      if (line.startsWith('# runtime.MemStats')) {
        inStats = true;
        return;
      }
      if (!cur) return;
      const f = parseHashFrame(line, cache);
      if (f === undefined) {
        if (final) return;
        throw new MalformedProfileError(sourceName, `bad stack line ${JSON.stringify(line.slice(0, 80))}`, no);
      }
      if (f) cur.stack.push(f);
      return;
    }
    const m = RECORD.exec(line);
    if (!m) {
      if (final) return;
      throw new MalformedProfileError(sourceName, `expected "<inuse>: <bytes> [<alloc>: <bytes>] @ ...", got ${JSON.stringify(line.slice(0, 80))}`, no);
    }
    const [io, ib] = scaleHeapSample(Number(m[1]), Number(m[2]), rate);
    const [ao, ab] = scaleHeapSample(Number(m[3]), Number(m[4]), rate);
    cur = { values: [ao, ab, io, ib], stack: [] };
    samples.push(cur);
  }, sourceName);
  splitter.push(input);
  splitter.end();
  if (rate < 0) throw new UnrecognizedFormatError(sourceName, 'empty input');
  return {
    kind: 'heap',
    source: sourceName,
    format: 'text',
    sampleTypes: [
      { type: 'alloc_objects', unit: 'count' },
      { type: 'alloc_space', unit: 'bytes' },
      { type: 'inuse_objects', unit: 'count' },
      { type: 'inuse_space', unit: 'bytes' },
    ],
    samples,
    period: rate,
    periodType: { type: 'space', unit: 'bytes' },
    defaultSampleType: 'inuse_space',
  };
}
