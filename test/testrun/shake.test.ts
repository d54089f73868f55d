/**
 * @fileoverview `leakscope test --shake` (issue 18, part 1) on real Go packages:
 * test/testrun/testdata/rare/notify loses a notification (and leaks its listener) only
 * when the listener is descheduled between signalling that it started and waiting, which
 * a plain run almost never does; rare/fixed is the same code with the fix. Shaking finds
 * the leak, names the round's seed and the command that replays it, stops the package
 * early, leaves the user's files untouched; the fixed package stays clean through every
 * round; the same seed makes the same decisions at every site (the decision trace), a
 * different seed different ones. No assertion depends on a plain run missing the leak
 * (that would be a bet on the scheduler) or on timing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { requireGo } from '../support/go.js';
import { runTestCommand, snapshot, type Run } from './helpers.js';

const TESTDATA = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata');
const RARE = path.join(TESTDATA, 'rare');

function leakscope(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return runTestCommand(RARE, args, env);
}

interface Doc {
  findings: { ruleId: string; file: string; line: number; message: string }[];
  test: {
    sites: { file: string; line: number; tests: string[]; shake?: { round: number; seed: string } }[];
    shake: { seed: string; cpu: string; rounds: number; sites: number; files: number; packages: { importPath: string; rounds: number; leakRounds: number; stoppedAt?: { round: number; seed: string } }[] } | null;
  };
}

const listenerLine = (): number => fs.readFileSync(path.join(RARE, 'notify', 'notify.go'), 'utf8').split('\n').findIndex((l) => l.includes('// site: listener')) + 1;

describe.skipIf(!requireGo('leakscope test --shake tests'))('leakscope test --shake', () => {
  describe.concurrent('runs', () => {
    it('finds the rare leak, names the seed and the replay command, stops the package early; the fix stays clean through every round', async () => {
      const before = snapshot(RARE);
      const r = await leakscope(['--shake', '--seed', '1000', '--count', '20', '--cpu', '1,2,4', '-f', 'json', '--no-explain']);
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.stdout) as Doc;
      expect(doc.test.sites).toHaveLength(1);
      const site = doc.test.sites[0]!;
      expect(`${site.file}:${site.line}`).toBe(`notify/notify.go:${listenerLine()}`);
      expect(site.tests).toEqual(['TestNotify']);
      const sh = doc.test.shake!;
      expect(sh).toMatchObject({ seed: '1000', cpu: '1,2,4', rounds: 20 });
      // Every channel operation, select and go statement of both packages (and their tests).
      expect(sh.sites).toBeGreaterThanOrEqual(10);
      const notify = sh.packages.find((p) => p.importPath === 'example.com/rare/notify')!;
      const fixed = sh.packages.find((p) => p.importPath === 'example.com/rare/fixed')!;
      expect(notify.stoppedAt).toBeDefined();
      expect(notify.rounds).toBe(notify.stoppedAt!.round + 1);
      expect(notify.stoppedAt!.seed).toBe(String(1000 + notify.stoppedAt!.round));
      expect(site.shake).toEqual(notify.stoppedAt);
      expect(fixed).toEqual({ importPath: 'example.com/rare/fixed', rounds: 20, leakRounds: 0 });
      const seed = notify.stoppedAt!.seed;
      expect(doc.findings[0]!.message).toContain(
        `; showed under --shake in round ${notify.stoppedAt!.round + 1} (seed ${seed}), replay: leakscope test --shake --seed ${seed} --count 1 --cpu 1,2,4 example.com/rare/notify -- -run '^TestNotify$'`,
      );
      expect(snapshot(RARE)).toEqual(before);
    });

    it('--all-runs keeps going and counts the rounds with leaks; the text summary says so', async () => {
      // 8 rounds of 3 notifications each: a round leaks with a probability above one half.
      const r = await leakscope(['--shake', '--seed', '42', '--count', '8', '--cpu', '1', '--all-runs', '--no-explain', './notify']);
      expect(r.code).toBe(1);
      const m = /\n--shake: seed 42, up to 8 rounds x -cpu 1 \(--all-runs\), \d+ perturbation points in \d+ files?; example\.com\/rare\/notify: leaks in ([1-8]) of 8 rounds \(first in round ([1-8]), seed (\d+)\)\.\n$/.exec(r.stdout);
      expect(m, r.stdout).not.toBeNull();
      expect(Number(m![3])).toBe(41 + Number(m![2]));
    });

    it('makes the same decisions at every site for the same seed, and other decisions for another seed', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ls-shake-trace-'));
      try {
        const trace = async (name: string, seed: string): Promise<string[]> => {
          const file = path.join(dir, name);
          const r = await leakscope(['--shake', '--seed', seed, '--count', '2', '--cpu', '1', './fixed'], { LEAKSCOPE_SHAKE_TRACE: file });
          expect(r.code).toBe(0);
          return fs.readFileSync(file, 'utf8').trim().split('\n').sort();
        };
        const [a, b, c] = await Promise.all([trace('a', '5'), trace('b', '5'), trace('c', '6')]);
        // "seed site n decision" lines: two rounds (seeds 5 and 6), every execution of every site.
        expect(a.length).toBeGreaterThan(20);
        expect(new Set(a.map((l) => l.split(' ')[0]))).toEqual(new Set(['5', '6']));
        expect(b).toEqual(a);
        // Seed 6 is the second round of seed 5: the same decisions as that round.
        expect(c.filter((l) => l.startsWith('6 '))).toEqual(a.filter((l) => l.startsWith('6 ')));
        expect(c.filter((l) => l.startsWith('7 ')).map((l) => l.slice(2))).not.toEqual(a.filter((l) => l.startsWith('5 ')).map((l) => l.slice(2)));
        expect(a.some((l) => / gosched$/.test(l)) && a.some((l) => / sleep \d/.test(l)) && a.some((l) => / none$/.test(l))).toBe(true);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('refuses --seed without --shake and -count/-cpu passed to go test with --shake', async () => {
      const a = await leakscope(['--seed', '3']);
      expect(a.code).toBe(2);
      expect(a.stderr).toContain('--seed only applies with --shake');
      const b = await leakscope(['--shake', '--', '-count=3']);
      expect(b.code).toBe(2);
      expect(b.stderr).toContain('give --count and --cpu to leakscope');
    });
  });
});
