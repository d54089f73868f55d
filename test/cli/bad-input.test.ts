/**
 * @fileoverview Bad input end to end (issue 2, "Bad input"): syntax errors, binary,
 * non-UTF-8, empty, unreadable and huge files, symlink loops and paths that do not
 * exist. None may crash; each gets a clear message naming the file; rule findings in the
 * rest of the tree are still reported; and leakscope never writes into the analysed tree.
 *
 * Exit codes: a bad file becomes a finding (`syntax` or `input`, severity error), so the
 * run exits 1; a bad command-line path is a usage error and exits 2.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  check,
  checkJson,
  CLEAN,
  DISCARDED_CANCEL,
  DISCARDED_CANCEL_LINE,
  GO_MOD,
  hasStackTrace,
  LOST_CANCEL,
  removeTempDirs,
  snapshot,
  tempTree,
  where,
  type JsonFinding,
} from './helpers.js';

afterEach(removeTempDirs);

const isRoot = process.getuid?.() === 0;

/** A file whose body has a syntax error on line 6 and a lost-cancel on line 7. */
const SYNTAX_THEN_LEAK = `package app

import "context"

func Broken() {
	x := := 1
	ctx, _ := context.WithTimeout(context.Background(), 1)
	_ = ctx
}
`;

function only(findings: JsonFinding[], ruleId: string): JsonFinding[] {
  return findings.filter((f) => f.ruleId === ruleId);
}

describe('syntax errors', () => {
  it('are reported as `syntax` at file:line, and the rest of the file and package is analysed', async () => {
    const dir = tempTree({ 'go.mod': GO_MOD, 'a.go': LOST_CANCEL, 'b.go': SYNTAX_THEN_LEAK });
    const { code, report, stderr } = await checkJson(dir, [dir]);
    expect(where(report)).toEqual(['a.go:6 lost-cancel', 'b.go:6 syntax', 'b.go:7 lost-cancel']);
    const syn = only(report.findings, 'syntax')[0];
    expect(syn).toMatchObject({ severity: 'error', file: 'b.go', line: 6 });
    expect(syn?.message).toMatch(/syntax error/);
    expect(hasStackTrace(stderr)).toBe(false);
    expect(code).toBe(1);
  });

  it('the text report names the file and line of the syntax error', async () => {
    const dir = tempTree({ 'b.go': SYNTAX_THEN_LEAK });
    const r = await check(dir, [dir]);
    expect(r.stdout).toMatch(/^b\.go$/m);
    expect(r.stdout).toMatch(/^\s+6:\d+\s+error\s+syntax error.*\[syntax\]$/m);
    expect(r.code).toBe(1);
  });

  it('are still reported under --severity error, and cannot be suppressed', async () => {
    const src = SYNTAX_THEN_LEAK.replace('x := := 1', 'x := := 1 //leakscope:ignore syntax generated');
    const dir = tempTree({ 'b.go': src });
    const { code, report } = await checkJson(dir, ['--severity', 'error', dir]);
    expect(only(report.findings, 'syntax').map((f) => f.line)).toEqual([6]);
    expect(report.findings.some((f) => f.ruleId === 'lost-cancel')).toBe(false); // a warning
    expect(code).toBe(1);
  });

  // Every file and body is parsed: syntax errors are reported in files no rule cares
  // about, and --all-files (a no-op kept for one release) changes nothing.
  it('are reported by default in a file that no rule looks at, the same with --all-files', async () => {
    const dir = tempTree({ 'app.go': CLEAN, 'broken.go': 'package app\n\nfunc g( {\n\tx :=\n}\n' });
    const plain = await checkJson(dir, [dir]);
    const all = await checkJson(dir, ['--all-files', dir]);
    const syntax = only(plain.report.findings, 'syntax').map((f) => `${f.file}:${f.line}`);
    expect(syntax[0]).toBe('broken.go:3');
    expect(syntax.every((s) => s.startsWith('broken.go:'))).toBe(true);
    expect(plain.code).toBe(1);
    expect(all.report.findings).toEqual(plain.report.findings);
    expect(all.code).toBe(1);
  });

  it('are reported in a file a rule looks at', async () => {
    const dir = tempTree({ 'app.go': CLEAN, 'broken.go': 'package app\n\nfunc g() {\n\tgo func() {}()\n\tx := (\n}\n' });
    const { code, report } = await checkJson(dir, [dir]);
    expect(only(report.findings, 'syntax').map((f) => f.file)).toContain('broken.go');
    expect(code).toBe(1);
  });

  // A file without a package clause is not Go (`go vet`: "expected 'package', found
  // 'import'").
  it('a file without a package clause is reported', async () => {
    const body = DISCARDED_CANCEL.replace(/^package app\n/, '');
    const dir = tempTree({ 'nopkg.go': body });
    const { report } = await checkJson(dir, [dir]);
    const diag = report.findings.filter((f) => (f.ruleId === 'syntax' || f.ruleId === 'input') && f.file === 'nopkg.go');
    expect(diag).toHaveLength(1);
    expect(diag[0]?.message).toMatch(/package/);
  });
});

