/**
 * @fileoverview The monitor's own Prometheus metrics (prom-client), all `leakscope_`
 * prefixed and named after prometheus.io/docs/practices/naming (base units, `_total` for
 * counters). Per-target gauges carry `job` and `instance` labels; per-group series are not
 * exported (unbounded cardinality) — the JSON API and `leakscope query` have them.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AlertRow } from './store/types.js';

/** The metric set of one monitor process. */
export class MonitorMetrics {
  readonly registry = new Registry();
  readonly scrapes = new Counter({ name: 'leakscope_scrapes_total', help: 'Scrapes by profile and result (ok, or the failure kind).', labelNames: ['profile', 'result'], registers: [this.registry] });
  readonly scrapeDuration = new Histogram({
    name: 'leakscope_scrape_duration_seconds',
    help: 'Time to fetch and parse one profile.',
    labelNames: ['profile'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly scrapeLateness = new Histogram({
    name: 'leakscope_scrape_lateness_seconds',
    help: 'How long after its scheduled time a scrape started.',
    buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
    registers: [this.registry],
  });
  readonly targetUp = new Gauge({ name: 'leakscope_target_up', help: '1 when the last goroutine scrape of the target succeeded.', labelNames: ['job', 'instance'], registers: [this.registry] });
  readonly goroutines = new Gauge({ name: 'leakscope_target_goroutines', help: 'Goroutines in the last goroutine profile.', labelNames: ['job', 'instance'], registers: [this.registry] });
  readonly leaked = new Gauge({ name: 'leakscope_leaked_goroutines', help: 'Goroutines in the last goroutineleak profile (Go 1.26+).', labelNames: ['job', 'instance'], registers: [this.registry] });
  readonly heapInuse = new Gauge({ name: 'leakscope_heap_inuse_bytes', help: 'In-use heap bytes in the last heap profile (sampled, scaled).', labelNames: ['job', 'instance'], registers: [this.registry] });
  readonly alerts = new Gauge({ name: 'leakscope_alerts', help: 'Active alerts by rule and state.', labelNames: ['rule', 'state'], registers: [this.registry] });
  readonly alertsFired = new Counter({ name: 'leakscope_alerts_fired_total', help: 'Alerts that went from pending to firing.', labelNames: ['rule'], registers: [this.registry] });
  readonly ownedTargets = new Gauge({ name: 'leakscope_owned_targets', help: 'Targets this collector scrapes (its leases in fleet mode).', registers: [this.registry] });
  readonly writeBuffer = new Gauge({ name: 'leakscope_store_buffered_writes', help: 'Scrapes waiting in memory for the store (database unavailable or slow).', registers: [this.registry] });
  readonly writesDropped = new Counter({ name: 'leakscope_store_dropped_writes_total', help: 'Buffered scrapes dropped because the buffer bound was reached.', registers: [this.registry] });
  readonly storeUp = new Gauge({ name: 'leakscope_store_up', help: '1 when the last store write succeeded.', registers: [this.registry] });
  readonly notifications = new Counter({ name: 'leakscope_notifications_total', help: 'Alert notifications by receiver type and result.', labelNames: ['type', 'result'], registers: [this.registry] });
  readonly evaluator = new Gauge({ name: 'leakscope_evaluator', help: '1 when this collector is the alert evaluator.', registers: [this.registry] });

  constructor(defaults = true) {
    if (defaults) collectDefaultMetrics({ register: this.registry, prefix: 'leakscope_process_' });
  }

  /** Replaces the `leakscope_alerts` gauge from the active alerts. */
  setAlerts(active: readonly AlertRow[]): void {
    this.alerts.reset();
    for (const a of active) this.alerts.inc({ rule: a.rule, state: a.state });
  }

  /** Removes a target's per-target series (target gone or moved away). */
  forgetTarget(job: string, instance: string): void {
    for (const g of [this.targetUp, this.goroutines, this.leaked, this.heapInuse]) g.remove({ job, instance });
  }
}
