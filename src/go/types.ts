/**
 * @fileoverview A small model of Go types, enough for the rules to ask sound questions
 * ("is this a *sync.Mutex?", "a chan T?", "a context.CancelFunc?") and get `unknown`
 * when the answer is not known. It mirrors go/types (Named, Pointer, Chan, Struct...)
 * without method sets of foreign packages beyond the stdlib table in `stdlib.ts`.
 */
import type { Node } from './syntax.js';

export type ChanDir = 'both' | 'send' | 'recv';

export interface Field {
  name: string;
  type: Type;
  embedded: boolean;
}

export type Type =
  | { kind: 'unknown' }
  | { kind: 'basic'; name: string }
  | { kind: 'named'; pkg: string; name: string; ref?: NamedRef }
  | { kind: 'pointer'; elem: Type }
  | { kind: 'slice'; elem: Type }
  | { kind: 'array'; elem: Type; len?: number }
  | { kind: 'map'; key: Type; value: Type }
  | { kind: 'chan'; dir: ChanDir; elem: Type }
  | { kind: 'struct'; fields: Field[] }
  | { kind: 'func'; params: Type[]; results: Type[]; variadic: boolean }
  | { kind: 'interface' }
  | { kind: 'tuple'; types: Type[] }
  | { kind: 'typeparam'; name: string };

/** How to get the underlying type and methods of a named type (resolved lazily). */
export interface NamedRef {
  underlying(): Type;
  method(name: string): MethodInfo | undefined;
  /** Declaration node, for types declared in the analysed package. */
  decl?: Node;
  /**
   * For an interface type: the names of its methods, embedded interfaces included (any package
   * the loader or the stubs know); undefined when not an interface or an embedded one is unknown.
   */
  interfaceMethods?(): ReadonlySet<string> | undefined;
}

/** A method: its signature, receiver kind and (for same-package methods) declaration. */
export interface MethodInfo {
  name: string;
  sig: Extract<Type, { kind: 'func' }>;
  pointerRecv: boolean;
  decl?: Node;
  /** Import path of the declaring package. */
  pkg: string;
  /** Receiver base type name. */
  recvType: string;
}

export const UNKNOWN: Type = { kind: 'unknown' };
export const INT: Type = { kind: 'basic', name: 'int' };
export const BOOL: Type = { kind: 'basic', name: 'bool' };
export const STRING: Type = { kind: 'basic', name: 'string' };
export const ERROR: Type = { kind: 'named', pkg: '', name: 'error', ref: { underlying: () => ({ kind: 'interface' }), method: () => undefined } };

export function isUnknown(t: Type): boolean {
  return t.kind === 'unknown';
}

/** The underlying type: follows named types (at most 32 steps, for cyclic declarations). */
export function underlying(t: Type): Type {
  for (let i = 0; i < 32 && t.kind === 'named'; i++) {
    if (!t.ref) return UNKNOWN;
    t = t.ref.underlying();
  }
  return t.kind === 'named' ? UNKNOWN : t;
}

/** Strips one pointer level (`*T` → `T`); other types are returned as is. */
export function deref(t: Type): Type {
  return t.kind === 'pointer' ? t.elem : t;
}

/** True when `t` is the named type `pkg.name` (not a pointer to it). */
export function isNamed(t: Type, pkg: string, name: string): boolean {
  return t.kind === 'named' && t.pkg === pkg && t.name === name;
}

/** True when `t` is `pkg.name` or `*pkg.name`. */
export function isNamedOrPtr(t: Type, pkg: string, name: string): boolean {
  return isNamed(deref(t), pkg, name);
}

/** The channel type under `t`, if `t` is (a named type whose underlying is) a channel. */
export function chanOf(t: Type): Extract<Type, { kind: 'chan' }> | undefined {
  const u = underlying(t);
  return u.kind === 'chan' ? u : undefined;
}

/** The function type under `t`. */
export function funcOf(t: Type): Extract<Type, { kind: 'func' }> | undefined {
  const u = underlying(t);
  return u.kind === 'func' ? u : undefined;
}

