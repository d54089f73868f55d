/**
 * @fileoverview Parser for Go race detector reports (ThreadSanitizer output
 * formatted by the Go runtime, runtime/race; shape as printed by Go 1.26):
 *
 *     ==================
 *     WARNING: DATA RACE
 *     Read at 0x00c000096028 by goroutine 7:
 *       main.main.func1()
 *           /src/race/main.go:15 +0x7b
 *
 *     Previous write at 0x00c000096028 by main goroutine:
 *       main.main()
 *           /src/race/main.go:11 +0x88
 *
 *     Goroutine 7 (running) created at:
 *       main.main()
 *           /src/race/main.go:13 +0x78
 *     ==================
 *     Found 1 data race(s)
 *
 * Reports are found anywhere in surrounding output (go test logs).
 */
import { MalformedProfileError, UnrecognizedFormatError } from './errors.js';
import { LineSplitter } from './input.js';
import type { Frame, RaceAccess, RaceProfile, RaceReport } from './model.js';
import { splitFileLine } from './text.js';

const ACCESS = /^((?:Previous )?(?:[Aa]tomic )?(?:[Rr]ead|[Ww]rite))(?: at (0x[0-9a-fA-F]+))? by (?:goroutine (\d+)|(main) goroutine):$/;
const CREATED = /^Goroutine (\d+) \(([^)]*)\) created at:$/;

/** Parses every `WARNING: DATA RACE` block in the input. */
export function parseRaceReports(input: Uint8Array | string, sourceName: string): RaceProfile {
  const races: RaceReport[] = [];
  let cur: RaceReport | null = null;
  let stack: Frame[] | null = null;
  let pendingFn: string | null = null;
  let reported: number | undefined;
  const splitter = new LineSplitter((raw, no) => {
    const line = raw.trim();
    if (line === 'WARNING: DATA RACE') {
      cur = { accesses: [], goroutines: [], sourceLine: no };
      races.push(cur);
      stack = null;
      pendingFn = null;
      return;
    }
    if (!cur) {
      const m = /^Found (\d+) data race\(s\)$/.exec(line);
      if (m) reported = Number(m[1]);
      return;
    }
    if (line.startsWith('==================')) {
      cur = null;
      return;
    }
    if (line === '') {
      stack = null;
      return;
    }
    const a = ACCESS.exec(line);
    if (a) {
      const op = a[1]!;
      const acc: RaceAccess = {
        op,
        write: /write/i.test(op),
        previous: op.startsWith('Previous'),
        address: a[2] ?? '',
        mainGoroutine: a[4] === 'main',
        stack: [],
      };
      if (a[3]) acc.goroutineId = Number(a[3]);
      cur.accesses.push(acc);
      stack = acc.stack;
      return;
    }
    const c = CREATED.exec(line);
    if (c) {
      const g = { goroutineId: Number(c[1]), status: c[2]!, createdAt: [] as Frame[] };
      cur.goroutines.push(g);
      stack = g.createdAt;
      return;
    }
    if (!stack) return; // e.g. "Mutex M1 (0x...) created at:" sections are not modelled
    if (pendingFn !== null) {
      const fl = splitFileLine(line);
      if (!fl) throw new MalformedProfileError(sourceName, `expected file:line in race report, got ${JSON.stringify(line.slice(0, 80))}`, no);
      const off = line.indexOf(' +0x');
      stack.push({ function: pendingFn, file: fl.file, line: fl.line, offset: off >= 0 ? line.slice(off + 2) : undefined });
      pendingFn = null;
      return;
    }
    if (line.endsWith(')')) {
      const open = line.lastIndexOf('(');
      pendingFn = open > 0 ? line.slice(0, open) : line;
      return;
    }
    // "[failed to restore the stack]" and similar annotations.
  }, sourceName);
  splitter.push(input);
  splitter.end();
  if (races.length === 0) throw new UnrecognizedFormatError(sourceName, 'no "WARNING: DATA RACE" report found');
  const out: RaceProfile = { kind: 'race', source: sourceName, races };
  if (reported !== undefined) out.reportedCount = reported;
  return out;
}