describe('undecodable and odd files', () => {
  // go/scanner reports a NUL as "illegal character NUL" and bad UTF-8 as "illegal UTF-8
  // encoding", at their line and column, and goes on parsing: so does leakscope (one
  // error per line, at most eleven per file).
  it('a binary .go file (NUL bytes) gets a syntax error at the first NUL naming it; other files are analysed', async () => {
    const bin = Buffer.concat([Buffer.from('package app\n'), Buffer.from([0, 1, 2, 0xff, 0, 0x7f]), Buffer.alloc(1024)]);
    const dir = tempTree({ 'blob.go': bin, 'app.go': LOST_CANCEL });
    const { code, report, stderr } = await checkJson(dir, [dir]);
    expect(where(report)).toEqual(['app.go:6 lost-cancel', 'blob.go:2 syntax']);
    const err = only(report.findings, 'syntax')[0];
    expect([err?.line, err?.column, err?.message]).toEqual([2, 1, 'illegal character NUL']);
    expect(hasStackTrace(stderr)).toBe(false);
    expect(code).toBe(1);
  });

  it('a non-UTF-8 file gets a syntax error at the bad byte; it and the other files are analysed', async () => {
    const latin1 = Buffer.concat([Buffer.from('package app\n\n// caf'), Buffer.from([0xe9]), Buffer.from(' cr\xe8me\n', 'latin1')]);
    const dir = tempTree({ 'latin1.go': latin1, 'app.go': LOST_CANCEL });
    const { code, report } = await checkJson(dir, [dir]);
    // Two bad bytes on one line: go/parser reports both scanner errors.
    expect(where(report)).toEqual(['app.go:6 lost-cancel', 'latin1.go:3 syntax', 'latin1.go:3 syntax']);
    expect(only(report.findings, 'syntax').map((f) => [f.line, f.column, f.message])).toEqual([
      [3, 7, 'illegal UTF-8 encoding'],
      [3, 11, 'illegal UTF-8 encoding'],
    ]);
    expect(code).toBe(1);
  });

  it('the text report of a binary file does not dump the binary content raw', async () => {
    const dir = tempTree({ 'blob.go': Buffer.from([0x70, 0, 0x1b, 0x5b, 0x32, 0x4a, 0x0a]) });
    const r = await check(dir, [dir]);
    expect(r.stdout).toMatch(/^blob\.go$/m);
    expect(r.stdout).toMatch(/ error {2}.*\[syntax\]$/m);
    // An ESC [2J in the file must not reach the terminal (it would clear the screen).
    expect(r.stdout).not.toContain('\u001b[2J');
    expect(r.code).toBe(1);
  });

  it('shows no code frame for a binary or an invalid UTF-8 file (no raw bytes, no replacement characters)', async () => {
    const bin = Buffer.concat([Buffer.from('package app\n'), Buffer.from([0, 1, 2, 0xff, 0xfe]), Buffer.from(' garbage\n')]);
    const latin1 = Buffer.concat([Buffer.from('package app\nfunc f() { _ = "caf'), Buffer.from([0xe9]), Buffer.from('" }\n')]);
    const dir = tempTree({ 'blob.go': bin, 'latin1.go': latin1 });
    const r = await check(dir, [dir]);
    expect(r.stdout).toMatch(/^blob\.go\n {2}2:1 {2}error {2}illegal character NUL .*\n\nlatin1\.go\n/m);
    expect(r.stdout).toMatch(/^latin1\.go\n {2}2:20 {2}error {2}illegal UTF-8 encoding .*\n/m);
    expect(r.stdout).not.toMatch(/ \| /); // no code frame line at all
    expect(r.stdout).not.toContain('\ufffd');
    expect(r.stdout).not.toContain('garbage');
    expect(r.code).toBe(1);
  });

  it('an empty file (and a whitespace-only file) is reported as an `input` error naming it', async () => {
    const dir = tempTree({ 'empty.go': '', 'blank.go': '\n\n  \t\n', 'app.go': CLEAN });
    const { code, report } = await checkJson(dir, [dir]);
    expect(where(report)).toEqual(['blank.go:1 input', 'empty.go:1 input']);
    for (const f of report.findings) expect(f.message).toMatch(/empty file/);
    expect(code).toBe(1);
  });

  it('a UTF-8 BOM and CRLF line endings are accepted, with the right line numbers', async () => {
    const crlf = DISCARDED_CANCEL.replace(/\n/g, '\r\n');
    const dir = tempTree({ 'bom.go': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(LOST_CANCEL)]), 'crlf.go': crlf.replace('func Poll', 'func Poll2') });
    const { report } = await checkJson(dir, [dir]);
    expect(where(report)).toEqual(['bom.go:6 lost-cancel', `crlf.go:${DISCARDED_CANCEL_LINE} lost-cancel`]);
    expect(report.findings.find((f) => f.file === 'bom.go')?.column).toBe(7);
  });

  it.skipIf(isRoot)('an unreadable file is reported as an `input` error naming it (not as root)', async () => {
    const dir = tempTree({ 'secret.go': LOST_CANCEL, 'app.go': DISCARDED_CANCEL });
    fs.chmodSync(path.join(dir, 'secret.go'), 0o000);
    const { code, report, stderr } = await checkJson(dir, [dir]);
    expect(where(report)).toEqual([`app.go:${DISCARDED_CANCEL_LINE} lost-cancel`, 'secret.go:1 input']);
    expect(only(report.findings, 'input')[0]?.message).toMatch(/cannot read file: EACCES/);
    expect(hasStackTrace(stderr)).toBe(false);
    expect(code).toBe(1);
  });

  it.skipIf(isRoot)('an unreadable directory is skipped with a notice naming it (not as root)', async () => {
    const dir = tempTree({ 'locked/x.go': LOST_CANCEL, 'open/y.go': LOST_CANCEL });
    fs.chmodSync(path.join(dir, 'locked'), 0o000);
    const { report, stderr } = await checkJson(dir, [`${dir}/...`]);
    expect(where(report)).toEqual(['open/y.go:6 lost-cancel']);
    expect(report.notices.join('\n')).toMatch(/locked: cannot read directory \(EACCES\)/);
    expect(hasStackTrace(stderr)).toBe(false);
  });

  it('a named pipe called x.go is not opened (it would block forever)', async () => {
    const dir = tempTree({ 'app.go': LOST_CANCEL });
    const fifo = path.join(dir, 'pipe.go');
    try {
      // mkfifo is not in node:fs; use the system tool when present.
      const { execFileSync } = await import('node:child_process');
      execFileSync('mkfifo', [fifo]);
    } catch {
      return; // no mkfifo on this system
    }
    const { code, report } = await checkJson(dir, [dir]);
    expect(where(report)).toEqual(['app.go:6 lost-cancel']);
    expect(code).toBe(1);
    const direct = await check(dir, [fifo]);
    expect(direct.code).toBe(2);
    expect(direct.stderr).toMatch(/pipe\.go: not a regular file or directory/);
  });
});

