/**
 * @fileoverview Alert lifecycle and notifications. One evaluator runs at a time (in fleet
 * mode the collector holding the `evaluator` lease): it turns the detectors' conditions
 * (written by the collectors that own the targets) into alerts:
 *
 *   condition holds            -> pending (1st evaluation)
 *   holds `for` evaluations    -> firing  (webhook + Alertmanager, evidence requested)
 *   ended, `resolve-after` ago -> resolved, reason `recovered`
 *   target restarted           -> resolved at once, reason `restarted`
 *   target gone                -> resolved at once, reason `target-gone`
 *
 * Fingerprints are stable: sha256(rule, job, instance, subject). At most one pending or
 * firing alert per fingerprint exists (a partial unique index in both stores), so a new
 * evaluator taking over after a failover continues the same alerts, never duplicates them.
 *
 * Notifications follow Prometheus' conventions (prometheus.io/docs/alerting/clients): the
 * webhook body has Alertmanager's v4 webhook shape; Alertmanagers get `POST /api/v2/alerts`,
 * re-sent while firing with `endsAt` = now + 4 evaluation intervals, and once with `endsAt`
 * = the resolution time when resolved.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { describeCredential, resolveCredential, type AlertsConfig, type Receiver } from './config.js';
import type { MonitorMetrics } from './metrics.js';
import type { AlertRow, Condition, SilenceRow, Store, TargetStatus } from './store/types.js';

/** Alert names by rule (the `alertname` label). */
export const ALERT_NAMES: Record<string, string> = {
  'goroutine-growth': 'GoroutineGroupGrowing',
  'goroutine-concentration': 'GoroutinesPiledUp',
  goroutineleak: 'GoroutinesLeakedRuntime',
  'heap-growth': 'HeapSiteGrowing',
  'heap-step': 'HeapSiteStepUp',
  'known-leak': 'KnownLeakSignature',
};

/** Stable fingerprint of an alert. */
export function fingerprint(rule: string, job: string, instance: string, subject: string): string {
  return createHash('sha256').update([rule, job, instance, subject].join('\u0000')).digest('hex').slice(0, 16);
}

/** True when every matcher of the silence matches the labels (Alertmanager semantics). */
export function silenceMatches(s: SilenceRow, labels: Record<string, string>, now: number): boolean {
  if (now < s.startsAt || now >= s.endsAt) return false;
  return s.matchers.every((m) => {
    const v = labels[m.name] ?? '';
    const hit = m.isRegex ? new RegExp(`^(?:${m.value})$`).test(v) : v === m.value;
    return m.isEqual === false ? !hit : hit;
  });
}

/** The silence muting an alert, if any. */
export function silencedBy(a: Pick<AlertRow, 'labels'>, silences: readonly SilenceRow[], now: number): SilenceRow | undefined {
  return silences.find((s) => silenceMatches(s, a.labels, now));
}

