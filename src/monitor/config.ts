/**
 * @fileoverview `leakscope monitor` configuration: `monitor.yaml`, Prometheus-style file_sd
 * target files, defaults, and the typed {@link MonitorConfig} the rest of the monitor uses.
 *
 * Strict like `.leakscope.yaml`: unknown keys and bad values are errors with file:line and a
 * "did you mean". Durations are `500ms`, `30s`, `5m`, `1h`, `7d`; sizes `64MiB`. Credentials
 * (`bearer-token`, header values, `basic-auth.password`) are a literal, `{env: NAME}` or
 * `{file: PATH}` and are resolved only when a request is made, so they never appear in the
 * config object's printed form, in logs or in the API.
 *
 * The defaults follow /work/shared/research/monitor-design.md ("Recommended design").
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../analysis/config.js';
import { parseYaml, validate, whereOf, type CredentialRef, type Spec } from './yamlspec.js';

/** The profiles the scraper collects on a schedule. `debug2` is never scheduled. */
export const PROFILE_KINDS = ['goroutine', 'heap', 'goroutineleak'] as const;
export type ProfileKind = (typeof PROFILE_KINDS)[number];

/** Per-profile scrape intervals in milliseconds. */
export type Intervals = Record<ProfileKind, number>;

/** TLS options for scraping a target over https. */
export interface TargetTls {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  serverName?: string;
  insecureSkipVerify?: boolean;
}

/** Settings a target inherits from `scrape:` defaults, a file_sd block or its own entry. */
export interface TargetSettings {
  intervals: Intervals;
  /** Per-profile timeout in ms; default min(10 s, 0.8 × interval). */
  timeouts: Partial<Record<ProfileKind, number>>;
  pathPrefix: string;
  headers: Record<string, CredentialRef>;
  bearerToken?: CredentialRef;
  basicAuth?: { username: string; password: CredentialRef };
  tls?: TargetTls;
  /** Local source directory of the target's code (static findings, source lines). */
  source?: string;
  enabled: Partial<Record<ProfileKind, boolean>>;
}

/** One target to scrape. */
export interface TargetSpec extends TargetSettings {
  /** `http(s)://host:port` (no path). */
  url: string;
  job: string;
  instance: string;
  labels: Record<string, string>;
  /** `job/instance`: the identity of the target in the store. */
  key: string;
  /** Where it was declared (`monitor.yaml:12`, `targets.json:3`, `command line`). */
  origin: string;
}

/** A file_sd block. */
export interface FileSdConfig {
  files: string[];
  refreshMs: number;
  job?: string;
  settings: TargetSettings;
  origin: string;
}

/** Allow-list entry: goroutine groups that are parked by design. */
export interface AllowRule {
  /** Regular expression over any frame's function. */
  function?: string;
  /** Regular expression over any frame's `file:line`. */
  file?: string;
  /** Exact wait state (`select`, `chan receive`, ...). */
  state?: string;
  /** Restrict to a job. */
  job?: string;
  reason?: string;
}

/** Detector thresholds. */
export interface DetectionConfig {
  bucketMs: number;
  growth: { windowMs: number; minPoints: number; minZ: number; minSlopePerHour: number; minGrowth: number; minCount: number };
  concentration: { minCount: number };
  goroutineleak: { consecutive: number };
  heap: {
    windowMs: number;
    minPoints: number;
    minZ: number;
    minSlopeBytesPerHour: number;
    minSlopePercentPerHour: number;
    /** Least growth over the window (in-use bytes), so a few heap samples never extrapolate into a "trend". */
    minGrowthBytes: number;
    cusumK: number;
    cusumH: number;
    minStepBytes: number;
  };
  restart: { dropFraction: number; minTotal: number };
  allow: AllowRule[];
}

/** Where alerts go. */
export interface Receiver {
  url: string;
  headers: Record<string, CredentialRef>;
  bearerToken?: CredentialRef;
  timeoutMs: number;
}

