/**
 * @fileoverview A throw-away PostgreSQL cluster for tests (never a mock): `initdb` into a
 * temporary directory, `pg_ctl start` on a free loopback port with the socket in the same
 * directory, one database, and `pg_ctl stop` + removal at the end.
 *
 * PostgreSQL refuses to run as root, and CI runs as root: then the cluster is created and
 * run as the `postgres` system user (Debian's package creates it) via spawn's uid/gid.
 * Binaries are looked up on PATH and in /usr/lib/postgresql/<version>/bin (Debian keeps
 * initdb there). Under CI=true a missing PostgreSQL fails loudly; elsewhere the tests skip
 * with a notice.
 */
import { execFileSync, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A running cluster. */
export interface PgCluster {
  url: string;
  port: number;
  dir: string;
  stop(): void;
  /** Stops the server without removing the data (to simulate an outage). */
  pause(): void;
  resume(): void;
}

function findBin(name: string): string | undefined {
  try {
    const p = execFileSync('which', [name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (p) return p;
  } catch {
    // not on PATH
  }
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return undefined;
  for (const v of fs.readdirSync(base).sort().reverse()) {
    const p = path.join(base, v, 'bin', name);
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

/** True when PostgreSQL can be started here; under CI=true throws when it cannot. */
export function requirePostgres(what: string): boolean {
  const ok = !!findBin('initdb') && !!findBin('pg_ctl');
  if (ok) return true;
  const msg = `leakscope tests: PostgreSQL (initdb, pg_ctl) not found; ${what} needs it (apt-get install postgresql)`;
  if (process.env.CI === 'true') throw new Error(msg);
  console.warn(`NOTICE: skipping - ${msg}`);
  return false;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
    s.on('error', reject);
  });
}

function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root but there is no "postgres" user to run PostgreSQL as (install Debian\'s postgresql package)');
  const f = line.split(':');
  return { uid: Number(f[2]), gid: Number(f[3]) };
}

/** Starts a fresh cluster and creates database `leakscope`. */
export async function startPostgres(): Promise<PgCluster> {
  const initdb = findBin('initdb')!;
  const pgctl = findBin('pg_ctl')!;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakscope-pg-'));
  const user = runAs();
  if (user) fs.chownSync(dir, user.uid, user.gid);
  fs.chmodSync(dir, 0o700);
  const data = path.join(dir, 'data');
  const port = await freePort();
  const opts: SpawnSyncOptions = { encoding: 'utf8', cwd: dir, env: { ...process.env, LC_ALL: 'C', TZ: 'UTC' }, ...(user ?? {}) };
  const run = (bin: string, args: string[]) => {
    const r = spawnSync(bin, args, opts);
    if (r.status !== 0) throw new Error(`${path.basename(bin)} ${args.join(' ')} failed: ${String(r.stderr)}${String(r.stdout)}`);
  };
  run(initdb, ['-D', data, '-U', 'leakscope', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const conf = [`port = ${port}`, "listen_addresses = '127.0.0.1'", `unix_socket_directories = '${dir}'`, 'fsync = off', 'max_connections = 60', 'shared_buffers = 32MB'];
  fs.appendFileSync(path.join(data, 'postgresql.conf'), '\n' + conf.join('\n') + '\n');
  const start = () => run(pgctl, ['-D', data, '-l', path.join(dir, 'log'), '-w', '-t', '60', 'start']);
  start();
  const psql = findBin('psql');
  if (psql) run(psql, ['-h', dir, '-p', String(port), '-U', 'leakscope', '-d', 'postgres', '-c', 'CREATE DATABASE leakscope']);
  else throw new Error('psql not found');
  let stopped = false;
  return {
    url: `postgres://leakscope@127.0.0.1:${port}/leakscope`,
    port,
    dir,
    pause() {
      run(pgctl, ['-D', data, '-m', 'immediate', '-w', 'stop']);
    },
    resume() {
      start();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      spawnSync(pgctl, ['-D', data, '-m', 'immediate', '-w', 'stop'], opts);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
