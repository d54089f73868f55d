/**
 * @fileoverview A minimal, fast decoder for the pprof protobuf format
 * (github.com/google/pprof `proto/profile.proto`), specialised for what
 * leakscope reads: sample types, samples (location ids, values, labels),
 * locations with their (inlined) lines, functions and the string table.
 * Mappings, addresses and other fields are skipped without being decoded.
 *
 * Why not only `pprof-format`: it builds a full object graph (every Mapping,
 * Line and Label as a class instance, bigint for wide varints) which measured
 * ~3-9 MB/s; this decoder walks the buffer once to record sub-message
 * offsets, decodes only the referenced parts, and resolves each location to a
 * shared `Frame[]` once. `pprof-format` remains the reference in tests.
 *
 *     message Profile {
 *       repeated ValueType sample_type = 1; repeated Sample sample = 2;
 *       repeated Mapping mapping = 3; repeated Location location = 4;
 *       repeated Function function = 5; repeated string string_table = 6;
 *       int64 drop_frames = 7; int64 keep_frames = 8; int64 time_nanos = 9;
 *       int64 duration_nanos = 10; ValueType period_type = 11; int64 period = 12;
 *       repeated int64 comment = 13; int64 default_sample_type = 14; }
 *     message ValueType { int64 type = 1; int64 unit = 2; }
 *     message Sample { repeated uint64 location_id = 1; repeated int64 value = 2; repeated Label label = 3; }
 *     message Label { int64 key = 1; int64 str = 2; int64 num = 3; int64 num_unit = 4; }
 *     message Location { uint64 id = 1; uint64 mapping_id = 2; uint64 address = 3; repeated Line line = 4; bool is_folded = 5; }
 *     message Line { uint64 function_id = 1; int64 line = 2; int64 column = 3; }
 *     message Function { uint64 id = 1; int64 name = 2; int64 system_name = 3; int64 filename = 4; int64 start_line = 5; }
 */
import type { Frame, SampleType } from './model.js';

/** Thrown on structurally invalid protobuf; converted to MalformedProfileError by callers. */
export class ProtoError extends Error {}

/** A decoded profile, before interpretation as goroutine or heap profile. */
export interface RawProfile {
  sampleTypes: SampleType[];
  samples: RawSample[];
  periodType?: SampleType;
  period?: number;
  timeNanos?: number;
  durationNanos?: number;
  defaultSampleType?: string;
  comments: string[];
}

/** One sample (innermost frame first). `stack` may be computed on first access. */
export interface RawSample {
  readonly stack: Frame[];
  readonly values: number[];
  readonly labels?: Record<string, string> | undefined;
}

// Decoder state lives in module variables rather than in per-message reader
// objects: a heap profile has ~10^5 samples and allocating a reader for each
// sample, label and line dominated decode time through GC pressure.
let B: Uint8Array = new Uint8Array(0);
let P = 0;

/** Unsigned varint at P (exact below 2^53; wider values lose precision, fine for ids/addresses we skip). */
function varint(end: number): number {
  if (P >= end) throw new ProtoError('truncated varint');
  let c = B[P++]!;
  if (c < 0x80) return c;
  let lo = c & 0x7f;
  for (let shift = 7; shift < 28; shift += 7) {
    if (P >= end) throw new ProtoError('truncated varint');
    c = B[P++]!;
    lo |= (c & 0x7f) << shift;
    if (c < 0x80) return lo;
  }
  let v = lo;
  let mul = 268435456; // 2^28
  for (let i = 0; i < 6; i++) {
    if (P >= end) throw new ProtoError('truncated varint');
    c = B[P++]!;
    v += (c & 0x7f) * mul;
    if (c < 0x80) return v;
    mul *= 128;
  }
  throw new ProtoError('varint too long');
}

/**
 * Signed int64 varint. Negative values are encoded in 10 bytes as 2^64 - x
 * (delta profiles from `?seconds=N` contain them); decode those via BigInt.asIntN.
 */
function int64(end: number): number {
  const start = P;
  const v = varint(end);
  if (P - start < 10 || v < 2 ** 63) return v;
  let big = 0n;
  for (let i = P - 1; i >= start; i--) big = (big << 7n) | BigInt(B[i]! & 0x7f);
  return Number(BigInt.asIntN(64, big));
}

function skip(wireType: number, end: number): void {
  switch (wireType) {
    case 0:
      varint(end);
      return;
    case 1:
      P += 8;
      break;
    case 2: {
      const n = varint(end);
      P += n;
      break;
    }
    case 5:
      P += 4;
      break;
    default:
      throw new ProtoError(`invalid wire type ${wireType}`);
  }
  if (P > end) throw new ProtoError('truncated field');
}

/** Start of a length-delimited field at P; advances P past it (the end is the new P). */
function sub(end: number): number {
  const n = varint(end);
  const s = P;
  P += n;
  if (P > end) throw new ProtoError('length-delimited field overruns its message');
  return s;
}