describe('symlinks', () => {
  it('a directory symlink loop is walked once, without hanging or duplicate findings', async () => {
    const dir = tempTree({ 'pkg/app.go': LOST_CANCEL });
    fs.symlinkSync('..', path.join(dir, 'pkg', 'up')); // pkg/up -> dir
    fs.symlinkSync('.', path.join(dir, 'pkg', 'here')); // pkg/here -> pkg
    fs.symlinkSync('loop-b', path.join(dir, 'loop-a')); // loop-a <-> loop-b: ELOOP
    fs.symlinkSync('loop-a', path.join(dir, 'loop-b'));
    fs.symlinkSync('missing', path.join(dir, 'dangling.go'));
    const { code, report, stderr } = await checkJson(dir, [`${dir}/...`]);
    expect(where(report)).toEqual(['pkg/app.go:6 lost-cancel']);
    expect(hasStackTrace(stderr)).toBe(false);
    expect(code).toBe(1);
  });

  it('a target that is a self-referencing symlink exits 2 with a one-line message naming it', async () => {
    const dir = tempTree({ 'app.go': CLEAN });
    fs.symlinkSync('self', path.join(dir, 'self'));
    const r = await check(dir, [path.join(dir, 'self')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^leakscope: .*self: .+\n$/);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });
});

describe('size and scale', () => {
  it('a 5 MB generated file is analysed, and a finding at its end is reported', async () => {
    let src = 'package big\n\nimport "context"\n\n';
    for (let i = 0; src.length < 5 * 1024 * 1024; i++) {
      src += `func F${i}(x int) int {\n\tif x > ${i} {\n\t\treturn x * 2\n\t}\n\tswitch x {\n\tcase 1:\n\t\treturn 3\n\t}\n\treturn x + ${i}\n}\n\n`;
    }
    const leakLine = src.split('\n').length + 1;
    src += 'func Leak(x bool) {\n\tctx, cancel := context.WithCancel(context.Background())\n\tif x {\n\t\treturn\n\t}\n\tdefer cancel()\n\t_ = ctx\n}\n';
    const dir = tempTree({ 'big.go': src });
    const t0 = Date.now();
    const { code, report } = await checkJson(dir, [dir]);
    expect(where(report)).toEqual([`big.go:${leakLine} lost-cancel`]);
    expect(code).toBe(1);
    expect(Date.now() - t0).toBeLessThan(60_000);
  });

  it('a tree large enough for worker threads gives the same findings as the main thread', async () => {
    const files: Record<string, string> = { 'go.mod': GO_MOD };
    for (let i = 0; i < 48; i++) files[`p${String(i).padStart(2, '0')}/x.go`] = i % 8 === 0 ? LOST_CANCEL : CLEAN;
    const dir = tempTree(files);
    const threaded = await checkJson(dir, ['--workers', '2', `${dir}/...`]);
    const inline = await checkJson(dir, ['--workers', '0', `${dir}/...`]);
    expect(where(threaded.report)).toEqual(['p00', 'p08', 'p16', 'p24', 'p32', 'p40'].map((p) => `${p}/x.go:6 lost-cancel`));
    expect(where(inline.report)).toEqual(where(threaded.report));
    expect(threaded.report.summary.files).toBe(48);
  });
});

describe('bad command-line paths', () => {
  it('a path that does not exist exits 2 with one line naming it', async () => {
    const dir = tempTree({ 'app.go': LOST_CANCEL });
    const r = await check(dir, [dir, path.join(dir, 'nope', '...')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^leakscope: .*nope\/\.\.\.: no such file or directory\n$/);
  });

  it('a missing .go file exits 2 with one line naming it', async () => {
    const dir = tempTree({});
    const r = await check(dir, [path.join(dir, 'gone.go')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^leakscope: .*gone\.go: no such file or directory\n$/);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });
});

describe('leakscope never writes into the analysed tree', () => {
  it('leaves every entry (names, sizes, mtimes, modes) unchanged across formats and options', async () => {
    const dir = tempTree({
      'go.mod': GO_MOD,
      '.leakscope.yaml': 'rules:\n  abandoned-sender: error\n',
      'app.go': LOST_CANCEL,
      'b.go': SYNTAX_THEN_LEAK,
      'blob.go': Buffer.from([0x70, 0, 1, 2]),
      'empty.go': '',
      'ign.go': `//leakscope:file-ignore lost-cancel test\n${DISCARDED_CANCEL.replace('func Poll', 'func Poll9')}`,
      'sub/x_test.go': LOST_CANCEL,
    });
    fs.symlinkSync('..', path.join(dir, 'sub', 'up'));
    // Make mtimes distinguishable from "now" so a rewrite with the same content is caught.
    const past = new Date('2020-01-02T03:04:05Z');
    for (const f of ['app.go', 'b.go', 'go.mod', '.leakscope.yaml']) fs.utimesSync(path.join(dir, f), past, past);
    const before = snapshot(dir);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ls-out-'));
    try {
      for (const args of [
        [],
        ['--format', 'json'],
        ['--format', 'sarif'],
        ['--format', 'github'],
        ['--report-unused-ignores', '--tests=false'],
        ['--format', 'sarif', '-o', path.join(out, 'r.sarif')],
      ]) {
        const r = await check(dir, [...args, `${dir}/...`]);
        expect(r.code, `args ${args.join(' ')}: ${r.stderr}`).toBe(1);
      }
      expect(fs.existsSync(path.join(out, 'r.sarif'))).toBe(true);
      expect(snapshot(dir)).toEqual(before);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('exits 2 and writes nothing when -o points into a directory that does not exist', async () => {
    const dir = tempTree({ 'app.go': LOST_CANCEL });
    const before = snapshot(dir);
    const r = await check(dir, ['-o', path.join(dir, 'no', 'such', 'dir', 'r.txt'), dir]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/r\.txt/);
    expect(snapshot(dir)).toEqual(before);
  });

  // An -o path whose directory does not exist is a user error: one line naming the path.
  it('-o into a missing directory gives a one-line message without a stack trace', async () => {
    const dir = tempTree({ 'app.go': LOST_CANCEL });
    const r = await check(dir, ['-o', path.join(dir, 'no', 'such', 'dir', 'r.txt'), dir]);
    expect(r.stderr).toMatch(/^leakscope: .*no\/such\/dir\/r\.txt.*\n$/);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  // `-o <existing directory>` is refused before anything is written.
  it('-o naming an existing directory leaves no temporary file and prints no stack trace', async () => {
    const dir = tempTree({ 'app.go': LOST_CANCEL, 'sub/keep.txt': 'x\n' });
    const before = snapshot(dir);
    const r = await check(dir, ['-o', path.join(dir, 'sub'), dir]);
    expect(r.code).toBe(2);
    expect(snapshot(dir)).toEqual(before);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });
});
