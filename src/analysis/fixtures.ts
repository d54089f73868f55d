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

/**
 * Runs rule `ruleId` over its fixtures and matches findings against `// want`.
 * `dir` holds one fixture package (its `.go` files); each subdirectory is another
 * fixture package with an optional `go.mod`, so version-gated rules can be tested under
 * several `go` versions (like staticcheck's `testdata/go1.x/` folders).
 */
export async function runFixtures(ruleId: string, dir: string): Promise<FixtureOutcome> {
  const pkgDirs = [dir, ...fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => path.join(dir, d.name))];
  const out: FixtureOutcome = { findings: [], expectations: [], unexpected: [], unmatched: [] };
  for (const d of pkgDirs) {
    const files = fs.readdirSync(d).filter((f) => f.endsWith('.go')).map((f) => path.join(d, f));
    if (files.length === 0) continue;
    const expectations = files.flatMap((f) => parseExpectations(f, fs.readFileSync(f, 'utf8')));
    const res = await analyze([d], { only: [ruleId], noConfig: true, workers: 0, yieldToDisabled: false });
    for (const f of res.findings) {
      const e = expectations.find((x) => !x.matched && x.file === f.file && x.line === f.range.start.line && x.pattern.test(f.message));
      if (e) e.matched = true;
      else out.unexpected.push(f);
    }
    out.findings.push(...res.findings);
    out.expectations.push(...expectations);
    out.unmatched.push(...expectations.filter((e) => !e.matched));
  }
  return out;
}

/** Renders an outcome's failures for a test message. */
export function describeOutcome(o: FixtureOutcome): string {
  const rel = (p: string): string => path.relative(process.cwd(), p);
  return [
    ...o.unexpected.map((f) => `unexpected finding ${rel(f.file)}:${f.range.start.line}: [${f.ruleId}] ${f.message}`),
    ...o.unmatched.map((e) => `no finding matched ${rel(e.file)}:${e.line}: want ${e.pattern}`),
  ].join('\n');
}
