import { describe, expect, it } from 'vitest';
import type { OutputFormat } from '../../src/report/index.js';
import { formatReport, isOutputFormat, OUTPUT_FORMATS } from '../../src/report/index.js';
import { abs, finding, input, MAIN_GO, range } from './helpers.js';

describe('formatReport', () => {
  const A = abs('a.go');
  const data = input([finding(A, range(4, 12, 4, 35))], { [A]: MAIN_GO });

  it('dispatches to each format', () => {
    expect(formatReport('text', data)).toContain('4:12  error');
    expect(JSON.parse(formatReport('json', data))).toHaveProperty('findings.0.ruleId', 'lost-cancel');
    expect(JSON.parse(formatReport('sarif', data))).toHaveProperty('version', '2.1.0');
    expect(formatReport('github', data)).toMatch(/^::error file=a\.go,/);
  });

  it('ends every non-empty output with exactly one newline', () => {
    for (const format of OUTPUT_FORMATS) {
      const out = formatReport(format, data);
      expect(out.endsWith('\n')).toBe(true);
      expect(out.endsWith('\n\n')).toBe(false);
    }
  });

  it('validates format names and rejects unknown ones', () => {
    expect(OUTPUT_FORMATS).toEqual(['text', 'json', 'sarif', 'github', 'gitlab']);
    expect(OUTPUT_FORMATS.every(isOutputFormat)).toBe(true);
    expect(isOutputFormat('xml')).toBe(false);
    expect(() => formatReport('xml' as OutputFormat, data)).toThrow(/unknown output format: xml/);
  });
});
