/**
 * @fileoverview Interprets a decoded pprof protobuf as a goroutine profile
 * (`goroutine/count`, or Go 1.26+ `goroutineleak/count`; runtime/pprof/pprof.go
 * printCountProfile) or a heap/allocs profile (`alloc_objects, alloc_space,
 * inuse_objects, inuse_space`; runtime/pprof/protomem.go writeHeapProto).
 */
import { MalformedProfileError, UnrecognizedFormatError } from './errors.js';
import type { Goroutine, GoroutineProfile, HeapProfile } from './model.js';
import { ProtoError, decodeProfile, type RawProfile } from './proto.js';
import { inferState } from './state.js';

/**
 * True when `bytes` is plausibly binary (protobuf) rather than text: text
 * profiles and dumps never contain C0 control bytes other than tab, LF and CR,
 * while any real pprof protobuf has small varints (0x00-0x08) early on.
 */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096);
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) return true;
  }
  return false;
}

/** Decodes the protobuf or throws MalformedProfileError naming the source. */
export function decodeOrThrow(bytes: Uint8Array, sourceName: string): RawProfile {
  try {
    return decodeProfile(bytes);
  } catch (e) {
    if (e instanceof ProtoError) throw new MalformedProfileError(sourceName, `corrupt pprof protobuf: ${e.message}`);
    throw e;
  }
}

/** Converts a decoded count profile to the goroutine model. */
export function toGoroutineProfile(raw: RawProfile, sourceName: string): GoroutineProfile {
  const type = raw.sampleTypes[0]?.type;
  const leak = type === 'goroutineleak';
  const goroutines: Goroutine[] = raw.samples.map((s) => ({
    count: s.values[0] ?? 0,
    state: inferState(s.stack),
    leaked: leak,
    lockedToThread: false,
    scan: false,
    durable: false,
    labels: s.labels ?? {},
    frames: s.stack,
    elided: false,
    stackUnavailable: false,
  }));
  return {
    kind: 'goroutine',
    source: sourceName,
    format: 'debug0',
    goroutines,
    total: goroutines.reduce((a, g) => a + g.count, 0),
    truncated: false,
    leakProfile: leak,
  };
}

/** Converts a decoded heap/allocs profile to the heap model. */
export function toHeapProfile(raw: RawProfile, sourceName: string): HeapProfile {
  const p: HeapProfile = {
    kind: 'heap',
    source: sourceName,
    format: 'proto',
    sampleTypes: raw.sampleTypes,
    // Samples are passed through as-is so their stacks stay lazy (proto.ts).
    samples: raw.samples as HeapProfile['samples'],
  };
  if (raw.period !== undefined) p.period = raw.period;
  if (raw.periodType) p.periodType = raw.periodType;
  if (raw.defaultSampleType) p.defaultSampleType = raw.defaultSampleType;
  if (raw.timeNanos !== undefined) p.timeNanos = raw.timeNanos;
  if (raw.durationNanos !== undefined) p.durationNanos = raw.durationNanos;
  return p;
}

/**
 * Parses a gunzipped pprof protobuf goroutine, goroutineleak, heap or allocs
 * profile. Text input is {@link UnrecognizedFormatError}; corrupt protobuf and
 * other profile types (cpu, block, mutex) are {@link MalformedProfileError}.
 */
export function parsePprof(bytes: Uint8Array, sourceName: string): GoroutineProfile | HeapProfile {
  if (bytes.length === 0 || !looksBinary(bytes)) throw new UnrecognizedFormatError(sourceName, 'not a protobuf');
  const raw = decodeOrThrow(bytes, sourceName);
  const types = raw.sampleTypes.map((t) => t.type);
  if (types.length === 1 && (types[0] === 'goroutine' || types[0] === 'goroutineleak')) {
    return toGoroutineProfile(raw, sourceName);
  }
  if (types.includes('inuse_space') || types.includes('alloc_space')) return toHeapProfile(raw, sourceName);
  if (types.length === 0) throw new MalformedProfileError(sourceName, 'corrupt pprof protobuf: no sample types');
  const desc = raw.sampleTypes.map((t) => `${t.type}/${t.unit}`).join(', ');
  throw new MalformedProfileError(
    sourceName,
    `unsupported pprof profile (${desc}); leakscope reads goroutine, goroutineleak, heap and allocs profiles`,
  );
}
