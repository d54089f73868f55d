/**
 * @fileoverview The points-to store: a union-find over abstract locations
 * (Steensgaard-style unification, context-insensitive), each class carrying what the
 * model knows about the values its locations may hold — allocation sites, functions,
 * whether a value from unknown code may flow in, whether a value flows out to unknown
 * code, and the class of its elements (what a channel carries, what a slice or map holds).
 *
 * Unification over-approximates aliasing: two locations that may hold the same object
 * are in one class (and so may two that never do). For the questions rules ask — "is
 * there any send on this channel?", "does anything call Done on this WaitGroup?" — an
 * over-approximation finds more operations and makes the rules report less, which is
 * the direction precision wants.
 */
import type { Node } from '../../go/syntax.js';
import type { ObjKind, StdChanSource } from './stdlib.js';

/** What the model knows about one class of locations. */
export interface ClassData {
  /** The location keys in the class (for messages and tests). */
  keys: string[];
  /** Allocation sites: `make(chan ...)`, `new(sync.Mutex)`, composite literals... */
  allocs: Node[];
  /** Function values the class may hold (func literals, declarations, method values), by function key. */
  funcs: Set<string>;
  /** Why a value of unknown origin may be in the class (a parameter of an exported function, a result of unknown code), if so. */
  unknownSource?: string;
  /** Why the class escapes to code the model does not see (passed to another package, exported), if it does. */
  escape?: string;
  /** Channels the runtime wakes (timers, context Done, signal.Notify). */
  std: Set<StdChanSource>;
  /** Concurrency kind, from the first typed location added. */
  kind?: ObjKind;
  /** True when `nil` is assigned to some location of the class. */
  nilAssigned: boolean;
  /** Class of the elements (channel element, slice/map/array element). */
  elem?: number;
}

/** Union-find over string-keyed locations. */
export class Unifier {
  private ids = new Map<string, number>();
  private parent: number[] = [];
  private data: ClassData[] = [];

  /** The class id of `key` (created on first use). */
  id(key: string): number {
    let i = this.ids.get(key);
    if (i === undefined) {
      i = this.parent.length;
      this.ids.set(key, i);
      this.parent.push(i);
      this.data.push({ keys: [key], allocs: [], funcs: new Set(), std: new Set(), nilAssigned: false });
    }
    return this.find(i);
  }

  /** True when `key` has been seen. */
  has(key: string): boolean {
    return this.ids.has(key);
  }

  /** The representative of class `i`. */
  find(i: number): number {
    let r = i;
    while (this.parent[r] !== r) r = this.parent[r] as number;
    // Path compression.
    let c = i;
    while (this.parent[c] !== r) {
      const n = this.parent[c] as number;
      this.parent[c] = r;
      c = n;
    }
    return r;
  }

  /** The data of the class of `key` (or of class id `i`). */
  get(key: string | number): ClassData {
    const i = typeof key === 'number' ? this.find(key) : this.id(key);
    return this.data[i] as ClassData;
  }

  /** The class of the elements of class `i` (created on first use). */
  elem(i: number): number {
    const d = this.get(i);
    if (d.elem !== undefined) return this.find(d.elem);
    const e = this.id(`elem:${this.find(i)}:${this.parent.length}`);
    // `get` may have been invalidated by `id` growing the arrays: re-read.
    this.get(i).elem = e;
    return e;
  }

  /** Merges the classes of `a` and `b` (and, recursively, their element classes). Returns the representative. */
  union(a: number, b: number): number {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return ra;
    // Keep the larger class as representative.
    if ((this.data[ra] as ClassData).keys.length < (this.data[rb] as ClassData).keys.length) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    const da = this.data[ra] as ClassData;
    const db = this.data[rb] as ClassData;
    da.keys.push(...db.keys);
    da.allocs.push(...db.allocs);
    for (const f of db.funcs) da.funcs.add(f);
    for (const s of db.std) da.std.add(s);
    da.unknownSource ??= db.unknownSource;
    da.escape ??= db.escape;
    da.kind ??= db.kind;
    da.nilAssigned ||= db.nilAssigned;
    const ea = da.elem;
    const eb = db.elem;
    if (eb !== undefined) {
      if (ea === undefined) da.elem = eb;
      else da.elem = this.union(ea, eb);
    }
    return this.find(ra);
  }

  /** Every class representative. */
  classes(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.parent.length; i++) if (this.parent[i] === i) out.push(i);
    return out;
  }
}
