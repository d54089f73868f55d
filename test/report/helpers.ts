/**
 * @fileoverview Shared fixtures for the reporter tests: a small rule set, findings and an
 * in-memory source map standing in for the file system.
 */
import path from 'node:path';
import type { Finding, Range, Severity } from '../../src/analysis/finding.js';
import type { RuleMeta } from '../../src/analysis/meta.js';
import { docsUrl } from '../../src/analysis/meta.js';
import type { ReportInput } from '../../src/report/index.js';

/** A base directory that exists on no machine, so nothing is read from disk by accident. */
export const BASE = path.resolve('/nonexistent/leakscope-test-base');

/** Absolute path of `rel` under {@link BASE}. */
export function abs(rel: string): string {
  return path.join(BASE, ...rel.split('/'));
}

/** A range on one or more lines. */
export function range(line: number, column: number, endLine: number, endColumn: number): Range {
  return { start: { line, column }, end: { line: endLine, column: endColumn } };
}

/** Rule metadata for tests. */
export function meta(id: string, severity: Severity = 'error', enabledByDefault = true): RuleMeta {
  return {
    id,
    severity,
    since: '0.1.0',
    description: `Reports ${id}.`,
    help: `Why ${id} matters and how to fix it.`,
    docsUrl: docsUrl(id),
    enabledByDefault,
    category: 'goroutine-leak',
  };
}

export const RULES: RuleMeta[] = [meta('lost-cancel'), meta('abandoned-sender', 'warning'), meta('waitgroup-add-in-goroutine')];

/** A finding with defaults. */
export function finding(file: string, r: Range, over: Partial<Finding> = {}): Finding {
  return { ruleId: 'lost-cancel', severity: 'error', message: 'the cancel function is not called', file, range: r, ...over };
}

export const MAIN_GO = [
  'package main',
  '',
  'func f(ctx context.Context) {',
  '\tctx, _ := context.WithCancel(ctx)',
  '\t_ = ctx',
  '}',
  '',
].join('\n');

/** A ReportInput whose readSource serves `sources` (absolute path → text). */
export function input(findings: Finding[], sources: Record<string, string> = {}, over: Partial<ReportInput> = {}): ReportInput {
  return {
    findings,
    rules: RULES,
    baseDir: BASE,
    readSource: (f) => sources[path.resolve(f)],
    color: false,
    toolVersion: '1.2.3',
    ...over,
  };
}
