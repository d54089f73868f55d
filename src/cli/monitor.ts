/**
 * @fileoverview `leakscope monitor`, `query`, `evidence` and `silence` (issue 15): thin
 * commands over `src/monitor/`.
 *
 * - `monitor [urls...]` runs until SIGINT/SIGTERM, then stops gracefully (in-flight scrapes
 *   and writes finish) and exits 0; configuration errors exit 2 with file:line.
 * - `query "SELECT ..."` runs one read-only statement over the documented views (table, CSV
 *   or JSON); a statement that writes is refused (exit 2).
 * - `evidence <alert-id>` writes an alert's evidence bundle (`.tar.gz`) or prints its summary.
 * - `silence add|list|expire` manages silences in the store (for whoever can write the data
 *   directory or database; through the server, admins use `POST/DELETE /api/v1/silences`).
 * - `query --server URL` runs the statement on a running server with an API token.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { ConfigError } from '../analysis/config.js';
import { UsageError } from '../go/loader.js';
import { parseMatcher } from '../monitor/alerts.js';
import { defaultConfig, loadMonitorConfig, makeTarget, type MonitorConfig } from '../monitor/config.js';
import { CollectorLockedError, QueryRefusedError, StoreUnavailableError, type QueryResult, type Store } from '../monitor/store/types.js';
import { ListenError } from '../server/errors.js';
import type * as MonitorLayerModule from '../monitor/index.js';
import { SecretKeyError } from '../server/auth/crypto.js';
import { parseDurationMs } from '../monitor/yamlspec.js';
import type { CliIO } from './main.js';

type MonitorLayer = typeof MonitorLayerModule;

/** Options that pick the store (shared with `leakscope user`). */
export interface StoreOptions {
  config?: string;
  dataDir?: string;
  store?: string;
}

interface MonitorOptions extends StoreOptions {
  listen?: string;
  insecureListen?: boolean;
  tlsCert?: string;
  tlsKey?: string;
  source?: string;
  job?: string;
  logLevel?: string;
  logFormat?: 'json' | 'pretty';
  collectorId?: string;
}

/** The configuration from --config, --data-dir and --store. */
export function baseConfig(opts: StoreOptions, io: CliIO): MonitorConfig {
  const cfg = opts.config ? loadMonitorConfig(path.resolve(io.cwd, opts.config)) : defaultConfig();
  cfg.dataDir = path.resolve(io.cwd, cfg.dataDir);
  if (opts.dataDir) cfg.dataDir = path.resolve(io.cwd, opts.dataDir);
  if (opts.store) cfg.store = opts.store;
  return cfg;
}

/** Adds --config, --data-dir and --store. */
export function addStoreOptions(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'monitor configuration file (monitor.yaml)')
    .option('--data-dir <dir>', 'data directory of the embedded SQLite store (default ./leakscope-data)')
    .option('--store <url>', 'store: "sqlite" (default) or postgres://user@host/db for fleet mode (password from PGPASSWORD or ~/.pgpass)');
}

/**
 * The monitor layer (store drivers with the native SQLite module, the server stack, the
 * metrics and logging libraries), loaded when a command needs it: a static import would load
 * all of it into every command, `check` included (about 0.4 s of CPU and two native modules
 * before the first file is read; issue 12 wants `check` free of native code).
 */
export function monitorLayer(): Promise<MonitorLayer> {
  return import('../monitor/index.js');
}

/** Opens the store `cfg` names (see `openStore` in src/monitor/index.ts), loading the monitor layer. */
export async function openStore(cfg: MonitorConfig, opts: { readonly?: boolean } = {}): Promise<Store> {
  return (await monitorLayer()).openStore(cfg, opts);
}

/** Turns monitor-layer errors into one-line CLI errors (exit 2). */
export function cliError(e: unknown): Error {
  if (e instanceof ConfigError || e instanceof UsageError) return e;
  if (e instanceof CollectorLockedError || e instanceof StoreUnavailableError || e instanceof ListenError || e instanceof QueryRefusedError || e instanceof SecretKeyError) return new UsageError(e.message);
  return e as Error;
}

