import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LeakscopeConfig } from '../src/analysis/config.js';
import {
  closestMatch,
  ConfigError,
  editDistance,
  emptyConfig,
  findConfigFile,
  isExcluded,
  loadConfig,
} from '../src/analysis/config.js';

const KNOWN = new Set(['lost-cancel', 'abandoned-sender', 'waitgroup-add-in-goroutine']);

let tmp: string;
beforeEach(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'leakscope-config-')));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function write(rel: string, text: string): string {
  const file = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** Loads `text` as a config file and returns the ConfigError it throws. */
function configError(text: string): ConfigError {
  const file = write('.leakscope.yaml', text);
  try {
    loadConfig(file, KNOWN);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    const err = e as ConfigError;
    expect(err.file).toBe(file);
    // The message is ready to print: it starts with file:line:column.
    if (err.line !== undefined) expect(err.message.startsWith(`${file}:${err.line}:${err.column}: `)).toBe(true);
    return err;
  }
  throw new Error('expected loadConfig to throw');
}

describe('findConfigFile', () => {
  it('finds .leakscope.yaml in an ancestor directory', () => {
    const cfg = write('repo/.leakscope.yaml', 'tests: true\n');
    fs.mkdirSync(path.join(tmp, 'repo/a/b/c'), { recursive: true });
    expect(findConfigFile(path.join(tmp, 'repo/a/b/c'))).toBe(cfg);
    expect(findConfigFile(path.join(tmp, 'repo'))).toBe(cfg);
  });

  it('finds .leakscope.yml too, and prefers .yaml in the same directory', () => {
    const yml = write('r/.leakscope.yml', '');
    fs.mkdirSync(path.join(tmp, 'r/x'));
    expect(findConfigFile(path.join(tmp, 'r/x'))).toBe(yml);
    const yaml = write('r/.leakscope.yaml', '');
    expect(findConfigFile(path.join(tmp, 'r/x'))).toBe(yaml);
  });

  it('stops at the nearest config', () => {
    write('outer/.leakscope.yaml', '');
    const inner = write('outer/inner/.leakscope.yml', '');
    fs.mkdirSync(path.join(tmp, 'outer/inner/pkg'));
    expect(findConfigFile(path.join(tmp, 'outer/inner/pkg'))).toBe(inner);
  });

  it('accepts a file as the start and ignores directories named like a config', () => {
    const cfg = write('m/.leakscope.yaml', '');
    fs.mkdirSync(path.join(tmp, 'm/sub/.leakscope.yaml'), { recursive: true });
    const goFile = write('m/sub/main.go', 'package main\n');
    expect(findConfigFile(goFile)).toBe(cfg);
    expect(findConfigFile(path.join(tmp, 'm/sub'))).toBe(cfg);
  });

  it('returns undefined when no ancestor up to the root has one', () => {
    fs.mkdirSync(path.join(tmp, 'empty/deep'), { recursive: true });
    // Guard: the test machine must not have a config above the temp dir.
    let above: string | undefined;
    for (let d = path.dirname(tmp); ; d = path.dirname(d)) {
      if (fs.existsSync(path.join(d, '.leakscope.yaml')) || fs.existsSync(path.join(d, '.leakscope.yml'))) above = d;
      if (path.dirname(d) === d) break;
    }
    expect(above).toBeUndefined();
    expect(findConfigFile(path.join(tmp, 'empty/deep'))).toBeUndefined();
  });

  it('does not throw for a start path that does not exist', () => {
    const cfg = write('n/.leakscope.yaml', '');
    expect(findConfigFile(path.join(tmp, 'n/does/not/exist'))).toBe(cfg);
  });
});

describe('loadConfig: valid files', () => {
  it('loads every setting', () => {
    const file = write(
      '.leakscope.yaml',
      [
        '# comment',
        'rules:',
        '  lost-cancel: error',
        '  abandoned-sender:',
        '    enabled: true',
        '    severity: info',
        '  waitgroup-add-in-goroutine: off',
        'exclude:',
        '  - vendor',
        '  - "**/*.pb.go"',
        'tests: false',
        'build-tags: [cluster_proxy, integration]',
        'generated: true',
        'ignore-top:',
        '  - go.opencensus.io/stats/view.(*worker).start',
        'ignore-created-by: [net/http.(*Server).Serve]',
        '',
      ].join('\n'),
    );
    expect(loadConfig(file, KNOWN)).toEqual<LeakscopeConfig>({
      file,
      rules: {
        'lost-cancel': { enabled: true, severity: 'error' },
        'abandoned-sender': { enabled: true, severity: 'info' },
        'waitgroup-add-in-goroutine': { enabled: false },
      },
      exclude: ['vendor', '**/*.pb.go'],
      tests: false,
      buildTags: ['cluster_proxy', 'integration'],
      generated: true,
      ignoreTop: ['go.opencensus.io/stats/view.(*worker).start'],
      ignoreCreatedBy: ['net/http.(*Server).Serve'],
    });
  });

  it.each([
    ['off', { enabled: false }],
    ['on', { enabled: true }],
    ['info', { enabled: true, severity: 'info' }],
    ['warning', { enabled: true, severity: 'warning' }],
    ['error', { enabled: true, severity: 'error' }],
    ['true', { enabled: true }],
    ['false', { enabled: false }],
    ['{severity: warning}', { severity: 'warning' }],
    ['{enabled: false}', { enabled: false }],
  ])('accepts rule shorthand %s', (value, expected) => {
    const file = write('.leakscope.yaml', `rules:\n  lost-cancel: ${value}\n`);
    expect(loadConfig(file, KNOWN).rules['lost-cancel']).toEqual(expected);
  });

  it('treats an empty or comment-only file, and empty sections, as defaults', () => {
    const file = write('.leakscope.yml', '# nothing yet\n');
    expect(loadConfig(file, KNOWN)).toEqual({ ...emptyConfig(), file });
    const file2 = write('b/.leakscope.yaml', 'rules:\nexclude:\n');
    expect(loadConfig(file2, KNOWN)).toEqual({ ...emptyConfig(), file: file2 });
  });

  it('leaves tests undefined when not set', () => {
    const file = write('.leakscope.yaml', 'exclude: [gen]\n');
    expect(loadConfig(file, KNOWN).tests).toBeUndefined();
  });
});

describe('loadConfig: errors name the file, line and column', () => {
  it('unknown top-level key, with the closest known key', () => {
    const err = configError('tests: true\nrule:\n  lost-cancel: off\n');
    expect(err).toMatchObject({ line: 2, column: 1 });
    expect(err.message).toContain('unknown key "rule"; did you mean "rules"?');
    expect(configError('ignore_top: []\n').message).toContain('did you mean "ignore-top"?');
    expect(configError('colour: true\n').message).not.toContain('did you mean');
  });

  it('unknown rule id, with the closest known id', () => {
    const err = configError('rules:\n  lost-cancel: on\n  lost-cancle: off\n');
    expect(err).toMatchObject({ line: 3, column: 3 });
    expect(err.message).toContain('unknown rule "lost-cancle"; did you mean "lost-cancel"?');
  });

  it('bad severity shorthand, with a suggestion', () => {
    const err = configError('rules:\n  lost-cancel: warn\n');
    expect(err).toMatchObject({ line: 2, column: 16 });
    expect(err.message).toContain('invalid setting "warn" for rule "lost-cancel"; expected one of off, on, info, warning, error');
    expect(err.message).toMatch(/did you mean "warning"\?$/);
  });

  it('bad severity in the long form', () => {
    const err = configError('rules:\n  lost-cancel:\n    severity: fatal\n');
    expect(err).toMatchObject({ line: 3, column: 15 });
    expect(err.message).toContain('"severity" of rule "lost-cancel" must be one of info, warning, error');
  });

  it('unknown key in a rule setting', () => {
    const err = configError('rules:\n  lost-cancel:\n    enable: true\n');
    expect(err).toMatchObject({ line: 3, column: 5 });
    expect(err.message).toContain('did you mean "enabled"?');
  });

  it.each([
    ['exclude: vendor\n', 1, '"exclude" must be a list of strings, found the string "vendor"'],
    ['exclude:\n  - gen\n  - 3\n', 3, '"exclude" entries must be strings, found number 3'],
    ['tests: yes\n', 1, '"tests" must be true or false, found the string "yes"'],
    ['rules: [lost-cancel]\n', 1, '"rules" must be a mapping'],
    ['rules:\n  lost-cancel: 3\n', 2, 'invalid setting number 3 for rule "lost-cancel"'],
    ['rules:\n  lost-cancel:\n    enabled: "no"\n', 3, '"enabled" of rule "lost-cancel" must be true or false'],
    ['ignore-top: {a: 1}\n', 1, '"ignore-top" must be a list of strings, found a mapping'],
    ['- rules\n', 1, 'expected a mapping of settings at the top level, found a list'],
    ['exclude: ["!vendor"]\n', 1, 'negated patterns'],
  ])('wrong types: %j', (text, line, message) => {
    const err = configError(text);
    expect(err.line).toBe(line);
    expect(err.message).toContain(message);
  });

  it('invalid YAML, with the parser position', () => {
    const err = configError('rules:\n  lost-cancel: off\nexclude: [vendor\ntests: true\n');
    expect(err.message).toContain('invalid YAML');
    expect(err.line).toBeGreaterThanOrEqual(3);
    expect(err.message).not.toContain('\n'); // one line, no source excerpt
  });

  it('several YAML documents', () => {
    const err = configError('tests: true\n---\ntests: false\n');
    expect(err.line).toBe(2);
    expect(err.message).toContain('invalid YAML: a config file must contain a single YAML document');
  });

  it('an empty value where a setting is required', () => {
    const err = configError('tests:\nrules:\n  lost-cancel:\n');
    expect(err).toMatchObject({ line: 1, column: 7 });
    expect(err.message).toContain('"tests" must be true or false, found an empty value');
    expect(configError('rules:\n  lost-cancel:\n').message).toContain('invalid setting an empty value for rule "lost-cancel"');
  });

  it('duplicate keys', () => {
    const err = configError('tests: true\ntests: false\n');
    expect(err.line).toBe(2);
    expect(err.message).toMatch(/invalid YAML: .*unique/);
  });

  it('an unreadable file', () => {
    const missing = path.join(tmp, 'nope.yaml');
    let err: unknown;
    try {
      loadConfig(missing, KNOWN);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toBe(`${missing}: cannot read config file (ENOENT)`);
    expect((err as ConfigError).line).toBeUndefined();
  });
});

describe('isExcluded', () => {
  function config(exclude: string[]): LeakscopeConfig {
    return { ...emptyConfig(), file: path.join(tmp, '.leakscope.yaml'), exclude };
  }
  const p = (rel: string): string => path.join(tmp, ...rel.split('/'));

  it('excludes whole subtrees named by a bare directory name at any depth', () => {
    const c = config(['vendor', 'testdata/']);
    expect(isExcluded(c, p('vendor/x/y.go'))).toBe(true);
    expect(isExcluded(c, p('a/vendor/y.go'))).toBe(true);
    expect(isExcluded(c, p('a/testdata/y.go'))).toBe(true);
    expect(isExcluded(c, p('a/vendors/y.go'))).toBe(false);
    expect(isExcluded(c, p('vendor'))).toBe(true);
  });

  it('matches basename globs at any depth, and slash globs anchored at the config directory', () => {
    const c = config(['*.pb.go', 'internal/gen', '/top.go', './cmd/tool/**']);
    expect(isExcluded(c, p('api/v1/x.pb.go'))).toBe(true);
    expect(isExcluded(c, p('api/v1/x.go'))).toBe(false);
    expect(isExcluded(c, p('internal/gen/a/b.go'))).toBe(true);
    expect(isExcluded(c, p('x/internal/gen/b.go'))).toBe(false);
    expect(isExcluded(c, p('top.go'))).toBe(true);
    expect(isExcluded(c, p('sub/top.go'))).toBe(false);
    expect(isExcluded(c, p('cmd/tool/main.go'))).toBe(true);
    expect(isExcluded(c, p('cmd/other/main.go'))).toBe(false);
  });

  it('matches dot files and directories (dot: true) and ** patterns', () => {
    const c = config(['.cache/**', '**/*_gen.go']);
    expect(isExcluded(c, p('.cache/a.go'))).toBe(true);
    expect(isExcluded(c, p('x_gen.go'))).toBe(true);
    expect(isExcluded(c, p('a/b/x_gen.go'))).toBe(true);
    expect(isExcluded(c, p('a/b/x.go'))).toBe(false);
  });

  it('never excludes paths outside the config directory, or anything when there are no patterns', () => {
    const c = config(['*.go']);
    expect(isExcluded(c, path.join(path.dirname(tmp), 'elsewhere.go'))).toBe(false);
    expect(isExcluded(config([]), p('a.go'))).toBe(false);
  });

  it('uses the working directory as the base for a config without a file', () => {
    const c: LeakscopeConfig = { ...emptyConfig(), exclude: ['gen'] };
    expect(isExcluded(c, path.join(process.cwd(), 'gen', 'a.go'))).toBe(true);
    expect(isExcluded(c, path.join(process.cwd(), 'src', 'a.go'))).toBe(false);
  });

  it('sees later changes to the exclude list', () => {
    const c = config(['a']);
    expect(isExcluded(c, p('b/x.go'))).toBe(false);
    c.exclude.push('b');
    expect(isExcluded(c, p('b/x.go'))).toBe(true);
  });

  it('works with patterns loaded from a file in a subdirectory', () => {
    const file = write('proj/.leakscope.yaml', 'exclude: [gen]\n');
    const c = loadConfig(file, KNOWN);
    expect(isExcluded(c, p('proj/gen/a.go'))).toBe(true);
    expect(isExcluded(c, p('gen/a.go'))).toBe(false);
  });
});

describe('suggestions', () => {
  it('counts a transposition as one edit and only suggests plausible typos', () => {
    expect(editDistance('lost-cancle', 'lost-cancel')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(closestMatch('LOST-CANCEL', KNOWN)).toBe('lost-cancel');
    expect(closestMatch('abandoned-sendr', KNOWN)).toBe('abandoned-sender');
    expect(closestMatch('something-else', KNOWN)).toBeUndefined();
  });
});