/** Alerting settings. */
export interface AlertsConfig {
  evaluationIntervalMs: number;
  /** Evaluations a condition must hold before pending becomes firing. */
  forEvaluations: number;
  resolveAfterMs: number;
  resendMs: number;
  webhooks: Receiver[];
  alertmanagers: Receiver[];
  externalUrl?: string;
  /** Targets that failed every scrape for this long are "gone" and their alerts resolve. */
  goneAfterMs: number;
}

/** Retention and down-sampling. */
export interface RetentionConfig {
  rawMs: number;
  downsampledMs: number;
  resolutionMs: number;
  /** Keep one raw profile blob per target and profile kind at most this often. */
  profileEveryMs: number;
  profilesMs: number;
}

/** The whole configuration. */
export interface MonitorConfig {
  file?: string;
  listen: string;
  insecureListen: boolean;
  tls?: { certFile: string; keyFile: string };
  /** HTTP server settings beyond the listen address (issue 16). */
  server: {
    /** Host names the server answers besides loopback names (DNS rebinding protection). */
    allowedHosts: string[];
    /** Addresses of reverse proxies whose X-Forwarded-* headers are believed. */
    trustProxy: string[];
    /** External URL of the server, for set-up and invitation links. */
    publicUrl?: string;
  };
  dataDir: string;
  /** `sqlite` (in the data dir) or a `postgres://` URL. */
  store: string;
  scrape: { concurrency: number; maxBytes: number; debug2MaxBytes: number; maxBackoffMs: number };
  defaults: TargetSettings;
  targets: TargetSpec[];
  fileSd: FileSdConfig[];
  detection: DetectionConfig;
  alerts: AlertsConfig;
  retention: RetentionConfig;
  signatures: { files: string[]; disable: string[] };
  evidence: { minIntervalMs: number; debug2MaxBytes: number };
  fleet: { leaseMs: number; heartbeatMs: number; collectorId?: string };
  log: { level: 'debug' | 'info' | 'warn' | 'error'; format: 'json' | 'pretty' };
}

const dur: Spec = { kind: 'duration', min: 1 };
const credential: Spec = { kind: 'credential' };
const intervalsSpec: Spec = { kind: 'object', fields: { goroutine: dur, heap: dur, goroutineleak: dur } };
const profileBools: Spec = { kind: 'object', fields: { goroutine: { kind: 'bool' }, heap: { kind: 'bool' }, goroutineleak: { kind: 'bool' } } };
const tlsSpec: Spec = {
  kind: 'object',
  fields: { 'ca-file': { kind: 'string' }, 'cert-file': { kind: 'string' }, 'key-file': { kind: 'string' }, 'server-name': { kind: 'string' }, 'insecure-skip-verify': { kind: 'bool' } },
};
const settingsFields: Record<string, Spec> = {
  intervals: intervalsSpec,
  timeouts: intervalsSpec,
  'path-prefix': { kind: 'string', pattern: /^\/\S*$/, what: 'a path starting with /' },
  headers: { kind: 'map', of: credential },
  'bearer-token': credential,
  'basic-auth': { kind: 'object', fields: { username: { kind: 'string' }, password: credential }, required: ['username', 'password'] },
  tls: tlsSpec,
  source: { kind: 'string' },
  profiles: profileBools,
};
const labelsSpec: Spec = { kind: 'map', of: { kind: 'string' } };
const targetSpec: Spec = {
  kind: 'object',
  fields: { url: { kind: 'url' }, job: { kind: 'string' }, instance: { kind: 'string' }, labels: labelsSpec, ...settingsFields },
  required: ['url'],
};
const receiverSpec: Spec = {
  kind: 'object',
  fields: { url: { kind: 'url' }, headers: { kind: 'map', of: credential }, 'bearer-token': credential, timeout: dur },
  required: ['url'],
};
const allowSpec: Spec = {
  kind: 'object',
  fields: { function: { kind: 'regex' }, file: { kind: 'regex' }, state: { kind: 'string' }, job: { kind: 'string' }, reason: { kind: 'string' } },
};