/** Parses `name=value`, `name!=value`, `name=~regex`, `name!~regex`. */
export function parseMatcher(s: string): SilenceRow['matchers'][number] {
  const m = /^([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"?(.*?)"?$/.exec(s.trim());
  if (!m) throw new Error(`invalid matcher "${s}" (expected name=value, name!=value, name=~regex or name!~regex)`);
  const op = m[2]!;
  if (op.includes('~')) new RegExp(m[3]!);
  return { name: m[1]!, value: m[3]!, isRegex: op.includes('~'), isEqual: !op.startsWith('!') };
}

/** One alert in Alertmanager's API/webhook form. */
export interface AmAlert {
  status?: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint?: string;
}

/** Options of the evaluator. */
export interface EvaluatorDeps {
  store: Store;
  cfg: AlertsConfig;
  log: Logger;
  metrics?: MonitorMetrics;
  /** Base URL of this server for links (`external-url`, else the listen address). */
  externalUrl: string;
  env?: Record<string, string | undefined>;
  /** Replaces `fetch` (tests). */
  post?: (url: string, body: unknown, headers: Record<string, string>, timeoutMs: number) => Promise<void>;
}

/** Converts conditions into alerts and sends notifications. */
export class AlertEvaluator {
  constructor(private readonly d: EvaluatorDeps) {}

  private labelsFor(c: Condition, t: TargetStatus): Record<string, string> {
    const l: Record<string, string> = { ...t.labels, alertname: ALERT_NAMES[c.rule] ?? c.rule, rule: c.rule, severity: c.severity, job: t.job, instance: t.instance };
    const site = c.details.site as { function: string; file: string; line: number } | null | undefined;
    if (site) l.site = `${site.function} ${shortFile(site.file)}:${site.line}`;
    if (c.rule === 'known-leak') l.signature = c.subject;
    if (c.rule === 'goroutine-growth') l.group = c.subject.slice(0, 12);
    return l;
  }

  private annotationsFor(c: Condition, id: number | undefined, prev?: Record<string, string>): Record<string, string> {
    const a: Record<string, string> = { ...(prev ?? {}), summary: c.summary };
    const site = c.details.site as { function: string; file: string; line: number } | null | undefined;
    if (site) a.location = `${site.file}:${site.line} (${site.function})`;
    if (typeof c.details.fix === 'string') a.fix = c.details.fix;
    if (id !== undefined) {
      a.evidence = `${this.d.externalUrl}/api/v1/alerts/${id}/evidence`;
      a.alert = `${this.d.externalUrl}/api/v1/alerts/${id}`;
    }
    return a;
  }

  /**
   * One evaluation. `epoch` fences the writes in fleet mode (the evaluator lease).
   * Returns the alerts that changed state.
   */
  async evaluate(now: number, epoch?: number): Promise<{ fired: number[]; resolved: number[]; pending: number[] }> {
    const { store, cfg } = this.d;
    const [conditions, active, targets, silences] = await Promise.all([store.listConditions(false), store.listAlerts({ state: 'active' }), store.listTargets(), store.listSilences(false)]);
    const byId = new Map(targets.map((t) => [t.id, t]));
    const byFp = new Map(active.map((a) => [a.fingerprint, a]));
    const seen = new Set<string>();
    const result = { fired: [] as number[], resolved: [] as number[], pending: [] as number[] };
    for (const c of conditions) {
      const t = byId.get(c.targetId);
      if (!t) continue;
      const fp = fingerprint(c.rule, t.job, t.instance, c.subject);
      const a = byFp.get(fp);
      if (!c.active) {
        if (a) seen.add(fp);
        if (!a) continue;
        const reason = t.goneAt !== null ? 'target-gone' : (c.endedReason ?? 'recovered');
        const immediate = reason !== 'recovered' || a.state === 'pending';
        if (immediate || now - c.updatedAt >= cfg.resolveAfterMs) {
          const patch = { state: 'resolved' as const, resolvedAt: now, reason: a.state === 'pending' ? `${reason} (while pending)` : reason, lastEvalAt: now };
          await store.updateAlert(a.id, patch, epoch);
          result.resolved.push(a.id);
        } else {
          await store.updateAlert(a.id, { lastEvalAt: now }, epoch);
        }
        continue;
      }
      seen.add(fp);
      if (t.goneAt !== null) continue;
      if (!a) {
        const labels = this.labelsFor(c, t);
        const firing = cfg.forEvaluations <= 1;
        const row: Omit<AlertRow, 'id'> = {
          fingerprint: fp,
          rule: c.rule,
          targetId: t.id,
          subject: c.subject,
          state: firing ? 'firing' : 'pending',
          severity: c.severity,
          summary: c.summary,
          labels,
          annotations: this.annotationsFor(c, undefined),
          details: c.details,
          pendingCount: 1,
          startedAt: c.since,
          firedAt: firing ? now : null,
          resolvedAt: null,
          reason: null,
          lastEvalAt: now,
          lastSentAt: null,
          notified: [],
          evidenceState: firing ? 'requested' : 'none',
        };
        let id: number;
        try {
          id = await store.insertAlert(row, epoch);
        } catch (e) {
          // Another evaluator (a failover race) inserted the same fingerprint: it is the same alert.
          if (/unique|constraint/i.test((e as Error).message)) continue;
          throw e;
        }
        const annotations = this.annotationsFor(c, id);
        await store.updateAlert(id, { annotations }, epoch);
        if (firing) {
          result.fired.push(id);
        } else result.pending.push(id);
        continue;
      }
      const patch: Partial<AlertRow> = { lastEvalAt: now, summary: c.summary, details: c.details, annotations: this.annotationsFor(c, a.id, a.annotations) };
      if (a.state === 'pending') {
        patch.pendingCount = a.pendingCount + 1;
        if (patch.pendingCount >= cfg.forEvaluations) {
          patch.state = 'firing';
          patch.firedAt = now;
          patch.evidenceState = 'requested';
          result.fired.push(a.id);
        }
      }
      await store.updateAlert(a.id, patch, epoch);
    }
    // Active alerts whose condition vanished entirely (target deleted from the store).
    for (const a of active) {
      if (seen.has(a.fingerprint)) continue;
      const t = byId.get(a.targetId);
      const reason = !t || t.goneAt !== null ? 'target-gone' : 'recovered';
      const patch = { state: 'resolved' as const, resolvedAt: now, reason, lastEvalAt: now };
      await store.updateAlert(a.id, patch, epoch);
      result.resolved.push(a.id);
    }
    await this.deliver(now, silences, epoch);
    await this.resendFiring(now, silences, epoch);
    if (this.d.metrics) {
      const all = await store.listAlerts({ state: 'active' });
      this.d.metrics.setAlerts(all);
    }
    return result;
  }

  /** Alertmanager form of an alert. */
  toAm(a: AlertRow, now: number): AmAlert {
    const endsAt = a.state === 'resolved' ? (a.resolvedAt ?? now) : now + 4 * this.d.cfg.evaluationIntervalMs;
    return {
      status: a.state === 'resolved' ? 'resolved' : 'firing',
      labels: a.labels,
      annotations: a.reason ? { ...a.annotations, resolved_reason: a.reason } : a.annotations,
      startsAt: new Date(a.firedAt ?? a.startedAt).toISOString(),
      endsAt: new Date(endsAt).toISOString(),
      generatorURL: `${this.d.externalUrl}/api/v1/alerts/${a.id}`,
      fingerprint: a.fingerprint,
    };
  }

  /** Alertmanager webhook v4 body for one alert. */
  webhookBody(a: AlertRow, now: number): Record<string, unknown> {
    const am = this.toAm(a, now);
    return {
      receiver: 'leakscope',
      status: am.status,
      alerts: [am],
      groupLabels: { alertname: a.labels.alertname ?? a.rule },
      commonLabels: a.labels,
      commonAnnotations: am.annotations,
      externalURL: this.d.externalUrl,
      version: '4',
      groupKey: `{}:{alertname="${a.labels.alertname ?? a.rule}", fingerprint="${a.fingerprint}"}`,
      truncatedAlerts: 0,
    };
  }

  /**
   * Sends what has not been sent: "firing" for firing alerts not yet notified, "resolved"
   * for resolved alerts whose firing was notified. Driven by the stored `notified` list
   * rather than by this evaluation's transitions, so an evaluator that dies between a state
   * change and its notification is covered by the next one (at-least-once delivery;
   * receivers deduplicate by fingerprint, as Alertmanager does by labels). Silenced alerts
   * stay unsent until the silence ends.
   */
  private async deliver(now: number, silences: readonly SilenceRow[], epoch?: number): Promise<void> {
    const firing = (await this.d.store.listAlerts({ state: 'firing' })).filter((a) => !a.notified.includes('firing'));
    const resolved = (await this.d.store.listAlerts({ state: 'resolved', limit: 500 })).filter((a) => a.notified.includes('firing') && !a.notified.includes('resolved'));
    for (const a of [...firing, ...resolved]) await this.notifyTransition(a, silences, now, epoch);
  }

  private async notifyTransition(a: AlertRow, silences: readonly SilenceRow[], now: number, epoch?: number): Promise<void> {
    const kind = a.state === 'resolved' ? 'resolved' : 'firing';
    if (kind === 'resolved' && !a.notified.includes('firing')) return;
    const s = silencedBy(a, silences, now);
    if (s) {
      if (!a.notified.includes(`silenced:${kind}`)) {
        this.d.log.info({ alert: a.id, fingerprint: a.fingerprint, silence: s.id }, `alert ${kind} but silenced by silence ${s.id}`);
        await this.d.store.updateAlert(a.id, { notified: [...a.notified, `silenced:${kind}`] }, epoch);
      }
      return;
    }
    this.d.log.info({ alert: a.id, fingerprint: a.fingerprint, rule: a.rule, labels: a.labels, reason: a.reason }, `alert ${kind}${a.reason ? ` (${a.reason})` : ''}: ${a.summary}`);
    let ok = true;
    for (const r of this.d.cfg.webhooks) ok = (await this.send(r, 'webhook', this.webhookBody(a, now))) && ok;
    for (const r of this.d.cfg.alertmanagers) ok = (await this.send(r, 'alertmanager', [this.toAm(a, now)], '/api/v2/alerts')) && ok;
    await this.d.store.updateAlert(a.id, { notified: [...new Set([...a.notified, kind])], lastSentAt: now }, epoch);
  }

  private async resendFiring(now: number, silences: readonly SilenceRow[], epoch?: number): Promise<void> {
    if (this.d.cfg.alertmanagers.length === 0) return;
    const firing = (await this.d.store.listAlerts({ state: 'firing' })).filter(
      (a) => a.notified.includes('firing') && (a.lastSentAt === null || now - a.lastSentAt >= this.d.cfg.resendMs) && !silencedBy(a, silences, now),
    );
    if (firing.length === 0) return;
    for (const r of this.d.cfg.alertmanagers) await this.send(r, 'alertmanager', firing.map((a) => this.toAm(a, now)), '/api/v2/alerts');
    for (const a of firing) await this.d.store.updateAlert(a.id, { lastSentAt: now }, epoch);
  }

  private async send(r: Receiver, type: 'webhook' | 'alertmanager', body: unknown, suffix = ''): Promise<boolean> {
    const url = suffix ? r.url.replace(/\/+$/, '') + suffix : r.url;
    let headers: Record<string, string>;
    try {
      headers = { 'content-type': 'application/json', 'user-agent': 'leakscope-monitor' };
      for (const [k, v] of Object.entries(r.headers)) headers[k] = resolveCredential(v, this.d.env);
      if (r.bearerToken) headers.authorization = `Bearer ${resolveCredential(r.bearerToken, this.d.env)}`;
    } catch (e) {
      this.d.log.error({ receiver: url, credential: r.bearerToken ? describeCredential(r.bearerToken) : undefined }, `cannot notify ${type}: ${(e as Error).message}`);
      this.d.metrics?.notifications.inc({ type, result: 'error' });
      return false;
    }
    const post = this.d.post ?? defaultPost;
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        await post(url, body, headers, r.timeoutMs);
        this.d.metrics?.notifications.inc({ type, result: 'ok' });
        return true;
      } catch (e) {
        if (attempt === 3) {
          this.d.log.warn({ receiver: url, type }, `notification failed after 3 attempts: ${(e as Error).message}`);
          this.d.metrics?.notifications.inc({ type, result: 'error' });
          return false;
        }
        await new Promise((res) => setTimeout(res, 200 * 2 ** attempt));
      }
    }
    return false;
  }
}

async function defaultPost(url: string, body: unknown, headers: Record<string, string>, timeoutMs: number): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
  await res.arrayBuffer().catch(() => undefined);
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
}

function shortFile(f: string): string {
  const parts = f.split('/');
  return parts.slice(-2).join('/');
}
