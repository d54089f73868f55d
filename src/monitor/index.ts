/**
 * @fileoverview `leakscope monitor` as a library: open the store, start the collector and
 * the HTTP server, stop them gracefully. The CLI (`src/cli/monitor.ts`) is a thin layer
 * over {@link startMonitor}.
 */
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { createServer, checkListen, isLoopback } from '../server/index.js';
import { SecretKey } from '../server/auth/crypto.js';
import { AuthService } from '../server/auth/service.js';
import { Collector } from './collector.js';
import type { MonitorConfig } from './config.js';
import { MonitorMetrics } from './metrics.js';
import { redactUrl } from './store/common.js';
import { SqliteStore } from './store/sqlite.js';
import type { Store } from './store/types.js';

export * from './config.js';
export { Collector } from './collector.js';
export { MonitorMetrics } from './metrics.js';
export { SqliteStore } from './store/sqlite.js';
export type * from './store/types.js';

/** Paths never written to logs (credentials). */
export const REDACT = ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'authorization', 'password', 'token'];

/** A pino logger writing JSON lines (or short human lines for `pretty`) to `dest`. */
export function createLogger(level: string, format: 'json' | 'pretty', dest: NodeJS.WritableStream = process.stderr): Logger {
  if (format === 'json') {
    // Synchronous writes to stderr: a line logged before a crash (or kill -9) is on disk.
    const d = dest === process.stderr ? pino.destination({ fd: 2, sync: true }) : dest;
    return pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: { service: 'leakscope' } }, d);
  }
  const out = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split('\n')) {
        if (!line) continue;
        try {
          const o = JSON.parse(line) as Record<string, unknown>;
          const lvl = ({ 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' } as Record<number, string>)[o.level as number] ?? String(o.level);
          dest.write(`${new Date(o.time as number).toISOString()} ${lvl.padEnd(5)} ${String(o.msg ?? '')}\n`);
        } catch {
          dest.write(line + '\n');
        }
      }
      cb();
    },
  });
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' } }, out);
}

/** Opens the configured store: SQLite in the data dir, or PostgreSQL for `postgres://` URLs. */
export async function openStore(cfg: Pick<MonitorConfig, 'store' | 'dataDir' | 'fleet'>, opts: { readonly?: boolean } = {}): Promise<Store> {
  if (/^postgres(ql)?:\/\//.test(cfg.store)) {
    const { PostgresStore } = await import('./store/postgres.js');
    return PostgresStore.open(cfg.store, { readonly: opts.readonly ?? false });
  }
  if (cfg.store !== 'sqlite') throw new Error(`--store must be "sqlite" or a postgres:// URL, got "${redactUrl(cfg.store)}"`);
  return SqliteStore.open(cfg.dataDir, { readonly: opts.readonly ?? false, staleMs: Math.max(3 * cfg.fleet.heartbeatMs, 30_000) });
}

/** A running monitor. */
export interface MonitorHandle {
  collector: Collector;
  store: Store;
  metrics: MonitorMetrics;
  /** `http(s)://host:port` the server listens on. */
  url: string;
  /** Accounts, sessions, tokens and audit (issue 16). */
  auth: AuthService;
  stop(): Promise<void>;
}

/** Options of {@link startMonitor}. */
export interface StartOptions {
  log: Logger;
  env?: Record<string, string | undefined>;
  collectorId?: string;
  /** Prints the one-time set-up link (the CLI writes it to stderr). */
  announce?: (text: string) => void;
  /** Clock of the accounts (sessions, TOTP, locks); tests move it. */
  clock?: () => number;
}

/**
 * Starts store, collector and server. The caller owns signal handling. While no user
 * exists, a one-time set-up link for the first admin is announced (no default account).
 */
export async function startMonitor(cfg: MonitorConfig, opts: StartOptions): Promise<MonitorHandle> {
  const { host, port } = checkListen(cfg.listen, !!cfg.tls, cfg.insecureListen);
  const log = opts.log;
  // The secret key first: a bad key file stops the start before anything else is touched.
  const { key, source: keySource, created: keyCreated } = SecretKey.load(cfg.dataDir, opts.env ?? process.env, true);
  const store = await openStore(cfg);
  let auth: AuthService;
  try {
    auth = new AuthService({ store: store.auth, key, log: log.child({ component: 'auth' }), auditDir: cfg.dataDir, ...(opts.clock ? { clock: opts.clock } : {}) });
    await auth.init();
  } catch (e) {
    await store.close();
    throw e;
  }
  if (keyCreated) log.info({ file: keySource }, 'created the secret key (keep it: it protects passwords and TOTP secrets; back it up apart from the database)');
  const metrics = new MonitorMetrics();
  const scheme = cfg.tls ? 'https' : 'http';
  let collector: Collector;
  try {
    collector = new Collector({
      cfg,
      store,
      log,
      metrics,
      ...(opts.env ? { env: opts.env } : {}),
      ...(opts.collectorId ? { collectorId: opts.collectorId } : {}),
      externalUrl: cfg.alerts.externalUrl ?? `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    });
    await collector.start();
  } catch (e) {
    await store.close();
    throw e;
  }
  let publicUrl = cfg.server.publicUrl ?? '';
  const app = await createServer({
    store,
    metrics,
    log,
    collector,
    signatures: collector.signatures,
    ...(cfg.tls ? { tls: cfg.tls } : {}),
    auth: { service: auth, publicUrl: () => publicUrl },
    ...(isLoopback(host) || cfg.server.allowedHosts.length ? { allowedHosts: cfg.server.allowedHosts } : {}),
    trustProxy: cfg.server.trustProxy,
  });
  let address: string;
  try {
    address = await app.listen({ host, port });
  } catch (e) {
    await collector.stop(2000);
    await store.close();
    throw new Error(`cannot listen on ${cfg.listen}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const url = address.replace('0.0.0.0', '127.0.0.1');
  publicUrl ||= url;
  log.info({ url, store: store.kind === 'sqlite' ? store.location : redactUrl(cfg.store) }, `leakscope monitor listening on ${url}`);
  if (await auth.setupRequired()) {
    const link = await auth.createSetupLink(publicUrl);
    const text =
      `leakscope has no user yet. Create the first admin within 15 minutes (until ${new Date(link.expiresAt).toISOString()}) at:\n\n  ${link.url}\n\n` +
      `The link works once. If it expires, restart the monitor or run "leakscope user add <name> --role admin".\n`;
    if (opts.announce) opts.announce(text);
    else log.warn({ expiresAt: link.expiresAt }, text);
  }
  // Expired sessions and old failure records are removed every 10 minutes.
  const purge = setInterval(() => void auth.purge().catch((e: Error) => log.warn({ err: e.message }, 'accounts housekeeping failed')), 10 * 60_000);
  purge.unref();
  let stopping: Promise<void> | undefined;
  return {
    collector,
    store,
    metrics,
    url,
    auth,
    stop() {
      stopping ??= (async () => {
        log.info('shutting down: finishing in-flight scrapes and writes');
        clearInterval(purge);
        await app.close();
        auth.audit.close();
        await collector.stop();
        await store.close();
        log.info('stopped');
      })();
      return stopping;
    },
  };
}