/** The schema of `monitor.yaml`. */
export const MONITOR_SCHEMA: Spec = {
  kind: 'object',
  fields: {
    listen: { kind: 'string' },
    'insecure-listen': { kind: 'bool' },
    tls: { kind: 'object', fields: { 'cert-file': { kind: 'string' }, 'key-file': { kind: 'string' } }, required: ['cert-file', 'key-file'] },
    'data-dir': { kind: 'string' },
    store: { kind: 'string' },
    server: {
      kind: 'object',
      fields: { 'allowed-hosts': { kind: 'strings' }, 'trust-proxy': { kind: 'strings' }, 'public-url': { kind: 'url' } },
    },
    scrape: {
      kind: 'object',
      fields: {
        ...settingsFields,
        concurrency: { kind: 'int', min: 1, max: 1024 },
        'max-bytes': { kind: 'size' },
        'debug2-max-bytes': { kind: 'size' },
        'max-backoff': dur,
      },
    },
    targets: { kind: 'list', of: targetSpec },
    'file-sd': {
      kind: 'list',
      of: { kind: 'object', fields: { files: { kind: 'strings' }, refresh: dur, job: { kind: 'string' }, ...settingsFields }, required: ['files'] },
    },
    detection: {
      kind: 'object',
      fields: {
        bucket: dur,
        growth: {
          kind: 'object',
          fields: {
            window: dur,
            'min-points': { kind: 'int', min: 3 },
            'min-z': { kind: 'number', min: 0 },
            'min-slope-per-hour': { kind: 'number', min: 0 },
            'min-growth': { kind: 'number', min: 0 },
            'min-count': { kind: 'number', min: 0 },
          },
        },
        concentration: { kind: 'object', fields: { 'min-count': { kind: 'int', min: 1 } } },
        goroutineleak: { kind: 'object', fields: { consecutive: { kind: 'int', min: 1 } } },
        heap: {
          kind: 'object',
          fields: {
            window: dur,
            'min-points': { kind: 'int', min: 3 },
            'min-z': { kind: 'number', min: 0 },
            'min-slope-per-hour': { kind: 'size' },
            'min-slope-percent-per-hour': { kind: 'number', min: 0 },
            'min-growth': { kind: 'size' },
            'cusum-k': { kind: 'number', min: 0 },
            'cusum-h': { kind: 'number', min: 0 },
            'min-step': { kind: 'size' },
          },
        },
        restart: { kind: 'object', fields: { 'drop-fraction': { kind: 'number', min: 0, max: 1 }, 'min-total': { kind: 'int', min: 0 } } },
        allow: { kind: 'list', of: allowSpec },
      },
    },
    alerts: {
      kind: 'object',
      fields: {
        'evaluation-interval': dur,
        for: { kind: 'int', min: 1 },
        'resolve-after': dur,
        resend: dur,
        'gone-after': dur,
        webhooks: { kind: 'list', of: receiverSpec },
        alertmanagers: { kind: 'list', of: receiverSpec },
        'external-url': { kind: 'url' },
      },
    },
    retention: {
      kind: 'object',
      fields: { raw: dur, downsampled: dur, resolution: dur, 'profile-every': dur, profiles: dur },
    },
    signatures: { kind: 'object', fields: { files: { kind: 'strings' }, disable: { kind: 'strings' } } },
    evidence: { kind: 'object', fields: { 'min-interval': dur, 'debug2-max-bytes': { kind: 'size' } } },
    fleet: { kind: 'object', fields: { lease: dur, heartbeat: dur, 'collector-id': { kind: 'string' } } },
    log: { kind: 'object', fields: { level: { kind: 'enum', values: ['debug', 'info', 'warn', 'error'] }, format: { kind: 'enum', values: ['json', 'pretty'] } } },
  },
};

const S = 1000;
const M = 60 * S;
const H = 60 * M;

