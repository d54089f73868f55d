/**
 * @fileoverview Shared helpers for the profile tests: fixture loading and a
 * normalized, stable summary of parsed profiles for golden comparisons.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnyProfile, Frame, Goroutine } from '../../src/profiles/index.js';

export const TESTDATA = join(dirname(fileURLToPath(import.meta.url)), '../../src/profiles/testdata');
export const GO_PROGRAMS = join(dirname(fileURLToPath(import.meta.url)), 'go');

/** Reads a fixture from src/profiles/testdata. */
export function fixture(name: string): Buffer {
  return readFileSync(join(TESTDATA, name));
}

/** `function base.go:line`, with the directory dropped so summaries are machine-independent. */
export function short(f: Pick<Frame, 'function' | 'file' | 'line'> | undefined): string {
  if (!f) return '-';
  const base = f.file.slice(f.file.lastIndexOf('/') + 1);
  return `${f.function} ${base}:${f.line}`;
}

/** One line per goroutine: header facts, top frame, creator. */
export function summarizeGoroutine(g: Goroutine): string {
  const flags = [
    g.leaked && 'leaked',
    g.scan && 'scan',
    g.durable && 'durable',
    g.lockedToThread && 'locked',
    g.stackUnavailable && 'unavailable',
    g.elided !== false && `elided=${String(g.elided)}`,
    g.waitMinutes !== undefined && `${g.waitMinutes}min`,
    g.bubble !== undefined && `bubble=${g.bubble}`,
    g.gp !== undefined && `gp=${g.gp}`,
    g.m !== undefined && `m=${g.m}`,
  ].filter(Boolean);
  const labels = Object.keys(g.labels).length > 0 ? ` ${JSON.stringify(g.labels)}` : '';
  const created = g.createdBy ? ` <- ${short(g.createdBy)}${g.createdBy.goroutineId !== undefined ? ` in ${g.createdBy.goroutineId}` : ''}` : '';
  return `${g.id ?? '-'} x${g.count} [${g.state}${flags.length ? '; ' + flags.join(',') : ''}]${labels} ${g.frames.length}f ${short(g.frames[0])}${created}`;
}

/** Normalized, order-preserving summary of any profile. */
export function summarize(p: AnyProfile): string[] {
  if (p.kind === 'goroutine') {
    const head = [
      `goroutine format=${p.format} total=${p.total} truncated=${p.truncated} leakProfile=${p.leakProfile}` +
        (p.goVersionHint ? ` go${p.goVersionHint}` : '') +
        (p.panicMessage ? ` panic=${JSON.stringify(p.panicMessage)}` : '') +
        (p.runningTests ? ` running=${p.runningTests.join(',')}` : '') +
        (p.failedTest ? ` failed=${p.failedTest}` : ''),
    ];
    return head.concat(p.goroutines.map(summarizeGoroutine));
  }
  if (p.kind === 'heap') {
    return [
      `heap format=${p.format} types=${p.sampleTypes.map((t) => `${t.type}/${t.unit}`).join(',')} period=${p.period} samples=${p.samples.length}`,
    ];
  }
  return [`race reports=${p.races.length} reported=${p.reportedCount}`].concat(
    p.races.flatMap((r) =>
      r.accesses
        .map((a) => `${a.op} ${a.mainGoroutine ? 'main' : `g${a.goroutineId}`} ${a.stack.map(short).join(' < ')}`)
        .concat(r.goroutines.map((g) => `created g${g.goroutineId} (${g.status}) at ${g.createdAt.map(short).join(' < ')}`)),
    ),
  );
}

/** Deterministic PRNG (mulberry32) for fuzzing with a fixed seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