/** Reads a packed or unpacked repeated varint field into `out`. */
function repeated(wt: number, end: number, out: number[], signed: boolean): void {
  if (wt === 2) {
    const s = sub(end);
    const e = P;
    P = s;
    while (P < e) out.push(signed ? int64(e) : varint(e));
  } else if (wt === 0) {
    out.push(signed ? int64(end) : varint(end));
  } else {
    throw new ProtoError(`bad wire type ${wt} for repeated varint`);
  }
}

/** Resolves the location ids of a sample message to frames (used lazily). */
class LocTable {
  constructor(
    readonly buf: Uint8Array,
    readonly loc: (id: number) => Frame[],
  ) {}

  resolve(start: number, end: number): Frame[] {
    const savedB = B;
    const savedP = P;
    B = this.buf;
    P = start;
    try {
      const parts: Frame[][] = [];
      let n = 0;
      while (P < end) {
        const tag = varint(end);
        if (tag === 10) {
          const s = sub(end);
          const pe = P;
          P = s;
          while (P < pe) {
            const f = this.loc(varint(pe));
            parts.push(f);
            n += f.length;
          }
        } else if (tag === 8) {
          const f = this.loc(varint(end));
          parts.push(f);
          n += f.length;
        } else skip(tag & 7, end);
      }
      if (parts.length === 1) return parts[0]!.slice();
      const stack: Frame[] = new Array(n);
      n = 0;
      for (const fr of parts) for (let m = 0; m < fr.length; m++) stack[n++] = fr[m]!;
      return stack;
    } finally {
      B = savedB;
      P = savedP;
    }
  }
}

/**
 * A sample whose stack is decoded on first access. The ids were validated
 * during decoding, so the getter cannot fail; it keeps a reference to the
 * profile bytes, which callers must not mutate.
 */
class LazySample implements RawSample {
  private cached: Frame[] | undefined;
  constructor(
    readonly values: number[],
    readonly labels: Record<string, string> | undefined,
    private readonly table: LocTable,
    private readonly start: number,
    private readonly end: number,
  ) {}

  get stack(): Frame[] {
    return (this.cached ??= this.table.resolve(this.start, this.end));
  }

  toJSON(): RawSample {
    return this.labels ? { values: this.values, stack: this.stack, labels: this.labels } : { values: this.values, stack: this.stack };
  }
}

/**
 * Decodes a pprof protobuf (already gunzipped). Throws {@link ProtoError} on
 * structurally invalid input.
 */
export function decodeProfile(bytes: Uint8Array): RawProfile {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  B = buf;
  P = 0;
  try {
    return decode(buf);
  } finally {
    B = new Uint8Array(0);
  }
}

