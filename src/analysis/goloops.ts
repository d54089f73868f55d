/**
 * @fileoverview Goroutines started in loops: the loop around a `go` statement, whether the
 * loop can start the next goroutine before the previous one is done, and whether an
 * access in a goroutine is ordered by a lock or a synchronising operation. Shared by
 * concurrent-map-write and loop-goroutine-race.
 */
import { cfgNodeOf } from '../go/cfg.js';
import { named, type Node } from '../go/syntax.js';
import type { FuncCtx } from './pass.js';
import { lockHeldAt, reachesAvoiding } from './syncfacts.js';

/** Tokens that may order two goroutines: a channel operation, select, Wait, Lock, Once.Do, errgroup Go, atomics. */
export const SYNC_TEXT = /<-|\bselect\b|\.(?:R?Lock|Wait|Do|Go)\s*\(|\batomic\./;
/** The same without Lock: a lock in the goroutine itself is judged by lockHeldAt. */
export const ORDER_TEXT = /<-|\bselect\b|\.(?:Wait|Do|Go)\s*\(|\batomic\./;

/** A Lock held at `w` in function `fn`, or a channel operation / Wait / select before it in `fn`'s text. */
export function orderedBefore(fc: FuncCtx, fn: Node, w: Node): boolean {
  if (lockHeldAt(fc, fn, w)) return true;
  return ORDER_TEXT.test(fc.file.text.slice(fn.start, w.start));
}

/** The innermost for statement around `n` inside `fn`. */
export function loopOf(n: Node, fn: Node): Node | undefined {
  for (let p = n.parent; p && p !== fn; p = p.parent) if (p.type === 'for_statement') return p;
  return undefined;
}

/**
 * The go statement can run again (next loop iteration) without passing a channel
 * operation, Wait or Lock: a loop that waits for each goroutine before starting the
 * next one (`go f(); <-done`) runs them one at a time.
 */
export function loopsWithoutBarrier(fc: FuncCtx, goStmt: Node, spawner: Node): boolean {
  const cfg = fc.cfg(spawner);
  const from = cfg && cfgNodeOf(cfg, goStmt);
  if (!cfg || !from) return true;
  return reachesAvoiding(cfg, from, from, (n) => SYNC_TEXT.test(fc.text(n)));
}

/** True when `brk` (a break statement inside `loop`) leaves `loop`: labelled, or no select, switch or inner for between them. */
export function breaksOutOf(brk: Node, loop: Node): boolean {
  if (named(brk).length > 0) return true;
  for (let p = brk.parent; p && p !== loop; p = p.parent) {
    if (p.type === 'select_statement' || p.type === 'for_statement' || p.type === 'expression_switch_statement' || p.type === 'type_switch_statement') return false;
  }
  return true;
}
