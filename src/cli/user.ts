/**
 * @fileoverview `leakscope user add|list|disable|enable|reset-mfa|invite|unlock` (issue 16):
 * account administration from the command line, for whoever can read the data directory (or
 * the PostgreSQL store): the way back in for a locked-out admin. Every change is audited with
 * the actor `cli:<os user>`.
 *
 * - `add <name> --role admin|viewer` creates the user and prints a one-time invitation link
 *   (72 h): the user sets a password and enrols TOTP.
 * - `invite <name>` resets a user's password, TOTP and recovery codes, ends their sessions
 *   and prints a new invitation link (lost both factors, or a lost secret key).
 * - `reset-mfa <name>` clears TOTP and recovery codes and ends the sessions: at the next
 *   sign-in (password) the user enrols a new device.
 * - `disable`/`enable` (the last active admin cannot be disabled), `unlock` (forgets failed
 *   sign-ins of the name), `list`.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { Option, type Command } from 'commander';
import { UsageError } from '../go/loader.js';
import { SecretKey } from '../server/auth/crypto.js';
import type { AuthService } from '../server/auth/service.js';
import type { MonitorConfig } from '../monitor/config.js';
import { addStoreOptions, baseConfig, cliError, monitorLayer, openStore, type StoreOptions } from './monitor.js';
import type { CliIO } from './main.js';

function actor(io: CliIO): string {
  return `cli:${io.env.USER ?? os.userInfo().username}`;
}

/** The URL links point to: --url, server.public-url, or the listen address. */
function baseUrl(cfg: MonitorConfig, url: string | undefined): string {
  if (url) return url.replace(/\/$/, '');
  if (cfg.server.publicUrl) return cfg.server.publicUrl;
  const host = cfg.listen.replace(/^0\.0\.0\.0:|^:/, '127.0.0.1:');
  return `${cfg.tls ? 'https' : 'http'}://${host}`;
}

async function withService<T>(opts: StoreOptions, io: CliIO, fn: (svc: AuthService, cfg: MonitorConfig) => Promise<T>): Promise<T> {
  const cfg = baseConfig(opts, io);
  // Loaded here, not at start-up: the account service pulls in the native argon2 module and
  // the monitor layer, which no other command needs (see monitorLayer in ./monitor.ts).
  const { AuthError, AuthService } = await import('../server/auth/service.js');
  const { createLogger } = await monitorLayer();
  const store = await openStore(cfg);
  // These commands seal nothing; the key is used when present so the audit trail and checks
  // behave as in the server, and an ephemeral one otherwise (e.g. the key was lost).
  let key: SecretKey;
  try {
    key = SecretKey.load(cfg.dataDir, io.env, false).key;
  } catch {
    key = new SecretKey(randomBytes(32));
  }
  const svc = new AuthService({ store: store.auth, key, log: createLogger('error', 'json'), auditDir: cfg.dataDir });
  try {
    return await fn(svc, cfg);
  } catch (e) {
    if (e instanceof AuthError) throw new UsageError(e.message);
    throw e;
  } finally {
    svc.audit.close();
    await store.close();
  }
}

async function userByName(svc: AuthService, name: string) {
  const u = await svc.store.getUserByName(name);
  if (!u) throw new UsageError(`no user named "${name}" (see "leakscope user list")`);
  return u;
}

/** Registers `leakscope user ...`. */
export function registerUserCommands(program: Command, io: CliIO, setCode: (c: number) => void): void {
  const user = program.command('user').description('manage the monitor server\'s accounts from the command line (needs access to the data directory or store)');
  const run = (fn: () => Promise<void>) => async () => {
    try {
      await fn();
      setCode(0);
    } catch (e) {
      throw cliError(e);
    }
  };

  addStoreOptions(user.command('add').description('create a user and print a one-time invitation link (valid 72 h)').argument('<name>', 'user name'))
    .addOption(new Option('--role <role>', 'role').choices(['viewer', 'admin']).default('viewer'))
    .option('--url <url>', 'base URL of the server for the link (default server.public-url or the listen address)')
    .action((name: string, opts: StoreOptions & { role: string; url?: string }) =>
      run(async () => {
        await withService(opts, io, async (svc, cfg) => {
          const r = await svc.inviteUser(actor(io), name, opts.role, baseUrl(cfg, opts.url));
          io.stdout(`created ${r.user.role} "${r.user.name}". Send them this one-time link (valid until ${new Date(r.expiresAt).toISOString()}):\n\n  ${r.url}\n\nThey choose a password and set up their authenticator app.\n`);
        });
      })(),
    );

  addStoreOptions(user.command('list').description('list users'))
    .option('--json', 'JSON output')
    .action((opts: StoreOptions & { json?: boolean }) =>
      run(async () => {
        await withService(opts, io, async (svc) => {
          const users = await svc.listUsers();
          if (opts.json) io.stdout(JSON.stringify(users, null, 2) + '\n');
          else {
            io.stdout(['ID', 'NAME', 'ROLE', 'STATUS', 'CREATED'].join('\t') + '\n');
            for (const u of users) io.stdout([u.id, u.name, u.role, u.status, new Date(u.createdAt).toISOString()].join('\t') + '\n');
          }
        });
      })(),
    );

  for (const [cmd, disabled] of [['disable', true], ['enable', false]] as const) {
    addStoreOptions(user.command(cmd).description(disabled ? 'disable a user (ends their sessions; their API tokens stop working)' : 'enable a disabled user').argument('<name>', 'user name')).action(
      (name: string, opts: StoreOptions) =>
        run(async () => {
          await withService(opts, io, async (svc) => {
            const u = await userByName(svc, name);
            await svc.updateUser(actor(io), u.id, { disabled });
            io.stdout(`${disabled ? 'disabled' : 'enabled'} "${u.name}"\n`);
          });
        })(),
    );
  }

  addStoreOptions(user.command('reset-mfa').description('clear a user\'s authenticator and recovery codes; they enrol again at the next sign-in').argument('<name>', 'user name')).action(
    (name: string, opts: StoreOptions) =>
      run(async () => {
        await withService(opts, io, async (svc) => {
          await svc.resetMfa(actor(io), name);
          io.stdout(`reset the authenticator of "${name}": their sessions ended; at the next sign-in with their password they set up a new device\n`);
        });
      })(),
  );

  addStoreOptions(user.command('invite').description('reset a user\'s password and authenticator and print a new invitation link').argument('<name>', 'user name'))
    .option('--url <url>', 'base URL of the server for the link')
    .action((name: string, opts: StoreOptions & { url?: string }) =>
      run(async () => {
        await withService(opts, io, async (svc, cfg) => {
          const u = await userByName(svc, name);
          const r = await svc.reinvite(actor(io), u.id, baseUrl(cfg, opts.url));
          io.stdout(`reset "${u.name}". Send them this one-time link (valid until ${new Date(r.expiresAt).toISOString()}):\n\n  ${r.url}\n`);
        });
      })(),
    );

  addStoreOptions(user.command('unlock').description('forget failed sign-ins of a user name (ends its lock from every address)').argument('<name>', 'user name')).action(
    (name: string, opts: StoreOptions) =>
      run(async () => {
        await withService(opts, io, async (svc) => {
          await svc.unlock(name, actor(io));
          io.stdout(`unlocked "${name}"\n`);
        });
      })(),
  );
}
