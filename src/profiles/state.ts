/**
 * @fileoverview Infers a goroutine's wait state from its stack, for formats
 * that do not print one (debug=1 text, pprof protobuf). The protobuf keeps the
 * runtime frames on top of the stack (runtime.gopark, runtime.chanrecv1, ...),
 * debug=1 hides leading runtime frames (runtime/pprof/pprof.go
 * printStackRecord), so there only the sync / poll wrappers are visible.
 *
 * The names map to the wait reasons of runtime/runtime2.go waitReasonStrings,
 * so rules written against debug=2 states apply unchanged.
 */
import type { Frame } from './model.js';

/** Frame function -> wait reason it implies. Checked from the innermost frame outwards. */
export const STATE_BY_FRAME: ReadonlyMap<string, string> = new Map([
  ['runtime.chanrecv', 'chan receive'],
  ['runtime.chanrecv1', 'chan receive'],
  ['runtime.chanrecv2', 'chan receive'],
  ['runtime.chansend', 'chan send'],
  ['runtime.chansend1', 'chan send'],
  ['runtime.selectgo', 'select'],
  ['runtime.block', 'select (no cases)'],
  ['runtime.gcBgMarkWorker', 'GC worker (idle)'],
  ['runtime.forcegchelper', 'force gc (idle)'],
  ['runtime.bgsweep', 'GC sweep wait'],
  ['runtime.bgscavenge', 'GC scavenge wait'],
  ['runtime.runfinq', 'finalizer wait'],
  ['runtime.runFinalizers', 'finalizer wait'],
  ['runtime.timeSleep', 'sleep'],
  ['time.Sleep', 'sleep'],
  // sync: Go 1.24 moved Mutex into internal/sync (internal/sync/mutex.go).
  ['sync.runtime_SemacquireMutex', 'sync.Mutex.Lock'],
  ['internal/sync.runtime_SemacquireMutex', 'sync.Mutex.Lock'],
  ['sync.runtime_SemacquireRWMutexR', 'sync.RWMutex.RLock'],
  ['sync.runtime_SemacquireRWMutex', 'sync.RWMutex.Lock'],
  ['sync.runtime_SemacquireWaitGroup', 'sync.WaitGroup.Wait'],
  ['sync.runtime_notifyListWait', 'sync.Cond.Wait'],
  ['sync.(*WaitGroup).Wait', 'sync.WaitGroup.Wait'],
  ['sync.(*Mutex).Lock', 'sync.Mutex.Lock'],
  ['internal/sync.(*Mutex).Lock', 'sync.Mutex.Lock'],
  ['sync.(*RWMutex).Lock', 'sync.RWMutex.Lock'],
  ['sync.(*RWMutex).RLock', 'sync.RWMutex.RLock'],
  ['sync.(*Cond).Wait', 'sync.Cond.Wait'],
  ['internal/poll.runtime_pollWait', 'IO wait'],
  ['os/signal.signal_recv', 'syscall'],
  ['runtime/pprof.writeRuntimeProfile', 'running'],
  ['runtime/pprof.writeGoroutineStacks', 'running'],
]);

/** Returns the inferred wait reason, or `unknown`. */
export function inferState(frames: readonly Frame[]): string {
  const n = Math.min(frames.length, 8);
  for (let i = 0; i < n; i++) {
    const s = STATE_BY_FRAME.get(frames[i]!.function);
    if (s !== undefined) return s;
  }
  return 'unknown';
}