/** Results of calling a value of type `t` (single results are unwrapped). */
export function callResult(t: Type): Type {
  const f = funcOf(t);
  if (!f) return UNKNOWN;
  if (f.results.length === 1) return f.results[0] as Type;
  if (f.results.length === 0) return { kind: 'tuple', types: [] };
  return { kind: 'tuple', types: f.results };
}

/** Finds a field (including promoted fields of embedded structs, breadth-first as the spec says). */
export function lookupField(t: Type, name: string): Field | undefined {
  // The common case first, without the breadth-first search's arrays and set (asked at every
  // selector the resolver types): a type that is not a struct, or a struct without embedded
  // fields, has only its own fields. The answer is the search's at depth 0.
  const t0 = deref(t);
  const u0 = underlying(t0);
  if (u0.kind !== 'struct') return undefined;
  let own: Field | undefined;
  let ambiguous = false;
  let embeds = false;
  for (const f of u0.fields) {
    if (f.name === name) {
      if (own) ambiguous = true;
      own = f;
    }
    if (f.embedded) embeds = true;
  }
  if (ambiguous) return undefined; // a compile error
  if (own || !embeds) return own;
  let level: Type[] = [t0];
  const seen = new Set<Type>();
  for (let depth = 0; depth < 8 && level.length > 0; depth++) {
    const next: Type[] = [];
    let found: Field | undefined;
    for (const lt of level) {
      if (seen.has(lt)) continue;
      seen.add(lt);
      const u = underlying(lt);
      if (u.kind !== 'struct') continue;
      for (const f of u.fields) {
        if (f.name === name) {
          if (found) return undefined; // ambiguous at this depth: a compile error
          found = f;
        }
        if (f.embedded) next.push(deref(f.type));
      }
    }
    if (found) return found;
    level = next;
  }
  return undefined;
}

/** Finds a method of `t` (named, pointer to named, or promoted through embedded fields). */
export function lookupMethod(t: Type, name: string): MethodInfo | undefined {
  // The common case first, without the search's arrays and set: a method of the named type
  // itself, or a type with no embedded fields to promote methods from (the search's answer at depth 0).
  const t0 = deref(t);
  if (t0.kind === 'named') {
    const m = t0.ref?.method(name);
    if (m) return m;
  }
  const u0 = underlying(t0);
  if (u0.kind !== 'struct' || !u0.fields.some((f) => f.embedded)) return undefined;
  let level: Type[] = [t0];
  const seen = new Set<string>();
  for (let depth = 0; depth < 8 && level.length > 0; depth++) {
    const next: Type[] = [];
    for (const lt of level) {
      if (lt.kind === 'named') {
        const key = `${lt.pkg}.${lt.name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const m = lt.ref?.method(name);
        if (m) return m;
      }
      const u = underlying(lt);
      if (u.kind === 'struct') for (const f of u.fields) if (f.embedded) next.push(deref(f.type));
    }
    level = next;
  }
  return undefined;
}

/** Renders a type the way Go prints it (for messages). */
export function typeString(t: Type): string {
  switch (t.kind) {
    case 'unknown':
      return '?';
    case 'basic':
      return t.name;
    case 'named': {
      if (!t.pkg) return t.name;
      const last = t.pkg.slice(t.pkg.lastIndexOf('/') + 1);
      return `${last}.${t.name}`;
    }
    case 'pointer':
      return `*${typeString(t.elem)}`;
    case 'slice':
      return `[]${typeString(t.elem)}`;
    case 'array':
      return `[${t.len ?? '?'}]${typeString(t.elem)}`;
    case 'map':
      return `map[${typeString(t.key)}]${typeString(t.value)}`;
    case 'chan':
      return `${t.dir === 'recv' ? '<-chan' : t.dir === 'send' ? 'chan<-' : 'chan'} ${typeString(t.elem)}`;
    case 'struct':
      return 'struct{...}';
    case 'func':
      return `func(${t.params.map(typeString).join(', ')})${t.results.length ? ' ' + t.results.map(typeString).join(', ') : ''}`;
    case 'interface':
      return 'interface{...}';
    case 'tuple':
      return `(${t.types.map(typeString).join(', ')})`;
    case 'typeparam':
      return t.name;
  }
}