/** Defaults for every setting. */
export function defaultConfig(): MonitorConfig {
  return {
    listen: '127.0.0.1:7070',
    insecureListen: false,
    server: { allowedHosts: [], trustProxy: [] },
    dataDir: './leakscope-data',
    store: 'sqlite',
    scrape: { concurrency: 32, maxBytes: 32 << 20, debug2MaxBytes: 64 << 20, maxBackoffMs: 10 * M },
    defaults: { intervals: { goroutine: 30 * S, heap: 60 * S, goroutineleak: 5 * M }, timeouts: {}, pathPrefix: '/debug/pprof', headers: {}, enabled: {} },
    targets: [],
    fileSd: [],
    detection: {
      bucketMs: M,
      growth: { windowMs: 30 * M, minPoints: 20, minZ: 3, minSlopePerHour: 60, minGrowth: 100, minCount: 200 },
      concentration: { minCount: 1000 },
      goroutineleak: { consecutive: 3 },
      heap: { windowMs: 6 * H, minPoints: 20, minZ: 3, minSlopeBytesPerHour: 10 << 20, minSlopePercentPerHour: 2, minGrowthBytes: 32 << 20, cusumK: 0.5, cusumH: 5, minStepBytes: 32 << 20 },
      restart: { dropFraction: 0.5, minTotal: 20 },
      allow: [],
    },
    alerts: { evaluationIntervalMs: 30 * S, forEvaluations: 2, resolveAfterMs: 15 * M, resendMs: 60 * S, webhooks: [], alertmanagers: [], goneAfterMs: 30 * M },
    retention: { rawMs: 24 * H, downsampledMs: 30 * 24 * H, resolutionMs: 5 * M, profileEveryMs: 10 * M, profilesMs: 24 * H },
    signatures: { files: [], disable: [] },
    evidence: { minIntervalMs: 10 * M, debug2MaxBytes: 16 << 20 },
    fleet: { leaseMs: 30 * S, heartbeatMs: 10 * S },
    log: { level: 'info', format: 'json' },
  };
}

/** Effective timeout of a profile kind for a target: configured, else min(10 s, 0.8 × interval). */
export function timeoutFor(t: TargetSettings, kind: ProfileKind | 'debug2'): number {
  if (kind === 'debug2') return Math.max(30 * S, t.timeouts.goroutine ?? 0);
  return t.timeouts[kind] ?? Math.min(10 * S, Math.max(50, Math.floor(t.intervals[kind] * 0.8)));
}

type Raw = Record<string, unknown>;

function mergeSettings(base: TargetSettings, raw: Raw | undefined, dir: string): TargetSettings {
  if (!raw) return base;
  const out: TargetSettings = {
    ...base,
    intervals: { ...base.intervals, ...(raw.intervals as Partial<Intervals> | undefined) },
    timeouts: { ...base.timeouts, ...(raw.timeouts as Partial<Intervals> | undefined) },
    headers: { ...base.headers, ...(raw.headers as Record<string, CredentialRef> | undefined) },
    enabled: { ...base.enabled, ...(raw.profiles as Partial<Record<ProfileKind, boolean>> | undefined) },
  };
  if (raw.pathPrefix !== undefined) out.pathPrefix = (raw.pathPrefix as string).replace(/\/+$/, '') || '/';
  if (raw.bearerToken !== undefined) out.bearerToken = resolveCredPath(raw.bearerToken as CredentialRef, dir);
  if (raw.basicAuth !== undefined) {
    const b = raw.basicAuth as { username: string; password: CredentialRef };
    out.basicAuth = { username: b.username, password: resolveCredPath(b.password, dir) };
  }
  for (const [k, v] of Object.entries(out.headers)) out.headers[k] = resolveCredPath(v, dir);
  if (raw.tls !== undefined) {
    const t = { ...(raw.tls as TargetTls) };
    for (const k of ['caFile', 'certFile', 'keyFile'] as const) if (t[k]) t[k] = path.resolve(dir, t[k]);
    out.tls = t;
  }
  if (raw.source !== undefined) out.source = path.resolve(dir, raw.source as string);
  return out;
}

