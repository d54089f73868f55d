/**
 * @fileoverview The model the blocking-state search explores: per entry point, a set of
 * concurrency objects (channels with their capacity, mutexes, WaitGroups, Conds, Onces,
 * cancellable contexts) and goroutine templates ("procs"), each a small state machine
 * over concurrency operations. Everything that does not touch a modelled object is gone;
 * branches are deterministic where the extractor knows the condition and
 * nondeterministic choices otherwise.
 *
 * The model is plain data so it can be printed (`leakscope explain`) and tested without
 * Go source.
 */
import type { Node } from '../../go/syntax.js';
import type { SourceFile } from '../../go/source.js';

/** The kinds of concurrency objects the engine tracks exactly. */
export type ObjKind = 'chan' | 'mutex' | 'rwmutex' | 'wg' | 'cond' | 'once' | 'ctx';

/** One concurrency object (one allocation site executed once per run of the entry). */
export interface Obj {
  id: number;
  kind: ObjKind;
  /** The variable or field path it is reached through (`ch`, `s.mu`). */
  name: string;
  /** Channel capacity (0 = unbuffered). */
  cap: number;
  /** For a channel: every send on it sends nil (1) or a non-nil value (2). */
  vtag?: 1 | 2;
  /** A capacity that is a symbolic count (`make(chan T, len(xs))`): the global slot holding it (`cap` is then unused). */
  capSym?: number;
  /** For a Cond: the object id of its Locker (a mutex). */
  lock?: number;
  /** Where it is made or declared. */
  site?: { file: SourceFile; node: Node };
}

/** A source position attached to an instruction, for traces and findings. */
export interface Site {
  file: SourceFile;
  node: Node;
}

/** A select case: a send or receive on an object, or on a channel the model does not know (always ready). */
export interface SelCase {
  dir: 'send' | 'recv';
  /** Object id, or -1 for a channel the model does not track (a timer, a parameter: it may fire at any time). */
  obj: number;
  next: number;
  /** Flag slot that receives the `ok` of `v, ok := <-ch` (1 value, 2 closed). */
  ok?: FlagRef;
  site: Site;
  /** An untracked case whose firing is a matter of timing the model does not know (a ticker's tick): a bug behind it is not proven. */
  unsure?: boolean;
  /** An untracked timer's channel (`time.After`, a Timer's C): it fires after a while, so a case whose other side is already waiting goes first. */
  timer?: boolean;
  /** For a timer case: the goroutine-local flag slot recording that it fired once (a timer beating a ready partner every time is not assumed). */
  fired?: number;
  /**
   * For the channel of a timer made once (`t := time.NewTimer(d)`, `to := time.After(d)`)
   * and never reset: the goroutine-local flag slot saying it fired (2) — a timer delivers one
   * value, so after that the case is never ready again.
   */
  once?: number;
}

/** A reference to a flag slot: global (shared by all goroutines of the entry) or local to the goroutine. */
export interface FlagRef {
  global: boolean;
  slot: number;
}

/** One instruction of a goroutine template. `next` is the index of the following instruction. */
export type Instr =
  | { k: 'nop'; next: number; site?: Site; label?: string }
  | { k: 'choice'; nexts: number[]; labels: string[]; site?: Site; unsure?: boolean; unsureAt?: boolean[] }
  | { k: 'setflag'; flag: FlagRef; value: boolean; next: number; site: Site; text: string }
  /**
   * `unsureVal`: deciding the (not yet set) flag to this value is an unsure choice;
   * `unsureUnset`: both are (a value received from another goroutine the model could not follow).
   */
  | { k: 'flag'; flag: FlagRef; then: number; else: number; site: Site; text: string; unsureVal?: boolean; unsureUnset?: boolean; negate?: boolean }
  | { k: 'setctr'; ctr: number; next: number }
  /**
   * A counter local to the goroutine (`done := 0`, `done++`, `done += 2`): set to or
   * increased by `n`, saturating at `max` (one more than the largest constant it is
   * compared with, so every comparison keeps its answer).
   */
  | { k: 'count'; flag: FlagRef; op: 'set' | 'add'; n: number; max: number; next: number; site: Site; text: string }
  /** A comparison of a symbolic count (shifted by `add`) with a constant (`len(addrs) < 2`): decided by the count's value. */
  | { k: 'cmp'; count: FlagRef; add: number; op: '<' | '<=' | '>' | '>=' | '==' | '!='; rhs: number; then: number; else: number; site: Site; text: string }
  | { k: 'loop'; ctr: number; count: number | FlagRef; add?: number; body: number; exit: number; site: Site }
  | { k: 'park'; site: Site }
  /**
   * `vtag`: whether the value sent is nil (1) or not (2), when the extractor knows; `vflag`:
   * the sender's local flag "x == nil" of the variable it sends (a choice made at the
   * rendezvous is recorded there, so the sender's own tests of x agree with the receiver's).
   */
  | { k: 'send'; obj: number; next: number; site: Site; vtag?: 1 | 2; vflag?: FlagRef }
  /** `nilf`: the receiver's local flag "v == nil" of the variable the value is received into. */
  | { k: 'recv'; obj: number; next: number; closed?: number; ok?: FlagRef; nilf?: FlagRef; site: Site }
  | { k: 'close'; obj: number; next: number; site: Site }
  | { k: 'select'; cases: SelCase[]; dflt?: number; site: Site }
  | { k: 'lock' | 'unlock' | 'rlock' | 'runlock'; obj: number; next: number; site: Site }
  | { k: 'add'; obj: number; n: number; next: number; site: Site }
  | { k: 'wait'; obj: number; next: number; site: Site }
  | { k: 'cwait' | 'signal' | 'broadcast'; obj: number; next: number; site: Site }
  | { k: 'once'; obj: number; body: number; next: number; site: Site }
  | { k: 'oncedone'; obj: number; next: number }
  | { k: 'cancel'; obj: number; next: number; site: Site }
  | { k: 'go'; proc: number; next: number; site: Site }
  | { k: 'end'; site?: Site }
  | { k: 'halt'; site?: Site };

/** A goroutine template: its code and where it comes from. */
export interface Proc {
  id: number;
  /** For messages: `main`, `the goroutine started at line 12`. */
  name: string;
  code: Instr[];
  /** Number of loop counters the code uses. */
  ctrs: number;
  /** Number of goroutine-local flag slots. */
  flags: number;
  /** Where the goroutine is started (undefined for the entry's own goroutine). */
  start?: Site;
}

/** How the entry's own goroutine ending is to be read. */
export type EntryKind = 'main' | 'test' | 'func';

/** The model of one entry point. */
export interface Model {
  /** `pkg.Func` / `Type.Method`. */
  entry: string;
  kind: EntryKind;
  file: SourceFile;
  decl: Node;
  objs: Obj[];
  /** procs[0] is the entry's own goroutine. */
  procs: Proc[];
  /** Number of global flag slots and, for each, its description and domain size (2 for booleans, n+1 for counts 0..n). */
  globals: Array<{ text: string; domain: number; fixed?: number }>;
}

/** Why an entry was not modelled. */
export interface Unmodelled {
  entry: string;
  file: SourceFile;
  decl: Node;
  reason: string;
}