/** Registers the monitor commands. */
export function registerMonitorCommands(program: Command, io: CliIO, setCode: (c: number) => void): void {
  addStoreOptions(
    program
      .command('monitor')
      .description('watch running Go services continuously: scrape /debug/pprof, store the history, detect leaks as they grow, alert with evidence')
      .argument('[urls...]', 'targets: http(s)://host:port (their /debug/pprof is scraped), in addition to the config file'),
  )
    .option('--listen <host:port>', 'HTTP address for /metrics, /healthz and the API (default 127.0.0.1:7070)')
    .option('--insecure-listen', 'allow a non-loopback --listen address without TLS')
    .option('--tls-cert <file>', 'TLS certificate for the HTTP server')
    .option('--tls-key <file>', 'TLS private key for the HTTP server')
    .option('--source <dir>', 'source directory of the targets\' code: alerts show the line and the static findings')
    .option('--job <name>', 'job label of the targets given on the command line', 'go')
    .addOption(new Option('--log-level <level>', 'log level').choices(['debug', 'info', 'warn', 'error']))
    .addOption(new Option('--log-format <format>', 'log format').choices(['json', 'pretty']))
    .option('--collector-id <id>', 'name of this collector in fleet mode (default host-pid)')
    .action(async (urls: string[], opts: MonitorOptions) => {
      try {
        setCode(await runMonitor(urls, opts, io));
      } catch (e) {
        throw cliError(e);
      }
    });

  addStoreOptions(
    program
      .command('query')
      .description('read-only SQL over the monitor\'s views (targets, scrapes, goroutine_groups, group_samples, heap_sites, alerts, signature_matches, audit_log, clock)')
      .argument('<sql>', 'one SELECT statement (statements that write are refused)'),
  )
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
    .option('--max-rows <n>', 'stop after this many rows', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`--max-rows expects a positive integer, got "${v}"`);
      return n;
    }, 10_000)
    .option('--server <url>', 'query a running leakscope server over HTTPS instead of the store (token from LEAKSCOPE_TOKEN or --token-file)')
    .option('--token-file <file>', 'file holding an API token (lks_...) for --server')
    .action(async (sql: string, opts: StoreOptions & { format: 'table' | 'csv' | 'json'; maxRows: number; server?: string; tokenFile?: string }) => {
      try {
        if (opts.server) {
          io.stdout(formatQuery(await remoteQuery(opts.server, sql, opts.maxRows, readToken(opts.tokenFile, io)), opts.format));
          setCode(0);
          return;
        }
        const cfg = baseConfig(opts, io);
        const store = await openStore(cfg, { readonly: true });
        try {
          const r = await store.query(sql, { maxRows: opts.maxRows, timeoutMs: 60_000 });
          io.stdout(formatQuery(r, opts.format));
          setCode(0);
        } finally {
          await store.close();
        }
      } catch (e) {
        throw cliError(e);
      }
    });

  addStoreOptions(program.command('evidence').description('write the evidence bundle (.tar.gz) of an alert, or print its summary').argument('<alert-id>', 'alert id (see /api/v1/alerts or the alerts view)'))
    .option('-o, --output <file>', 'archive path (default leakscope-alert-<id>.tar.gz)')
    .option('--summary', 'print the Markdown summary instead of writing the archive')
    .action(async (idText: string, opts: StoreOptions & { output?: string; summary?: boolean }) => {
      try {
        const id = Number(idText);
        if (!Number.isInteger(id) || id < 1) throw new UsageError(`alert id must be a positive integer, got "${idText}"`);
        const store = await openStore(baseConfig(opts, io), { readonly: true });
        try {
          const ev = await store.getEvidence(id);
          if (!ev) throw new UsageError(`no evidence bundle for alert ${id} (it is written when the alert fires)`);
          if (opts.summary) io.stdout(ev.summary);
          else {
            const out = path.resolve(io.cwd, opts.output ?? `leakscope-alert-${id}.tar.gz`);
            fs.writeFileSync(out + '.tmp', ev.archive);
            fs.renameSync(out + '.tmp', out);
            io.stdout(`wrote ${path.relative(io.cwd, out) || out} (${ev.archive.length} bytes)\n`);
          }
          setCode(0);
        } finally {
          await store.close();
        }
      } catch (e) {
        throw cliError(e);
      }
    });

  const silence = program.command('silence').description('manage alert silences (Alertmanager-style label matchers)');
  addStoreOptions(silence.command('add').description('silence alerts whose labels match every matcher').argument('<matchers...>', 'name=value, name!=value, name=~regex, name!~regex'))
    .option('--for <duration>', 'how long (e.g. 2h, 1d)', '2h')
    .option('--comment <text>', 'why', '')
    .option('--author <name>', 'who', process.env.USER ?? 'cli')
    .action(async (matchers: string[], opts: StoreOptions & { for: string; comment: string; author: string }) => {
      try {
        const ms = parseDurationMs(opts.for);
        if (!ms) throw new UsageError(`--for expects a duration like 2h, got "${opts.for}"`);
        let parsed;
        try {
          parsed = matchers.map(parseMatcher);
        } catch (e) {
          throw new UsageError((e as Error).message);
        }
        const store = await openStore(baseConfig(opts, io));
        try {
          const now = Date.now();
          const id = await store.addSilence({ matchers: parsed, startsAt: now, endsAt: now + ms, createdBy: opts.author, comment: opts.comment, createdAt: now });
          io.stdout(`silence ${id} until ${new Date(now + ms).toISOString()}\n`);
          setCode(0);
        } finally {
          await store.close();
        }
      } catch (e) {
        throw cliError(e);
      }
    });
  addStoreOptions(silence.command('list').description('list active silences'))
    .option('--all', 'include expired silences')
    .action(async (opts: StoreOptions & { all?: boolean }) => {
      try {
        const store = await openStore(baseConfig(opts, io), { readonly: true });
        try {
          const list = await store.listSilences(!!opts.all);
          for (const s of list) {
            const m = s.matchers.map((x) => `${x.name}${x.isEqual ? '' : '!'}${x.isRegex ? '=~' : '='}${x.value}`).join(',');
            io.stdout(`${s.id}\t${m}\tuntil ${new Date(s.endsAt).toISOString()}\t${s.createdBy}\t${s.comment}\n`);
          }
          setCode(0);
        } finally {
          await store.close();
        }
      } catch (e) {
        throw cliError(e);
      }
    });
  addStoreOptions(silence.command('expire').description('end a silence now').argument('<id>', 'silence id'))
    .action(async (idText: string, opts: StoreOptions) => {
      try {
        const store = await openStore(baseConfig(opts, io));
        try {
          const ok = await store.expireSilence(Number(idText), Date.now());
          if (!ok) throw new UsageError(`no active silence ${idText}`);
          io.stdout(`silence ${idText} expired\n`);
          setCode(0);
        } finally {
          await store.close();
        }
      } catch (e) {
        throw cliError(e);
      }
    });
}

