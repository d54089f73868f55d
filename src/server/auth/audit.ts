/**
 * @fileoverview The append-only audit log (issue 16 §8): one JSON object per security
 * event, written to `<data-dir>/audit.jsonl` (mode 0600, opened for appending, one line per
 * event, synchronously, so a line is on disk before the response leaves) and to the store's
 * `auth_audit` table (which triggers keep append-only; `audit_log` view for `leakscope
 * query`, `GET /api/v1/audit` for admins).
 *
 * Events carry time, actor, address, user agent, outcome, subject and details; never a
 * password, code, token, session id or secret: callers pass only names and ids, and
 * {@link scrub} drops any detail whose key looks like a credential as a second line of
 * defence.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { AuditEvent, AuthStore } from '../../monitor/store/auth.js';

/** File name of the JSON-lines copy in the data directory. */
export const AUDIT_FILE = 'audit.jsonl';

const SECRET_KEY = /pass(word)?|secret|^code$|otp|token$|cookie|session_?id|recovery_?code/i;

/** Removes credential-looking keys and caps string lengths. */
export function scrub(details: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details)) {
    if (SECRET_KEY.test(k) || v === undefined) continue;
    out[k] = typeof v === 'string' && v.length > 256 ? v.slice(0, 256) + '…' : v;
  }
  return out;
}

/** What a caller records (time and defaults are filled in). */
export type AuditInput = Partial<Omit<AuditEvent, 'type' | 'outcome'>> & Pick<AuditEvent, 'type' | 'outcome'>;

/** Writes audit events to the JSONL file and the store. */
export class AuditLog {
  private fd: number | undefined;

  constructor(
    private readonly store: AuthStore,
    private readonly log: Logger,
    private readonly clock: () => number,
    /** Directory of `audit.jsonl`; undefined writes to the store only. */
    private readonly dir?: string,
  ) {}

  /** Path of the JSONL file, if any. */
  get file(): string | undefined {
    return this.dir ? path.join(this.dir, AUDIT_FILE) : undefined;
  }

  /** Records one event. Never throws: a failed write is logged as an error. */
  async record(e: AuditInput): Promise<void> {
    const ev: AuditEvent = {
      ts: e.ts ?? this.clock(),
      type: e.type,
      outcome: e.outcome,
      actor: e.actor ?? 'anonymous',
      actorId: e.actorId ?? null,
      ip: e.ip ?? null,
      userAgent: e.userAgent ? e.userAgent.slice(0, 256) : null,
      subject: e.subject ?? null,
      details: scrub(e.details ?? {}),
    };
    const file = this.file;
    if (file) {
      try {
        this.fd ??= fs.openSync(file, 'a', 0o600);
        fs.writeSync(this.fd, JSON.stringify({ time: new Date(ev.ts).toISOString(), ...ev }) + '\n');
      } catch (err) {
        this.log.error({ err: (err as Error).message, file }, 'cannot append to the audit file');
      }
    }
    try {
      await this.store.appendAudit(ev);
    } catch (err) {
      this.log.error({ err: (err as Error).message, type: ev.type }, 'cannot write the audit event to the store');
    }
  }

  /** Closes the file. */
  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