function decode(buf: Buffer): RawProfile {
  const len = buf.length;
  // Pass 1: remember where each repeated sub-message lives; strings, locations
  // and functions usually come after the samples (runtime/pprof/proto.go build).
  const sampleTypeOff: number[] = [];
  const sampleOff: number[] = [];
  const locOff: number[] = [];
  const fnOff: number[] = [];
  const strOff: number[] = [];
  const commentIdx: number[] = [];
  let periodTypeOff = -1;
  let periodTypeEnd = -1;
  let period: number | undefined;
  let timeNanos: number | undefined;
  let durationNanos: number | undefined;
  let defaultSampleType = 0;
  while (P < len) {
    const tag = varint(len);
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field === 0) throw new ProtoError('field number 0');
    if (wt === 2 && (field <= 6 || field === 11)) {
      const s = sub(len);
      const list =
        field === 1 ? sampleTypeOff : field === 2 ? sampleOff : field === 4 ? locOff : field === 5 ? fnOff : field === 6 ? strOff : null;
      if (list) list.push(s, P);
      else if (field === 11) {
        periodTypeOff = s;
        periodTypeEnd = P;
      }
      continue;
    }
    if (wt === 0) {
      switch (field) {
        case 9: timeNanos = int64(len); continue;
        case 10: durationNanos = int64(len); continue;
        case 12: period = int64(len); continue;
        case 14: defaultSampleType = varint(len); continue;
        case 13: commentIdx.push(varint(len)); continue;
      }
    }
    if (field === 13 && wt === 2) {
      repeated(wt, len, commentIdx, false);
      continue;
    }
    skip(wt, len);
  }

  // Strings: decoded once; profiles have few distinct strings.
  const strings: string[] = new Array(strOff.length / 2);
  for (let i = 0, j = 0; i < strOff.length; i += 2, j++) {
    const s = strOff[i]!;
    const e = strOff[i + 1]!;
    strings[j] = e - s === 0 ? '' : buf.toString('utf8', s, e);
  }
  const str = (i: number): string => {
    if (i >= strings.length) throw new ProtoError(`string index ${i} out of range`);
    return strings[i]!;
  };
  const valueType = (s: number, e: number): SampleType => {
    P = s;
    let type = 0;
    let unit = 0;
    while (P < e) {
      const tag = varint(e);
      if (tag === 8) type = varint(e);
      else if (tag === 16) unit = varint(e);
      else skip(tag & 7, e);
    }
    return { type: str(type), unit: str(unit) };
  };
  const sampleTypes: SampleType[] = [];
  for (let i = 0; i < sampleTypeOff.length; i += 2) sampleTypes.push(valueType(sampleTypeOff[i]!, sampleTypeOff[i + 1]!));
  const nTypes = sampleTypes.length;

  // Functions: id -> name, file.
  const fnName = new Map<number, string>();
  const fnFile = new Map<number, string>();
  for (let i = 0; i < fnOff.length; i += 2) {
    const e = fnOff[i + 1]!;
    P = fnOff[i]!;
    let id = 0;
    let name = 0;
    let file = 0;
    while (P < e) {
      const tag = varint(e);
      if (tag === 8) id = varint(e);
      else if (tag === 16) name = varint(e);
      else if (tag === 32) file = varint(e);
      else skip(tag & 7, e);
    }
    fnName.set(id, str(name));
    fnFile.set(id, str(file));
  }

  // Locations: id -> frames (innermost inlined function first, as in profile.proto).
  const locDense: (Frame[] | undefined)[] = [];
  const locSparse = new Map<number, Frame[]>();
  for (let i = 0; i < locOff.length; i += 2) {
    const e = locOff[i + 1]!;
    P = locOff[i]!;
    let id = 0;
    const frames: Frame[] = [];
    while (P < e) {
      const tag = varint(e);
      if (tag === 8) id = varint(e);
      else if (tag === 34) {
        const s = sub(e);
        const le = P;
        P = s;
        let fid = 0;
        let line = 0;
        while (P < le) {
          const t = varint(le);
          if (t === 8) fid = varint(le);
          else if (t === 16) line = int64(le);
          else skip(t & 7, le);
        }
        P = le;
        frames.push({ function: fnName.get(fid) ?? '', file: fnFile.get(fid) ?? '', line });
      } else skip(tag & 7, e);
    }
    if (id < 1 << 24) locDense[id] = frames;
    else locSparse.set(id, frames);
  }
  const loc = (id: number): Frame[] => {
    const f = id < 1 << 24 ? locDense[id] : locSparse.get(id);
    if (!f) throw new ProtoError(`sample refers to unknown location ${id}`);
    return f;
  };

  // Samples. Stacks are resolved lazily (see LazySample): decoding only
  // validates the location ids, so consumers that skip samples (zero values
  // for the chosen sample type, filters) never allocate their stacks. Stack
  // allocation was the dominant cost (GC) of eager decoding.
  const table = new LocTable(buf, loc);
  const samples: RawSample[] = new Array(sampleOff.length / 2);
  const vals: number[] = [];
  for (let i = 0, j = 0; i < sampleOff.length; i += 2, j++) {
    const start = sampleOff[i]!;
    const e = sampleOff[i + 1]!;
    P = start;
    vals.length = 0;
    let labels: Record<string, string> | undefined;
    while (P < e) {
      const tag = varint(e);
      const f = tag >>> 3;
      const wt = tag & 7;
      if (f === 1) {
        if (wt === 2) {
          const s = sub(e);
          const pe = P;
          P = s;
          while (P < pe) {
            const c = B[P]!;
            let id: number;
            if (c < 0x80) {
              id = c;
              P++;
            } else id = varint(pe);
            if ((id < 1 << 24 ? locDense[id] : locSparse.get(id)) === undefined) {
              throw new ProtoError(`sample refers to unknown location ${id}`);
            }
          }
        } else if (wt === 0) loc(varint(e));
        else throw new ProtoError(`bad wire type ${wt} for location_id`);
      } else if (f === 2) repeated(wt, e, vals, true);
      else if (f === 3 && wt === 2) {
        const s = sub(e);
        const le = P;
        P = s;
        let key = 0;
        let sv = 0;
        let num: number | undefined;
        while (P < le) {
          const t = varint(le);
          if (t === 8) key = varint(le);
          else if (t === 16) sv = varint(le);
          else if (t === 24) num = int64(le);
          else skip(t & 7, le);
        }
        P = le;
        labels ??= {};
        labels[str(key)] = sv !== 0 || num === undefined ? str(sv) : String(num);
      } else skip(wt, e);
    }
    if (vals.length !== nTypes) {
      throw new ProtoError(`sample has ${vals.length} values for ${nTypes} sample types`);
    }
    const values: number[] = new Array(nTypes);
    for (let k = 0; k < nTypes; k++) values[k] = vals[k]!;
    samples[j] = new LazySample(values, labels, table, start, e);
  }

  const out: RawProfile = { sampleTypes, samples, comments: commentIdx.map(str) };
  if (periodTypeOff >= 0) out.periodType = valueType(periodTypeOff, periodTypeEnd);
  if (period !== undefined) out.period = period;
  if (timeNanos !== undefined) out.timeNanos = timeNanos;
  if (durationNanos !== undefined) out.durationNanos = durationNanos;
  if (defaultSampleType !== 0) out.defaultSampleType = str(defaultSampleType);
  return out;
}
