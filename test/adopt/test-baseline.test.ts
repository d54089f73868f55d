/**
 * `leakscope test --baseline`: known leaking tests are accepted, a leak added in a later
 * commit is reported alone, and a fixed one is listed as gone. Real `go test` runs on a
 * temporary module with git history.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, run, tempTree } from '../cli/helpers.js';
import { requireGo } from '../support/go.js';
import { commit, gitInit } from '../support/git.js';

const hasGo = requireGo('leakscope test --baseline');

const LIB = `package lib

func Block(ch chan int) { <-ch }

func Send(ch chan int) { ch <- 1 }
`;

const TESTS_V1 = `package lib

import "testing"

func TestBlock(t *testing.T) {
	go Block(make(chan int))
}

func TestSend(t *testing.T) {
	go Send(make(chan int))
}
`;

// TestSend fixed (buffered channel), TestBlockAgain leaks in a new place.
const TESTS_V2 = TESTS_V1.replace('go Send(make(chan int))', 'go Send(make(chan int, 1))') + `
func TestBlockAgain(t *testing.T) {
	ch := make(chan int)
	go func() { ch <- 2 }()
}
`;

interface JsonOut {
  findings: Array<{ ruleId: string; file: string; line: number }>;
  notices: string[];
}

async function leakscopeTest(dir: string, args: string[]): Promise<{ code: number; report: JsonOut; stderr: string }> {
  const r = await run(['test', '--format', 'json', ...args], { cwd: dir, env: { GOFLAGS: '-mod=mod' } });
  return { code: r.code, report: JSON.parse(r.stdout || '{"findings":[],"notices":[]}') as JsonOut, stderr: r.stderr };
}

describe.skipIf(!hasGo)('leakscope test with a baseline', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempTree();
    gitInit(dir);
    commit(dir, 'v1', { 'go.mod': 'module example.com/lib\n\ngo 1.21\n', 'lib.go': LIB, 'lib_test.go': TESTS_V1 });
  });
  afterAll(removeTempDirs);

  it('records the known leaks, then reports only the new one and the fixed one as gone', async () => {
    const w = await run(['test', '--write-baseline', 'leaks.json'], { cwd: dir, env: { GOFLAGS: '-mod=mod' } });
    expect(w.stderr).toContain('wrote leaks.json: 2 findings of 1 rule recorded');
    expect(w.code).toBe(0);
    const doc = JSON.parse(fs.readFileSync(path.join(dir, 'leaks.json'), 'utf8')) as { kind: string; findings: Array<{ function: string; code: string }> };
    expect(doc.kind).toBe('test');
    expect(doc.findings.map((e) => `${e.function}: ${e.code}`)).toEqual(['Block: func Block(ch chan int) { <-ch }', 'Send: func Send(ch chan int) { ch <- 1 }']);

    const same = await leakscopeTest(dir, ['--baseline', 'leaks.json']);
    expect(same.code).toBe(0);
    expect(same.report.findings).toEqual([]);

    commit(dir, 'v2', { 'lib_test.go': TESTS_V2 });
    const r = await leakscopeTest(dir, ['--baseline', 'leaks.json']);
    expect(r.code).toBe(1);
    expect(r.report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual(['lib_test.go:15 goroutine-leak']);
    expect(r.report.notices).toContain('  gone: goroutine-leak at lib.go in Send: func Send(ch chan int) { ch <- 1 }');
  }, 120_000);

  it('rejects a check baseline with exit 2 before running go', async () => {
    fs.writeFileSync(path.join(dir, 'check.json'), '{"leakscope": "baseline", "format": 1, "kind": "check", "findings": []}');
    const r = await run(['test', '--baseline', 'check.json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('leakscope: check.json: this baseline is for "leakscope check", not "leakscope test"\n');
  });
});
