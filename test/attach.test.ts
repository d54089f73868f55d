import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainFrames } from '../src/analysis/attach.js';

const example = path.resolve(__dirname, '../examples/abandonedsender/main.go');

describe('explainFrames', () => {
  it('attaches the static finding on the blocking line of a leaked goroutine frame', async () => {
    const m = await explainFrames([{ function: 'main.runWithTimeout.func1', file: example, line: 29 }]);
    const ex = m.get(`${example}:29`);
    expect(ex?.sourceLine).toBe('done <- struct{}{}');
    expect(ex?.findings[0]?.ruleId).toBe('abandoned-sender');
    expect(ex?.findings[0]?.range.start.line).toBe(29);
  });

  it('skips frames whose files do not exist locally', async () => {
    const m = await explainFrames([{ function: 'runtime.gopark', file: '/nonexistent/go/src/runtime/proc.go', line: 435 }]);
    expect(m.size).toBe(0);
  });

  it('explains nothing for a frame in a function without findings', async () => {
    const clean = path.resolve(__dirname, '../examples/clean/main.go');
    const m = await explainFrames([{ function: 'main.main', file: clean, line: 10 }]);
    expect(m.get(`${clean}:10`)?.findings).toEqual([]);
  });
});
