/**
 * @fileoverview The write path between the scrapers and the store. Scrapes never wait for
 * the database: they enqueue writes, and one loop applies them in order. When the store is
 * unavailable (database down, disk full, locked) the writes stay in memory up to a bound,
 * a clear log line says so once per outage, and the loop retries with back-off; when the
 * bound is reached the oldest buffered scrapes are dropped (counted in
 * `leakscope_store_dropped_writes_total`). Nothing already committed is touched.
 */
import type { Logger } from 'pino';
import type { MonitorMetrics } from './metrics.js';
import { FencedError, StoreUnavailableError } from './store/types.js';

/** One queued write. */
export interface QueuedWrite {
  /** `scrape`, `conditions:<target>`, ...: items with the same coalescing key replace each other. */
  label: string;
  coalesce?: string;
  /** Approximate memory held. */
  bytes: number;
  run: () => Promise<unknown>;
  /** Called after the write committed. */
  onCommit?: (result: unknown) => void;
  /** Called when the write is refused by fencing (the lease moved). */
  onFenced?: () => void;
}

/** Options of the queue. */
export interface WriteQueueOptions {
  maxItems: number;
  maxBytes: number;
  log: Logger;
  metrics?: MonitorMetrics;
}

/** Ordered, bounded write buffer with retry. */
export class WriteQueue {
  private items: QueuedWrite[] = [];
  private bytes = 0;
  private running = false;
  private down = false;
  private retryMs = 500;
  private timer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(private readonly o: WriteQueueOptions) {}

  /** Number of buffered writes. */
  get size(): number {
    return this.items.length;
  }

  /** True while the store is failing. */
  get storeDown(): boolean {
    return this.down;
  }

  push(w: QueuedWrite): void {
    if (w.coalesce) {
      const i = this.items.findIndex((x) => x.coalesce === w.coalesce);
      if (i >= 0 && (i > 0 || !this.running)) {
        this.bytes -= this.items[i]!.bytes;
        this.items.splice(i, 1);
      }
    }
    this.items.push(w);
    this.bytes += w.bytes;
    while ((this.items.length > this.o.maxItems || this.bytes > this.o.maxBytes) && this.items.length > 1) {
      const idx = this.items.findIndex((x, j) => x.label === 'scrape' && (j > 0 || !this.running));
      if (idx < 0) break;
      const [dropped] = this.items.splice(idx, 1);
      this.bytes -= dropped!.bytes;
      this.o.metrics?.writesDropped.inc();
    }
    this.o.metrics?.writeBuffer.set(this.items.length);
    if (!this.running && !this.timer) void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.items.length > 0) {
        const w = this.items[0]!;
        try {
          const r = await w.run();
          if (this.down) {
            this.down = false;
            this.retryMs = 500;
            this.o.log.info({ buffered: this.items.length }, 'store available again; writing buffered scrapes');
          }
          this.o.metrics?.storeUp.set(1);
          w.onCommit?.(r);
        } catch (e) {
          if (e instanceof StoreUnavailableError || isConnectionError(e)) {
            if (!this.down) this.o.log.error({ buffered: this.items.length, err: (e as Error).message }, `store unavailable: ${(e as Error).message}; buffering scrapes in memory (bound ${this.o.maxItems} writes / ${Math.round(this.o.maxBytes / 1048576)} MiB)`);
            this.down = true;
            this.o.metrics?.storeUp.set(0);
            if (this.closed) return;
            this.timer = setTimeout(() => {
              this.timer = undefined;
              void this.drain();
            }, this.retryMs);
            this.timer.unref?.();
            this.retryMs = Math.min(this.retryMs * 2, 30_000);
            return;
          }
          if (e instanceof FencedError) {
            this.o.log.warn({ write: w.label }, `write refused by fencing: ${e.message}`);
            w.onFenced?.();
          } else {
            this.o.log.error({ write: w.label, err: (e as Error).stack ?? String(e) }, `store write failed and was dropped: ${(e as Error).message}`);
          }
        }
        this.items.shift();
        this.bytes -= w.bytes;
        this.o.metrics?.writeBuffer.set(this.items.length);
      }
    } finally {
      this.running = false;
      if (this.items.length === 0) for (const f of this.idleWaiters.splice(0)) f();
    }
  }

  /** Resolves when the queue is empty, or after `timeoutMs` (returns whether it emptied). */
  async flush(timeoutMs: number): Promise<boolean> {
    if (this.items.length === 0 && !this.running) return true;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      void this.drain();
    }
    return new Promise<boolean>((resolve) => {
      const t = setTimeout(() => resolve(this.items.length === 0), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  /** Stops retrying (shutdown). */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** PostgreSQL / socket errors that mean "the database went away". */
export function isConnectionError(e: unknown): boolean {
  const code = (e as { code?: string }).code ?? '';
  const msg = (e as Error)?.message ?? '';
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004', '53100', '53200', '53300'].includes(code) ||
    /Connection terminated|connection timeout|Client has encountered a connection error|not queryable/i.test(msg)
  );
}
