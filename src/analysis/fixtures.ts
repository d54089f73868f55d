/**
 * @fileoverview The fixture harness, after golang.org/x/tools/go/analysis/analysistest:
 * a rule's `testdata/*.go` files carry `// want "regexp"` comments on the lines where
 * findings are expected. The harness fails on a finding no `want` matches and on a
 * `want` no finding matches.
 */
import fs from 'node:fs';
import path from 'node:path';
import { analyze } from './engine.js';
import type { Finding } from './finding.js';

/** One `// want` expectation. */
export interface Expectation {
  file: string;
  line: number;
  pattern: RegExp;
  matched: boolean;
}

/** Outcome of running one rule over its fixtures. */
export interface FixtureOutcome {
  findings: Finding[];
  expectations: Expectation[];
  unexpected: Finding[];
  unmatched: Expectation[];
}

const WANT = /\/\/\s*want\s+((?:(?:"(?:[^"\\]|\\.)*"|`[^`]*`)\s*)+)/;
const QUOTED = /"(?:[^"\\]|\\.)*"|`[^`]*`/g;

/** Parses the `// want` expectations of a Go file's text. */
export function parseExpectations(file: string, text: string): Expectation[] {
  const out: Expectation[] = [];
  text.split('\n').forEach((line, i) => {
    const m = WANT.exec(line);
    if (!m) return;
    for (const q of (m[1] as string).match(QUOTED) ?? []) {
      const src = q.startsWith('`') ? q.slice(1, -1) : (JSON.parse(q) as string);
      out.push({ file, line: i + 1, pattern: new RegExp(src), matched: false });
    }
  });
  return out;
}

/** Runs rule `ruleId` over the `.go` files of `dir` and matches findings against `// want`. */
export async function runFixtures(ruleId: string, dir: string): Promise<FixtureOutcome> {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.go')).map((f) => path.join(dir, f));
  const expectations = files.flatMap((f) => parseExpectations(f, fs.readFileSync(f, 'utf8')));
  const res = await analyze([dir], { only: [ruleId], noConfig: true, workers: 0, lazy: false });
  const unexpected: Finding[] = [];
  for (const f of res.findings) {
    const e = expectations.find((x) => !x.matched && x.file === f.file && x.line === f.range.start.line && x.pattern.test(f.message));
    if (e) e.matched = true;
    else unexpected.push(f);
  }
  return { findings: res.findings, expectations, unexpected, unmatched: expectations.filter((e) => !e.matched) };
}

/** Renders an outcome's failures for a test message. */
export function describeOutcome(o: FixtureOutcome): string {
  const rel = (p: string): string => path.relative(process.cwd(), p);
  return [
    ...o.unexpected.map((f) => `unexpected finding ${rel(f.file)}:${f.range.start.line}: [${f.ruleId}] ${f.message}`),
    ...o.unmatched.map((e) => `no finding matched ${rel(e.file)}:${e.line}: want ${e.pattern}`),
  ].join('\n');
}