function resolveCredPath(c: CredentialRef, dir: string): CredentialRef {
  return c.file ? { file: path.resolve(dir, c.file) } : c;
}

/** Builds a target from a URL plus settings; throws ConfigError for URLs with a path other than the prefix. */
export function makeTarget(url: string, settings: TargetSettings, job: string | undefined, instance: string | undefined, labels: Record<string, string>, origin: string): TargetSpec {
  let u: URL;
  try {
    u = new URL(/^[a-z]+:\/\//i.test(url) ? url : `http://${url}`);
  } catch {
    throw new ConfigError(origin, `invalid target URL "${url}"`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ConfigError(origin, `target URL must be http or https, got "${url}"`);
  let s = settings;
  // `http://host:6060/debug/pprof` and `http://host:6060/debug/pprof/` mean the prefix.
  const p = u.pathname.replace(/\/+$/, '');
  if (p && p !== '') s = { ...settings, pathPrefix: p };
  if (u.search || u.hash) throw new ConfigError(origin, `target URL "${url}" must not have a query or fragment`);
  const base = `${u.protocol}//${u.host}`;
  const inst = instance ?? u.host;
  const j = job ?? 'go';
  return { ...s, url: base, job: j, instance: inst, labels, key: `${j}/${inst}`, origin };
}

/**
 * Parses and validates monitor.yaml text. Relative paths (data-dir, file_sd globs, sources,
 * credential files, TLS files) are relative to the file's directory.
 */
export function parseMonitorConfig(text: string, file: string): MonitorConfig {
  const y = parseYaml(text, file);
  const cfg = defaultConfig();
  cfg.file = file;
  const dir = path.dirname(file);
  const root = y.root;
  if (root === null) return cfg;
  const raw = validate(y, file, root, MONITOR_SCHEMA, '') as Raw;
  if (raw.listen !== undefined) cfg.listen = raw.listen as string;
  if (raw.insecureListen !== undefined) cfg.insecureListen = raw.insecureListen as boolean;
  if (raw.tls) {
    const t = raw.tls as { certFile: string; keyFile: string };
    cfg.tls = { certFile: path.resolve(dir, t.certFile), keyFile: path.resolve(dir, t.keyFile) };
  }
  if (raw.dataDir !== undefined) cfg.dataDir = path.resolve(dir, raw.dataDir as string);
  const srv = raw.server as Raw | undefined;
  if (srv) {
    if (srv.allowedHosts) cfg.server.allowedHosts = (srv.allowedHosts as string[]).map((h) => h.toLowerCase());
    if (srv.trustProxy) cfg.server.trustProxy = srv.trustProxy as string[];
    if (srv.publicUrl !== undefined) cfg.server.publicUrl = (srv.publicUrl as string).replace(/\/$/, '');
  }
  if (raw.store !== undefined) cfg.store = raw.store as string;
  const scrape = raw.scrape as Raw | undefined;
  if (scrape) {
    cfg.defaults = mergeSettings(cfg.defaults, scrape, dir);
    if (scrape.concurrency !== undefined) cfg.scrape.concurrency = scrape.concurrency as number;
    if (scrape.maxBytes !== undefined) cfg.scrape.maxBytes = scrape.maxBytes as number;
    if (scrape.debug2MaxBytes !== undefined) cfg.scrape.debug2MaxBytes = scrape.debug2MaxBytes as number;
    if (scrape.maxBackoff !== undefined) cfg.scrape.maxBackoffMs = scrape.maxBackoff as number;
  }
  for (const t of (raw.targets as Raw[] | undefined) ?? []) {
    const origin = whereOf(t, file);
    const s = mergeSettings(cfg.defaults, t, dir);
    cfg.targets.push(makeTarget(t.url as string, s, t.job as string | undefined, t.instance as string | undefined, (t.labels as Record<string, string>) ?? {}, origin));
  }
  const seen = new Map<string, string>();
  for (const t of cfg.targets) {
    const prev = seen.get(t.key);
    if (prev) throw new ConfigError(t.origin, `target "${t.key}" is declared twice (also at ${prev}); give one of them another job or instance`);
    seen.set(t.key, t.origin);
  }
  for (const f of (raw.fileSd as Raw[] | undefined) ?? []) {
    cfg.fileSd.push({
      files: (f.files as string[]).map((g) => path.resolve(dir, g)),
      refreshMs: (f.refresh as number | undefined) ?? 5 * M,
      ...(f.job !== undefined ? { job: f.job as string } : {}),
      settings: mergeSettings(cfg.defaults, f, dir),
      origin: whereOf(f, file),
    });
  }
  const det = raw.detection as Raw | undefined;
  if (det) {
    const d = cfg.detection;
    if (det.bucket !== undefined) d.bucketMs = det.bucket as number;
    const g = det.growth as Raw | undefined;
    if (g) Object.assign(d.growth, rename(g, { window: 'windowMs' }));
    if (det.concentration) Object.assign(d.concentration, det.concentration);
    if (det.goroutineleak) Object.assign(d.goroutineleak, det.goroutineleak);
    const h = det.heap as Raw | undefined;
    if (h) Object.assign(d.heap, rename(h, { window: 'windowMs', minSlopePerHour: 'minSlopeBytesPerHour', minStep: 'minStepBytes', minGrowth: 'minGrowthBytes' }));
    if (det.restart) Object.assign(d.restart, det.restart);
    if (det.allow) d.allow = det.allow as AllowRule[];
  }
  const al = raw.alerts as Raw | undefined;
  if (al) {
    const a = cfg.alerts;
    if (al.evaluationInterval !== undefined) a.evaluationIntervalMs = al.evaluationInterval as number;
    if (al.for !== undefined) a.forEvaluations = al.for as number;
    if (al.resolveAfter !== undefined) a.resolveAfterMs = al.resolveAfter as number;
    if (al.resend !== undefined) a.resendMs = al.resend as number;
    if (al.goneAfter !== undefined) a.goneAfterMs = al.goneAfter as number;
    if (al.externalUrl !== undefined) a.externalUrl = al.externalUrl as string;
    const recv = (r: Raw): Receiver => ({
      url: r.url as string,
      headers: Object.fromEntries(Object.entries((r.headers as Record<string, CredentialRef>) ?? {}).map(([k, v]) => [k, resolveCredPath(v, dir)])),
      ...(r.bearerToken ? { bearerToken: resolveCredPath(r.bearerToken as CredentialRef, dir) } : {}),
      timeoutMs: (r.timeout as number | undefined) ?? 10 * S,
    });
    a.webhooks = ((al.webhooks as Raw[] | undefined) ?? []).map(recv);
    a.alertmanagers = ((al.alertmanagers as Raw[] | undefined) ?? []).map(recv);
  }
  const ret = raw.retention as Raw | undefined;
  if (ret) Object.assign(cfg.retention, rename(ret, { raw: 'rawMs', downsampled: 'downsampledMs', resolution: 'resolutionMs', profileEvery: 'profileEveryMs', profiles: 'profilesMs' }));
  const sig = raw.signatures as Raw | undefined;
  if (sig) {
    cfg.signatures.files = ((sig.files as string[] | undefined) ?? []).map((f) => path.resolve(dir, f));
    cfg.signatures.disable = (sig.disable as string[] | undefined) ?? [];
  }
  const ev = raw.evidence as Raw | undefined;
  if (ev) Object.assign(cfg.evidence, rename(ev, { minInterval: 'minIntervalMs' }));
  const fl = raw.fleet as Raw | undefined;
  if (fl) Object.assign(cfg.fleet, rename(fl, { lease: 'leaseMs', heartbeat: 'heartbeatMs' }));
  if (raw.log) Object.assign(cfg.log, raw.log);
  checkConsistency(cfg, file);
  return cfg;
}

function rename(o: Raw, names: Record<string, string>): Raw {
  const out: Raw = {};
  for (const [k, v] of Object.entries(o)) out[names[k] ?? k] = v;
  return out;
}

function checkConsistency(cfg: MonitorConfig, file: string): void {
  if (cfg.fleet.heartbeatMs * 2 >= cfg.fleet.leaseMs) throw new ConfigError(file, `fleet.heartbeat (${cfg.fleet.heartbeatMs}ms) must be shorter than half of fleet.lease (${cfg.fleet.leaseMs}ms)`);
  for (const t of [...cfg.targets, ...cfg.fileSd.map((f) => ({ ...f.settings, origin: f.origin }))]) {
    for (const k of PROFILE_KINDS) {
      const to = t.timeouts[k];
      if (to !== undefined && to >= t.intervals[k]) throw new ConfigError(t.origin, `timeouts.${k} (${to}ms) must be below intervals.${k} (${t.intervals[k]}ms)`);
    }
  }
}

/** Reads and parses a monitor config file (ConfigError on any problem). */
export function loadMonitorConfig(file: string): MonitorConfig {
  const abs = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (e) {
    throw new ConfigError(abs, `cannot read config file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseMonitorConfig(text, abs);
}

const FILE_SD_SCHEMA: Spec = {
  kind: 'list',
  of: { kind: 'object', fields: { targets: { kind: 'list', of: { kind: 'string' } }, labels: labelsSpec }, required: ['targets'] },
};

/**
 * Reads one file_sd file (JSON or YAML `[{targets: ["host:port"], labels: {...}}]`, the
 * Prometheus format). `job` and `instance` labels are taken as the target's job and
 * instance (as Prometheus does with `job` and `__address__`).
 */
export function readFileSd(file: string, sd: FileSdConfig): TargetSpec[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(file, `cannot read file_sd file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (text.trim() === '') return [];
  const y = parseYaml(text, file);
  const groups = validate(y, file, y.root, FILE_SD_SCHEMA, '') as { targets: string[]; labels?: Record<string, string> }[];
  const out: TargetSpec[] = [];
  for (const g of groups) {
    const origin = whereOf(g, file);
    const labels = { ...(g.labels ?? {}) };
    const job = labels.job ?? sd.job;
    const inst = labels.instance;
    delete labels.job;
    delete labels.instance;
    for (const addr of g.targets) out.push(makeTarget(addr, sd.settings, job, g.targets.length === 1 ? inst : undefined, labels, origin));
  }
  return out;
}

/** Expands the glob patterns of a file_sd block (only `*` and `?` in the last path component, like Prometheus). */
export function expandFileSd(sd: FileSdConfig): string[] {
  const out: string[] = [];
  for (const pat of sd.files) {
    const base = path.basename(pat);
    if (!/[*?]/.test(base)) {
      out.push(pat);
      continue;
    }
    const re = new RegExp('^' + base.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]') + '$');
    let names: string[] = [];
    try {
      names = fs.readdirSync(path.dirname(pat));
    } catch {
      names = [];
    }
    for (const n of names.sort()) if (re.test(n)) out.push(path.join(path.dirname(pat), n));
  }
  return out;
}

/** Resolves a credential reference to its value at request time (never logged). */
export function resolveCredential(c: CredentialRef, env: Record<string, string | undefined> = process.env): string {
  if (c.value !== undefined) return c.value;
  if (c.env !== undefined) {
    const v = env[c.env];
    if (v === undefined) throw new Error(`environment variable ${c.env} is not set`);
    return v;
  }
  try {
    return fs.readFileSync(c.file!, 'utf8').trim();
  } catch (e) {
    throw new Error(`cannot read credential file ${c.file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** A redacted description of a credential for logs and the API: `env:NAME`, `file:PATH` or `<literal>`. */
export function describeCredential(c: CredentialRef): string {
  return c.env !== undefined ? `env:${c.env}` : c.file !== undefined ? `file:${c.file}` : '<literal>';
}