async function runMonitor(urls: string[], opts: MonitorOptions, io: CliIO): Promise<number> {
  const cfg = baseConfig(opts, io);
  if (opts.listen) cfg.listen = opts.listen;
  if (opts.insecureListen) cfg.insecureListen = true;
  if (opts.tlsCert || opts.tlsKey) {
    if (!opts.tlsCert || !opts.tlsKey) throw new UsageError('--tls-cert and --tls-key go together');
    cfg.tls = { certFile: path.resolve(io.cwd, opts.tlsCert), keyFile: path.resolve(io.cwd, opts.tlsKey) };
  }
  if (opts.logLevel) cfg.log.level = opts.logLevel as MonitorConfig['log']['level'];
  if (opts.logFormat) cfg.log.format = opts.logFormat;
  const source = opts.source ? path.resolve(io.cwd, opts.source) : undefined;
  if (source && !fs.existsSync(source)) throw new UsageError(`--source ${opts.source}: no such directory`);
  for (const u of urls) {
    const s = source ? { ...cfg.defaults, source } : cfg.defaults;
    const t = makeTarget(u, s, opts.job ?? 'go', undefined, {}, 'command line');
    if (cfg.targets.some((x) => x.key === t.key)) throw new UsageError(`target ${t.key} is given twice`);
    cfg.targets.push(t);
  }
  if (source) for (const t of cfg.targets) t.source ??= source;
  if (source) for (const f of cfg.fileSd) f.settings.source ??= source;
  if (cfg.targets.length === 0 && cfg.fileSd.length === 0 && !/^postgres/.test(cfg.store)) {
    throw new UsageError('no targets: give URLs (leakscope monitor http://127.0.0.1:6060) or a --config with targets or file-sd');
  }
  const { createLogger, startMonitor } = await monitorLayer();
  const log = createLogger(cfg.log.level, cfg.log.format);
  const handle = await startMonitor(cfg, { log, env: io.env, announce: (t) => io.stderr(t), ...(opts.collectorId ? { collectorId: opts.collectorId } : {}) });
  io.stderr(`leakscope monitor: ${cfg.targets.length} target(s)${cfg.fileSd.length ? ` + file_sd` : ''}, store ${handle.store.kind === 'sqlite' ? handle.store.location : 'postgres'}, API ${handle.url}/api/v1, metrics ${handle.url}/metrics\n`);
  await new Promise<void>((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
  await handle.stop();
  return 0;
}

/** The API token for `--server`: --token-file, else LEAKSCOPE_TOKEN. */
function readToken(file: string | undefined, io: CliIO): string {
  let t: string | undefined;
  if (file) {
    try {
      t = fs.readFileSync(path.resolve(io.cwd, file), 'utf8').trim();
    } catch (e) {
      throw new UsageError(`--token-file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  } else t = io.env.LEAKSCOPE_TOKEN?.trim();
  if (!t) throw new UsageError('--server needs an API token: set LEAKSCOPE_TOKEN or pass --token-file (create one in the dashboard or with POST /api/v1/tokens)');
  if (!t.startsWith('lks_')) throw new UsageError('the API token should start with "lks_"');
  return t;
}

/** Runs a read-only query on a server (`POST /api/v1/query` with a Bearer token). */
async function remoteQuery(server: string, sql: string, maxRows: number, token: string): Promise<QueryResult> {
  let url: URL;
  try {
    url = new URL('/api/v1/query', server);
  } catch {
    throw new UsageError(`--server expects a URL like https://leakscope.example.com, got "${server}"`);
  }
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ sql, maxRows }) });
  } catch (e) {
    throw new UsageError(`cannot reach ${url.origin}: ${((e as Error).cause as Error | undefined)?.message ?? (e as Error).message}`);
  }
  const body = (await res.json().catch(() => ({}))) as Partial<QueryResult> & { error?: { message?: string } };
  if (!res.ok) throw new UsageError(`${url.origin} answered ${res.status}: ${body.error?.message ?? res.statusText}`);
  return { columns: body.columns ?? [], rows: body.rows ?? [] };
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Formats a query result as an aligned table, RFC 4180 CSV or JSON (an array of objects). */
export function formatQuery(r: QueryResult, format: 'table' | 'csv' | 'json'): string {
  if (format === 'json') return JSON.stringify(r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, row[i] ?? null]))), null, 2) + '\n';
  if (format === 'csv') {
    const esc = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    return [r.columns.map(esc).join(','), ...r.rows.map((row) => row.map((v) => esc(cell(v))).join(','))].join('\n') + '\n';
  }
  const cells = r.rows.map((row) => row.map((v) => cell(v).replace(/\n/g, '⏎')));
  const width = r.columns.map((c, i) => Math.min(80, Math.max(c.length, ...cells.map((row) => row[i]!.length))));
  const fmt = (row: string[]) => row.map((v, i) => (v.length > width[i]! ? v.slice(0, width[i]! - 1) + '…' : v.padEnd(width[i]!))).join('  ').trimEnd();
  const lines = [fmt(r.columns), width.map((w) => '-'.repeat(w)).join('  '), ...cells.map(fmt)];
  lines.push(`(${r.rows.length} row${r.rows.length === 1 ? '' : 's'})`);
  return lines.join('\n') + '\n';
}
