/**
 * monitor.yaml and file_sd parsing (errors with file:line), credentials (resolved at request
 * time, never printed), the listen-address policy and the CLI's usage errors.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/analysis/config.js';
import { parseMonitorConfig, readFileSd, resolveCredential, describeCredential, expandFileSd, timeoutFor } from '../../src/monitor/config.js';
import { checkListen, ListenError } from '../../src/server/index.js';
import { parseMatcher, silenceMatches } from '../../src/monitor/alerts.js';
import { execute } from '../../src/cli/main.js';

const F = '/etc/leakscope/monitor.yaml';

function err(text: string): string {
  try {
    parseMonitorConfig(text, F);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('monitor.yaml', () => {
  it('parses targets, overrides, defaults and detection settings', () => {
    const c = parseMonitorConfig(
      `scrape:
  intervals: { goroutine: 15s }
targets:
  - url: http://10.0.0.5:6060
    job: api
    labels: { team: payments }
  - url: https://10.0.0.6:8443/internal/pprof/
    instance: api-2
    job: api
    bearer-token: { env: API_TOKEN }
    headers: { X-Tenant: acme }
    intervals: { heap: 2m }
    tls: { ca-file: ca.pem, insecure-skip-verify: false }
detection:
  growth: { window: 1h, min-count: 500 }
  allow: [{ function: '^main\\.heartbeat', reason: slow heartbeat }]
alerts:
  for: 3
  webhooks: [{ url: 'http://hooks.local/x', bearer-token: { file: token.txt } }]
`,
      F,
    );
    expect(c.targets.map((t) => [t.key, t.url, t.pathPrefix, t.intervals])).toEqual([
      ['api/10.0.0.5:6060', 'http://10.0.0.5:6060', '/debug/pprof', { goroutine: 15_000, heap: 60_000, goroutineleak: 300_000 }],
      ['api/api-2', 'https://10.0.0.6:8443', '/internal/pprof', { goroutine: 15_000, heap: 120_000, goroutineleak: 300_000 }],
    ]);
    expect(c.targets[0]!.labels).toEqual({ team: 'payments' });
    expect(c.targets[1]!.tls!.caFile).toBe('/etc/leakscope/ca.pem');
    expect(c.detection.growth).toMatchObject({ windowMs: 3_600_000, minCount: 500, minPoints: 20, minZ: 3 });
    expect(c.alerts.forEvaluations).toBe(3);
    expect(c.alerts.webhooks[0]!.bearerToken).toEqual({ file: '/etc/leakscope/token.txt' });
    expect(timeoutFor(c.targets[0]!, 'goroutine')).toBe(10_000);
    expect(timeoutFor(c.targets[0]!, 'heap')).toBe(10_000);
    // Nothing secret in the serialised config: credentials are references.
    expect(JSON.stringify(c)).not.toMatch(/secret-value/);
  });

  it('reports unknown keys and bad values with file:line and a suggestion', () => {
    expect(err('targets:\n  - url: http://a:1\n    intervall: { goroutine: 5s }\n')).toBe(`${F}:3:5: unknown key "intervall" in targets[0]; did you mean "intervals"? (known keys: url, job, instance, labels, intervals, timeouts, path-prefix, headers, bearer-token, basic-auth, tls, source, profiles)`);
    expect(err('scrape:\n  intervals: { goroutine: 5 minutes }\n')).toMatch(new RegExp(`^${F}:2:27: scrape.intervals.goroutine must be a duration like 500ms`));
    expect(err('targets:\n  - url: ftp://a:1\n')).toBe(`${F}:2:10: targets[0].url must be a http or https URL, found "ftp://a:1"`);
    expect(err('targets:\n  - job: x\n')).toBe(`${F}:2:5: targets[0] is missing "url"`);
    expect(err('detection:\n  growth: { min-z: -1 }\n')).toMatch(`${F}:2:20: detection.growth.min-z must be at least 0, found -1`);
    expect(err('alertz: {}\n')).toMatch(`${F}:1:1: unknown key "alertz"; did you mean "alerts"?`);
    expect(err('targets:\n  - url: http://a:1\n  - url: http://a:1\n')).toMatch(/target "go\/a:1" is declared twice \(also at .*monitor.yaml:2\)/);
    expect(err('targets:\n  - url: http://a:1\n    timeouts: { goroutine: 40s }\n')).toMatch(/timeouts.goroutine \(40000ms\) must be below intervals.goroutine \(30000ms\)/);
    expect(err('targets: [\n')).toMatch(new RegExp(`^${F}:\\d+:\\d+: invalid YAML`));
    expect(err('targets:\n  - url: http://a:1\n    bearer-token: { vault: x }\n')).toMatch(/unknown key "vault" in targets\[0\].bearer-token/);
  });

  it('reads file_sd files (JSON and YAML) with job/instance labels and file:line errors', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakscope-sd-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.json'), JSON.stringify([{ targets: ['10.0.0.1:6060', '10.0.0.2:6060'], labels: { job: 'web', zone: 'eu' } }], null, 2));
      fs.writeFileSync(path.join(dir, 'b.yaml'), '- targets: ["10.0.0.3:6060"]\n  labels: { instance: db-1 }\n');
      fs.writeFileSync(path.join(dir, 'bad.json'), '[{"targets": "10.0.0.9:1"}]');
      const c = parseMonitorConfig(`file-sd:\n  - files: ['${dir}/*.json', '${dir}/b.yaml']\n    job: fallback\n`, F);
      const sd = c.fileSd[0]!;
      expect(expandFileSd(sd).map((f) => path.basename(f))).toEqual(['a.json', 'bad.json', 'b.yaml']);
      expect(readFileSd(path.join(dir, 'a.json'), sd).map((t) => [t.key, t.labels])).toEqual([
        ['web/10.0.0.1:6060', { zone: 'eu' }],
        ['web/10.0.0.2:6060', { zone: 'eu' }],
      ]);
      expect(readFileSd(path.join(dir, 'b.yaml'), sd).map((t) => t.key)).toEqual(['fallback/db-1']);
      expect(() => readFileSd(path.join(dir, 'bad.json'), sd)).toThrow(`${path.join(dir, 'bad.json')}:1:14: [0].targets must be a list, found the string "10.0.0.9:1"`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('credentials come from env or files at request time and are described without their value', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakscope-cred-'));
    fs.writeFileSync(path.join(dir, 't'), 'from-file\n');
    expect(resolveCredential({ env: 'TOK' }, { TOK: 'from-env' })).toBe('from-env');
    expect(resolveCredential({ file: path.join(dir, 't') })).toBe('from-file');
    expect(() => resolveCredential({ env: 'NOPE' }, {})).toThrow('environment variable NOPE is not set');
    expect(describeCredential({ value: 'hunter2' })).toBe('<literal>');
    expect(describeCredential({ env: 'TOK' })).toBe('env:TOK');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('security and silences', () => {
  it('listens on loopback; refuses other addresses without TLS unless --insecure-listen', () => {
    expect(checkListen('127.0.0.1:7070', false, false)).toEqual({ host: '127.0.0.1', port: 7070 });
    expect(checkListen('[::1]:7070', false, false)).toEqual({ host: '::1', port: 7070 });
    expect(() => checkListen('0.0.0.0:7070', false, false)).toThrow(ListenError);
    expect(() => checkListen(':7070', false, false)).toThrow(/not a loopback address and no TLS is configured/);
    expect(checkListen('0.0.0.0:7070', true, false).host).toBe('0.0.0.0');
    expect(checkListen('10.1.2.3:7070', false, true).host).toBe('10.1.2.3');
  });
  it('silence matchers follow Alertmanager: =, !=, =~, !~ and expiry', () => {
    const s = { id: 1, matchers: [parseMatcher('job=api'), parseMatcher('rule=~goroutine-.*'), parseMatcher('instance!=canary')], startsAt: 0, endsAt: 1000, createdBy: 'x', comment: '', createdAt: 0 };
    expect(silenceMatches(s, { job: 'api', rule: 'goroutine-growth', instance: 'a' }, 10)).toBe(true);
    expect(silenceMatches(s, { job: 'api', rule: 'heap-growth', instance: 'a' }, 10)).toBe(false);
    expect(silenceMatches(s, { job: 'api', rule: 'goroutine-growth', instance: 'canary' }, 10)).toBe(false);
    expect(silenceMatches(s, { job: 'api', rule: 'goroutine-growth', instance: 'a' }, 1000)).toBe(false);
    expect(() => parseMatcher('job')).toThrow(/invalid matcher/);
  });
  it('the CLI: usage errors exit 2 with one line', async () => {
    const err: string[] = [];
    const io = { stdout: () => undefined, stderr: (s: string) => void err.push(s), isTTY: false, env: {}, cwd: os.tmpdir() };
    expect(await execute(['monitor', '--data-dir', os.tmpdir()], io)).toBe(2);
    expect(err.join('')).toMatch(/no targets: give URLs/);
    err.length = 0;
    expect(await execute(['monitor', 'http://127.0.0.1:1', '--listen', '0.0.0.0:0', '--data-dir', fs.mkdtempSync(path.join(os.tmpdir(), 'l-'))], io)).toBe(2);
    expect(err.join('')).toMatch(/refusing to listen on 0\.0\.0\.0:0/);
    err.length = 0;
    expect(await execute(['query', '--data-dir', path.join(os.tmpdir(), 'nope-leakscope'), 'SELECT 1'], io)).toBe(2);
    expect(err.join('')).toMatch(/no leakscope database at/);
  });
});
