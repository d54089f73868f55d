/**
 * @fileoverview Model extraction from syntax: one {@link Model} per entry point, built
 * from the resolved syntax of the entry's declaration, the goroutine literals it starts,
 * and the same-package functions it passes its objects to (inlined, a few calls deep).
 *
 * What becomes an object: a channel made with `make` (capacity a known integer), a
 * `sync.Mutex` / `RWMutex` / `WaitGroup` / `Once` variable, a `sync.NewCond` of a modelled
 * mutex, a `context.WithCancel(context.Background())` pair — each declared in the entry
 * function outside any loop and never re-assigned — and mutexes reached through a field
 * path of a variable (`s.mu`: other code can only delay such a lock, never release it for
 * us, so a block the model proves stays proven). Structs the entry allocates — by a
 * literal (`&Pool{idle: make(chan *Conn)}`) or a same-package constructor that is inlined —
 * own their channel fields and zero-valued sync fields, keyed by variable and field path.
 * A loop of the entry whose iterations allocate their own objects and share nothing is
 * modelled as one iteration; a `go func(){...}()` body that makes objects is an entry of
 * its own. Every reference to an object (and to a struct holding one) must be an
 * operation the model understands, a `len`/`cap`, or an argument of an inlined call;
 * anything else (stored, returned, passed to another package) makes the entry
 * unmodelled, and the engine says nothing about it.
 *
 * Channels the model does not own (parameters, fields of structs made elsewhere,
 * `time.After`, `ticker.C`) are "may fire at any time": a receive or send on them never
 * blocks in the model.
 *
 * This is the extraction layer behind {@link ModelSource}. It resolves names, types,
 * fields and calls itself (through the package's FuncCtx); it does not yet read the
 * program model of `src/analysis/program/`, whose points-to would let it follow objects
 * stored in slices, maps and structs made in other functions.
 */
import { failedArm, failsTest } from '../testfail.js';
import { importedCallName, type FuncCtx, type PackageFacts } from '../pass.js';
import type { LocalVar } from '../../go/resolve.js';
import { exprList, field, named, unparen, walk, type Node } from '../../go/syntax.js';
import { deref, isNamed, isNamedOrPtr, lookupMethod, underlying, type Field, type Type } from '../../go/types.js';
import { constBool, isPure, isStableLocal } from '../conds.js';
import { knownInt, tripCount } from '../values.js';
import { callArgs } from '../chanfacts.js';
import { constText, constantArgs } from './callsites.js';
import type { EntryKind, FlagRef, Instr, Model, Obj, ObjKind, Proc, SelCase, Site, Unmodelled } from './model.js';

/** Supplies the models of a package's entry points. */
export interface ModelSource {
  models(facts: PackageFacts): Array<Model | Unmodelled>;
}

/** A function body worth modelling mentions a concurrency object it could own. */
export const SEARCH_TRIGGERS = /\bmake\(\s*chan\b|\bsync\.(?:Mutex|RWMutex|WaitGroup|Once|NewCond)\b|\bcontext\.WithCancel\b/;

/** The keyword of a go statement (a superset test: the word may also sit in a comment or string). */
const GO_WORD = /\bgo\b/;

/** Why an entry is not modelled; thrown often (most entries), so it records no stack: nothing reads one. */
class GiveUp extends Error {
  constructor(message: string) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }
}

const SYNC_KINDS: Record<string, ObjKind> = { Mutex: 'mutex', RWMutex: 'rwmutex', WaitGroup: 'wg', Once: 'once' };

/**
 * Bindings of an inlined function's parameters: an object, a root for field paths, or a
 * function literal of the caller with the bindings it closes over (`g.Go(func() {...})`:
 * calling the parameter runs the literal).
 */
type Binding = { obj: number } | { root: string } | { fn: FnValue };

/** A function literal passed as an argument, with the environment it was written in. */
interface FnValue {
  fc: FuncCtx;
  lit: Node;
  env: Map<LocalVar, Binding>;
}

/** A struct the model allocated (its fields' zero values and the objects made for them are exactly known). */
interface Owned {
  fields: Field[];
  /** It (or a struct it holds) has channel or WaitGroup fields: every use of it must be understood. */
  strict: boolean;
}

/** A same-package constructor the model inlines: its struct literal and the local it returns. */
interface Ctor {
  fc: FuncCtx;
  lit: Node;
  local?: LocalVar;
}

/** Whether a deferred call stops a panic: certainly, certainly not, or the model cannot tell. */
type Recovers = 'yes' | 'no' | 'maybe';

/** Where a goroutine goes from an inlined body when it leaves other than by returning: its caller's frame (see {@link Ctx}). */
interface Outer {
  goexit: () => number;
  panicked: () => number;
}

interface Ctx {
  fc: FuncCtx;
  /** The function node whose body is being translated. */
  fn: Node;
  env: Map<LocalVar, Binding>;
  brk?: number;
  cont?: number;
  labels: Map<string, { brk: number; cont?: number }>;
  /** Where a `return` at source offset `pos` goes (deferred calls, then end or the caller's continuation). */
  exit: (pos: number) => number;
  /** Where `runtime.Goexit` at `pos` goes: this function's deferred calls, then its callers' up to the goroutine's end. */
  goexit: (pos: number) => number;
  /**
   * Where a `panic` at `pos` goes: this function's deferred calls, then — when one of them
   * recovers — on as a return of this function, otherwise the callers' deferred calls in turn,
   * and the program stops when no frame recovers (see {@link Extractor.funcBody}).
   */
  panicked: (pos: number, site?: Site) => number;
  depth: number;
  /** Declarations being inlined (recursion guard). */
  inlining: Node[];
  pb: ProcBuilder;
  /**
   * Inside a loop whose iteration count the model does not know (`for {}` with breaks,
   * `for cond {}`, a range over data): its exits are decided by data the loop reads —
   * often from I/O or state other goroutines change — so a choice there is unsure.
   */
  unknownLoop?: boolean;
  /** In an inlined constructor: the root its result is bound to (`return t` hands it back). */
  retRoot?: string;
}

class ProcBuilder {
  code: Instr[] = [];
  ctrs = 0;
  flags = 0;
  okFlags = new Map<LocalVar, FlagRef>();
  /** Locals whose nil-ness is tracked ("x == nil"), for values passed through channels. */
  nilFlags = new Map<LocalVar, FlagRef>();
  nilFlag(v: LocalVar): FlagRef {
    let f = this.nilFlags.get(v);
    if (!f) this.nilFlags.set(v, (f = { global: false, slot: this.flags++ }));
    return f;
  }
  localFlags = new Map<string, number>();
  /** Timers made once and never reset (see {@link onceTimer}) → their "fired" flag slot. */
  timerFlags = new Map<LocalVar, number>();
  timerFlag(v: LocalVar): number {
    let f = this.timerFlags.get(v);
    if (f === undefined) this.timerFlags.set(v, (f = this.flags++));
    return f;
  }
  emit(i: Instr): number {
    this.code.push(i);
    return this.code.length - 1;
  }
}

/** The kind of entry a declaration is (how its own goroutine ending is read). */
export function entryKind(fc: FuncCtx): EntryKind {
  const name = fc.decl.type === 'function_declaration' ? fc.text(field(fc.decl, 'name') ?? fc.decl) : '';
  if (name === 'main' && fc.facts.pkg.files[0]?.packageName === 'main') return 'main';
  if (fc.file.path.endsWith('_test.go') && /^(Test|Benchmark|Example|Fuzz)/.test(name)) return 'test';
  return 'func';
}

/** Extracts models from syntax and per-function facts. */
export const syntaxSource: ModelSource = {
  models(facts) {
    const out: Array<Model | Unmodelled> = [];
    const triggers = entryTriggers(facts);
    for (const fc of facts.functions(triggers)) {
      if (!fc.body || (fc.decl.type !== 'function_declaration' && fc.decl.type !== 'method_declaration')) continue;
      const m = extractEntry(fc);
      if (m) out.push(m);
      // Each goroutine body that makes its own objects is an entry too: every goroutine
      // started from it gets its own (`go func() { j := Start(...); j.Wait() }()`). A go
      // statement spells the keyword as a word of its own: a body without one is not walked.
      if (!GO_WORD.test(fc.text(fc.body))) continue;
      walk(fc.body, (n) => {
        if (n.type !== 'go_statement') return;
        const call = unparen(named(n)[0] ?? n);
        const lit = call.type === 'call_expression' ? unparen(field(call, 'function') ?? call) : undefined;
        if (lit?.type !== 'func_literal' || !triggers.test(fc.text(lit))) return;
        const lm = extractEntry(fc, lit, `the goroutine started at line ${fc.file.line(n.start)}`);
        if (lm) out.push(lm);
      });
    }
    return out;
  },
};

/**
 * What makes a function an entry: it makes an object, or calls a same-package function
 * that does and returns (a constructor: `t := NewTailer(...)` owns the channels made there).
 */
export function entryTriggers(facts: PackageFacts): RegExp {
  return facts.memo('search:triggers', () => {
    const ctors = new Set<string>();
    for (const { decl, file } of facts.pkg.funcDecls) {
      if (decl.type !== 'function_declaration') continue;
      const text = file.text.slice(decl.start, decl.end);
      // make(chan first: most declarations return, few make a channel (same answer).
      if (!/\bmake\(\s*chan\b/.test(text) || !/\breturn\b/.test(text)) continue;
      const name = field(decl, 'name');
      if (name) ctors.add(file.text.slice(name.start, name.end));
    }
    if (ctors.size === 0) return SEARCH_TRIGGERS;
    return new RegExp(`${SEARCH_TRIGGERS.source}|\\b(?:${[...ctors].join('|')})\\(`);
  });
}

/** The model of one entry (undefined when it owns no object worth exploring). */
export function extractEntry(fc: FuncCtx, lit?: Node, name?: string): Model | Unmodelled | undefined {
  const ex = new Extractor(fc, lit ?? fc.decl, name ?? fc.name);
  try {
    return ex.run();
  } catch (e) {
    if (e instanceof GiveUp) return { entry: ex.name, file: fc.file, decl: ex.fn, reason: e.message };
    throw e;
  }
}

class Extractor {
  objs: Obj[] = [];
  procs: Proc[] = [];
  globals: Model['globals'] = [];
  globalKeys = new Map<string, number>();
  objOfVar = new Map<LocalVar, number>();
  /** Cancel function variables → their context object. */
  cancelOf = new Map<LocalVar, number>();
  fieldObjs = new Map<string, number>();
  consumed = new Set<Node>();
  /** Variables whose every reference must be consumed (objects, and parameters bound to objects). */
  watched: Array<{ fc: FuncCtx; v: LocalVar }> = [];
  procMemo = new Map<string, number>();
  /** Root keys of the entry's own variables (for parameters of inlined functions bound to them). */
  rootVars = new Map<string, LocalVar>();
  /** Boolean locals of the entry set only to constants (`done = true`): tracked as flags. */
  flagVars = new Map<LocalVar, number>();
  hasBlockingOp = false;
  goCount = 0;
  /** Structs the model allocated, by key (`<var key>` or `<var key>.field...`). */
  owned = new Map<string, Owned>();
  /** Entry variables initialised by an inlined constructor. */
  ctors = new Map<LocalVar, Ctor>();
  /** Data fields of allocated structs holding a slice literal of constants (by field key): a range over them is unrolled with each element. */
  fieldData = new Map<string, { fc: FuncCtx; node: Node }>();
  private constsMap: Map<LocalVar, string> | undefined;
  /**
   * Variables bound to a constant's source text: the entry's parameters every caller passes
   * one constant for ({@link entryConstants}), and an unrolled range iteration's element.
   * Filled on first use: an entry given up (or without objects) before anything reads a
   * constant never asks its callers ({@link constantArgs} is the costly part).
   */
  get consts(): Map<LocalVar, string> {
    if (!this.constsMap) {
      this.constsMap = new Map();
      this.entryConstants(this.constsMap);
    }
    return this.constsMap;
  }
  /** Parameters of the function being inlined whose argument the model knows (a constant, a slice literal's length). */
  vals = new Map<LocalVar, number>();
  /**
   * Parameters of the function being inlined whose argument is a constant, as {@link constText}
   * writes it (`true`, `"tcp"`, `3`): a condition on one is decided by it (`Txn(false)` runs
   * `if write { db.writer.Lock() }` without the lock), as for the entry's own constants.
   */
  argTexts = new Map<LocalVar, string>();
  /** Loops of the entry and whether each is modelled as one iteration. */
  iterLoops = new Map<Node, boolean>();
  /** Function bodies the translation entered (their text is checked for writes of counted fields). */
  translated = new Map<Node, FuncCtx>();
  /** Fields of allocated structs holding the cancel function of an untracked context (by field key). */
  cancelFields = new Set<string>();
  /** Locals used as counters (see {@link counterBound}): the saturation bound, or 0 for a local that is none. */
  counters = new Map<LocalVar, number>();
  /** Symbolic counts of a field's length (`len(ix.segments)`), by slot: the field's name and how many places read it. */
  fieldCounts = new Map<number, { name: string; text: string; uses: number }>();

  /**
   * @param fn the entry function: the declaration of `fc`, or a function literal in it
   *   started as a goroutine (then its own objects are the ones declared in it)
   */
  constructor(
    readonly fc: FuncCtx,
    readonly fn: Node,
    readonly name: string,
  ) {}

  run(): Model | Unmodelled | undefined {
    const fc = this.fc;
    this.findObjects();
    if (this.objs.length === 0) return undefined;
    this.escapesEarly();
    const pb = new ProcBuilder();
    const main: Proc = { id: 0, name: this.name, code: pb.code, ctrs: 0, flags: 0 };
    this.procs.push(main);
    const body = (this.fn === fc.decl ? fc.body : field(this.fn, 'body')) as Node;
    // Instruction 0 is the entry: a jump to the translated body.
    pb.emit({ k: 'nop', next: -1 });
    pb.code[0] = { k: 'nop', next: this.funcBody(fc, this.fn, body, new Map(), pb, [this.fn], undefined) };
    main.ctrs = pb.ctrs;
    main.flags = pb.flags;
    for (const { fc: f, v } of this.watched) {
      for (const r of f.res.refs.get(v) ?? []) {
        if (!this.consumed.has(r)) {
          let at: Node = r;
          while (at.parent && at.type !== 'call_expression' && !at.type.endsWith('_statement')) at = at.parent;
          throw new GiveUp(`"${v.name}" is used at line ${f.file.line(r.start)} in a way the model does not follow (${clip(f.text(at))})`);
        }
      }
    }
    this.checkFieldCounts();
    if (!this.hasBlockingOp) return undefined;
    // A channel every send of which says the same about nil-ness: its buffered values do too.
    for (const o of this.objs) {
      if (o.kind !== 'chan') continue;
      const tags = new Set<number>();
      for (const p of this.procs)
        for (const i of p.code) {
          if (i.k === 'send' && i.obj === o.id) tags.add(i.vtag ?? 0);
          else if (i.k === 'select') for (const sc of i.cases) if (sc.dir === 'send' && sc.obj === o.id) tags.add(0);
        }
      const [t] = [...tags];
      if (tags.size === 1 && (t === 1 || t === 2)) o.vtag = t;
    }
    return { entry: this.name, kind: this.fn === fc.decl ? entryKind(fc) : 'func', file: fc.file, decl: this.fn, objs: this.objs, procs: this.procs, globals: this.globals };
  }

  /**
   * The entry's parameters that every call in the package passes one constant for
   * ({@link constantArgs}): the entry runs with that value (`runBatch(40)`, `launch("")`),
   * so tests of it are decided and counts made from it are exact. A parameter the entry
   * writes is not fixed and keeps no value.
   */
  private entryConstants(consts: Map<LocalVar, string>): void {
    const fc = this.fc;
    if (this.fn !== fc.decl || fc.decl.type !== 'function_declaration') return;
    const params = field(fc.decl, 'parameters');
    if (!params || named(params).length === 0) return;
    const vals = constantArgs(fc.facts, fc.decl);
    if (!vals) return;
    let i = 0;
    for (const p of named(params)) {
      if (p.type !== 'parameter_declaration' && p.type !== 'variadic_parameter_declaration') continue;
      const names = p.children.filter((x) => x.field === 'name');
      if (names.length === 0) i++;
      for (const n of names) {
        const v = fc.res.defs.get(n);
        const t = vals[i++];
        if (v && t !== undefined && this.fixedVar(fc, v)) consts.set(v, t);
      }
    }
  }

  /**
   * A field's length read in two places (`make(chan T, len(ix.segments))`, `range
   * ix.segments`) is one symbolic count only while no code the model runs writes the field
   * in between: a translated function that assigns it makes the entry unmodelled.
   */
  private checkFieldCounts(): void {
    for (const { name, text, uses } of this.fieldCounts.values()) {
      if (uses < 2) continue;
      const assigned = new RegExp(`\\.${name}\\s*(?:[-+*/|&^]?=[^=]|\\+\\+|--)|&[\\w.]*\\.${name}\\b`);
      for (const [fn, fc] of this.translated) {
        if (assigned.test(fc.file.text.slice(fn.start, fn.end))) throw new GiveUp(`"${text}" is read twice and ${name} is assigned at line ${fc.file.line(fn.start)}`);
      }
    }
  }

  /**
   * Gives up before translating the body when an object of the entry is used where no
   * translation can understand it — returned, assigned to something else, or passed to a
   * function of another package — so an entry the model cannot follow costs no model.
   */
  private escapesEarly(): void {
    const fc = this.fc;
    const pkg = fc.facts.pkg;
    for (const { fc: f, v } of this.watched) {
      if (f !== fc) continue;
      for (const r of f.res.refs.get(v) ?? []) {
        if (r === v.ident || this.consumed.has(r)) continue;
        let e: Node = r;
        while (e.parent && (e.parent.type === 'parenthesized_expression' || (e.parent.type === 'unary_expression' && /^[&*]/.test(f.text(e.parent))))) e = e.parent;
        const p = e.parent;
        const list = p?.type === 'expression_list' ? p.parent : undefined;
        let why: string | undefined;
        if (list?.type === 'return_statement') why = 'returned';
        else if (p?.type === 'expression_list' && p.field === 'right' && (list?.type === 'assignment_statement' || list?.type === 'short_var_declaration') && !exprList(field(list, 'left')).every((l) => f.text(l) === '_')) why = 'assigned';
        else if (p?.type === 'argument_list' && p.parent?.type === 'call_expression') {
          const callee = f.res.callee(p.parent);
          if ((callee.kind === 'func' && callee.obj.pkg !== pkg) || (callee.kind === 'method' && callee.method.pkg !== pkg.importPath)) why = 'passed to another package';
        }
        if (!why) {
          const lit = this.unrunLiteral(r);
          if (lit) why = `captured by the function literal at line ${f.file.line(lit.start)}, which the model does not run,`;
        }
        if (why) throw new GiveUp(`"${v.name}" is ${why} at line ${f.file.line(r.start)} (${clip(f.text(p?.parent ?? r))})`);
      }
    }
  }

  /**
   * The innermost function literal around `r` (inside the entry) that the translation will
   * not run: not started with `go`, not called in place or deferred, not the function of a
   * `Once.Do` or of `time.AfterFunc`. Its references stay unconsumed, so the entry would be
   * given up after a whole translation anyway.
   */
  private unrunLiteral(r: Node): Node | undefined {
    for (let n = r.parent; n && n !== this.fn; n = n.parent) {
      if (n.type !== 'func_literal') continue;
      const p = n.parent;
      if (p?.type === 'call_expression' && field(p, 'function') === n) continue;
      const call = p?.type === 'argument_list' ? p.parent : undefined;
      if (call?.type === 'call_expression') {
        const callee = this.fc.res.callee(call);
        if (callee.kind === 'func' && callee.fullName === 'time.AfterFunc') continue;
        if (callee.kind === 'method' && callee.method.pkg === 'sync' && (callee.method.name === 'Do' || callee.method.name === 'Go')) continue;
        // An argument of a same-package call: the extractor binds it to the parameter when it
        // inlines the callee (if it does not, the literal's references stay unconsumed).
        if ((callee.kind === 'func' && callee.obj.pkg === this.fc.facts.pkg) || (callee.kind === 'method' && callee.method.pkg === this.fc.facts.pkg.importPath)) continue;
      }
      return n;
    }
    return undefined;
  }

  // ---- objects -------------------------------------------------------------------

  private addObj(kind: ObjKind, name: string, cap: number, site: Site | undefined, lock?: number): number {
    const id = this.objs.length;
    const o: Obj = { id, kind, name, cap, site };
    if (lock !== undefined) o.lock = lock;
    this.objs.push(o);
    return id;
  }

  private findObjects(): void {
    const fc = this.fc;
    for (const [ident, v] of fc.res.defs) {
      if (ident !== v.ident || v.func !== this.fn || v.kind !== 'var' || this.loopVariant(ident, this.fn)) continue;
      this.maybeFlagVar(fc, v);
      if (!this.neverReassigned(fc, v)) continue;
      const site = { file: fc.file, node: v.ident };
      const init = v.init ? unparen(v.init.expr) : undefined;
      if (init && this.newStruct(fc, v, init)) continue;
      if (init?.type === 'call_expression') {
        const callee = fc.res.callee(init);
        const args = callArgs(init);
        if (callee.kind === 'builtin' && callee.name === 'make' && v.init?.count === 1) {
          const ct = args[0] ? fc.res.typeFromExpr(args[0]) : undefined;
          if (!ct || underlying(ct).kind !== 'chan') continue;
          const cap = args[1] ? knownInt(fc, args[1]) : 0;
          if (cap === undefined && args[1]) {
            // `make(chan T, len(xs))`: a buffer of the symbolic count the loops over xs share.
            const sym = this.symCount(args[1], this.bareCtx(fc));
            if (!sym || sym.add !== 0) continue;
            const o = this.addObj('chan', v.name, 0, site);
            (this.objs[o] as Obj).capSym = sym.f.slot;
            this.bind(fc, v, o);
            continue;
          }
          if (cap === undefined || cap > 64) continue;
          this.bind(fc, v, this.addObj('chan', v.name, cap, site));
          continue;
        }
        if (callee.kind === 'func' && callee.fullName === 'sync.NewCond' && args[0]) {
          const a = unparen(args[0]);
          const inner = a.type === 'unary_expression' && fc.text(a).startsWith('&') ? field(a, 'operand') : a;
          const lv = inner ? fc.res.varOf(inner) : undefined;
          const lo = lv ? this.objOfVar.get(lv) : undefined;
          if (lo === undefined) {
            if (inner && /^&?sync\.(RW)?Mutex\{\}$/.test(fc.text(a).replace(/\s/g, ''))) {
              const l = this.addObj('mutex', `${v.name}.L`, 0, site);
              this.bind(fc, v, this.addObj('cond', v.name, 0, site, l));
            }
            continue;
          }
          if (inner) this.consumed.add(unparen(inner));
          this.bind(fc, v, this.addObj('cond', v.name, 0, site, lo));
          continue;
        }
        if (callee.kind === 'func' && callee.fullName === 'context.WithCancel' && v.init?.count === 2 && v.init.index === 0) {
          const parent = args[0] ? fc.text(args[0]).replace(/\s/g, '') : '';
          if (parent !== 'context.Background()' && parent !== 'context.TODO()') continue;
          const cancelIdent = exprList(field(v.ident.parent?.parent ?? v.ident, 'left'))[1];
          const cv = cancelIdent ? fc.res.defs.get(cancelIdent) : undefined;
          if (!cv || !this.neverReassigned(fc, cv)) continue;
          const o = this.addObj('ctx', v.name, 0, site);
          this.objOfVar.set(v, o);
          this.cancelOf.set(cv, o);
          this.watched.push({ fc, v: cv });
          continue;
        }
        continue;
      }
      // `var mu sync.Mutex`, `mu := &sync.Mutex{}`, `wg := new(sync.WaitGroup)`.
      const d = deref(fc.res.varType(v));
      if (d.kind !== 'named' || d.pkg !== 'sync') continue;
      const kind = SYNC_KINDS[d.name];
      if (!kind) continue;
      if (init) {
        const txt = fc.text(init).replace(/\s/g, '');
        if (txt !== `&sync.${d.name}{}` && txt !== `new(sync.${d.name})` && txt !== `sync.${d.name}{}`) continue;
      } else if (!v.typeExpr) continue;
      this.bind(fc, v, this.addObj(kind, v.name, 0, site));
    }
  }

  /** `done := false` ... `done = true` (in any goroutine) ... `for !done`: a boolean only ever set to constants. */
  private maybeFlagVar(fc: FuncCtx, v: LocalVar): void {
    // The initialiser's text first: it rules out most variables without computing a type.
    let init = false;
    if (v.init) {
      if (v.init.count !== 1) return;
      const txt = fc.text(unparen(v.init.expr));
      if (txt !== 'true' && txt !== 'false') return;
      init = txt === 'true';
    } else if (!v.typeExpr) return;
    const t = underlying(fc.res.varType(v));
    if (t.kind !== 'basic' || t.name !== 'bool') return;
    for (const r of fc.res.refs.get(v) ?? []) {
      const p = r.parent;
      if (p?.type === 'unary_expression' && fc.text(p).startsWith('&')) return;
      if (p?.type === 'expression_list' && p.field === 'left') {
        const st = p.parent;
        const lefts = exprList(p);
        const rights = st ? exprList(field(st, 'right')) : [];
        const op = st?.children.find((x) => !x.named && x.field === 'operator');
        if (st?.type !== 'assignment_statement' || lefts.length !== 1 || rights.length !== 1 || (op && fc.text(op) !== '=')) return;
        const val = fc.text(unparen(rights[0] as Node));
        if (val !== 'true' && val !== 'false') return;
      }
    }
    this.flagVars.set(v, this.globalSlot(`f:${v.ident.start}`, v.name, 2, init ? 1 : 0));
  }

  private declTexts = new Map<FuncCtx, string>();

  /** The text of the entry's declaration followed by that of `fc`'s (when it is another function): where {@link sharedData} looks for writes. */
  private declText(fc: FuncCtx): string {
    let t = this.declTexts.get(fc);
    if (t === undefined) {
      // Flattened once: the regular expressions of sharedData read it many times.
      t = this.fc.file.text.slice(this.fc.decl.start, this.fc.decl.end) + (fc === this.fc ? '' : fc.file.text.slice(fc.decl.start, fc.decl.end));
      this.declTexts.set(fc, t);
    }
    return t;
  }

  /** A condition that reads data another goroutine of the model may write (a local written from a closure, a field or package variable assigned in the entry): its value depends on the schedule. */
  private sharedData(cond: Node, c: Ctx): boolean {
    let shared = false;
    const declText = this.declText(c.fc);
    walk(cond, (n) => {
      if (shared) return false;
      if (n.type === 'selector_expression') {
        const txt = c.fc.text(n).replace(/\s+/g, '');
        const fl = field(n, 'field');
        if (fl && new RegExp(`\\.${c.fc.text(fl)}\\s*(?:=[^=]|\\+\\+|--|[-+*/|&]=)`).test(declText)) shared = true;
        else if (txt.endsWith('()')) shared = false;
        return !shared;
      }
      if (n.type === 'identifier') {
        const v = c.fc.res.localOf(n);
        if (v) {
          if ((v.kind === 'var' || v.kind === 'param' || v.kind === 'result') && !isStableLocal(c.fc, v)) shared = true;
        } else if (c.fc.res.pkgObjOf(n)?.kind === 'var' && new RegExp(`\\b${c.fc.text(n)}\\s*(?:=[^=]|\\+\\+|--|[-+*/|&]=)`).test(declText)) shared = true;
      }
      return !shared;
    });
    return shared;
  }

  private bind(fc: FuncCtx, v: LocalVar, o: number): void {
    this.objOfVar.set(v, o);
    this.watched.push({ fc, v });
  }

  /** No reference writes the variable (assignment, `++`, range variable). */
  private neverReassigned(fc: FuncCtx, v: LocalVar): boolean {
    for (const r of fc.res.refs.get(v) ?? []) {
      const p = r.parent;
      if (p?.type === 'expression_list' && p.field === 'left') return false;
      if (p?.type === 'inc_statement' || p?.type === 'dec_statement') return false;
    }
    return true;
  }

  /** The object an expression denotes in context (a variable, `&v`, `*p`, a bound parameter), consuming its identifier. */
  private objOf(e0: Node | undefined, c: Ctx): number | undefined {
    if (!e0) return undefined;
    let e = unparen(e0);
    if (e.type === 'unary_expression' && /^[&*]/.test(c.fc.text(e))) e = unparen(field(e, 'operand') ?? e);
    if (e.type === 'selector_expression') {
      // A field of a struct the model allocated (`t.quit`, `r.lim.slots`).
      const p = this.pathOf(e, c);
      if (!p || !this.ownerOf(p.key)) return undefined;
      const o = this.fieldObjs.get(p.key) ?? this.ownedSyncField(p.key, e, c);
      if (o !== undefined) this.consumed.add(p.base);
      return o;
    }
    if (e.type !== 'identifier') return undefined;
    const v = c.fc.res.localOf(e);
    if (!v) return undefined;
    const b = c.env.get(v);
    let o: number | undefined;
    if (b && 'obj' in b) o = b.obj;
    else if (c.fc === this.fc) o = this.objOfVar.get(v);
    if (o !== undefined) this.consumed.add(e);
    return o;
  }

  /** A mutex reached through a field path of a variable (`s.mu`, `s.a.mu`) or embedded in it (`s` for `s.Lock()`), created on first use. */
  private fieldMutex(path: Node, c: Ctx, kindName: string | undefined): number | undefined {
    const p = this.pathOf(path, c);
    if (!p) return undefined;
    const t = deref(c.fc.res.typeOf(path));
    let kind: ObjKind | undefined;
    if (t.kind === 'named' && t.pkg === 'sync') kind = d2k(t.name);
    else if (kindName) kind = d2k(kindName);
    if (kind !== 'mutex' && kind !== 'rwmutex' && kind !== 'once') return undefined;
    const key = `${p.key}${p.parts.length === 0 ? `.${kindName}` : ''}`;
    let o = this.fieldObjs.get(key);
    if (o === undefined) {
      o = this.addObj(kind, c.fc.text(path) + (p.parts.length === 0 ? `.${kindName ?? 'Mutex'}` : ''), 0, { file: c.fc.file, node: path });
      this.fieldObjs.set(key, o);
    }
    return o;
  }

  /**
   * The key of a field path `x.a.b` (its root variable's key, or the root the variable is
   * bound to, followed by the fields) and the identifier it starts from. A variable
   * declared in a loop names a different struct each iteration, so it has no key (unless
   * the loop is modelled as one iteration).
   */
  private pathOf(e0: Node, c: Ctx): { key: string; base: Node; parts: string[] } | undefined {
    const parts: string[] = [];
    let e = unparen(e0);
    while (e.type === 'selector_expression') {
      const fl = field(e, 'field');
      if (!fl) return undefined;
      parts.unshift(c.fc.text(fl));
      e = unparen(field(e, 'operand') ?? e);
    }
    if (e.type === 'unary_expression' && c.fc.text(e).startsWith('*')) e = unparen(field(e, 'operand') ?? e);
    if (e.type !== 'identifier') return undefined;
    const v = c.fc.res.localOf(e);
    if (!v || (v.kind !== 'recv' && v.kind !== 'param' && v.kind !== 'var')) return undefined;
    if (!this.neverReassigned(c.fc, v) || this.loopVariant(v.ident, v.func) || v.rangeOf) return undefined;
    const b = c.env.get(v);
    if (b && !('root' in b)) return undefined;
    const root = b ? b.root : varKey(c.fc, v);
    return { key: parts.length ? `${root}.${parts.join('.')}` : root, base: e, parts };
  }

  /** The owned struct holding the field at `key` (`x.a.b` → the struct `x.a`), if the model allocated it. */
  private ownerOf(key: string): Owned | undefined {
    const dot = key.lastIndexOf('.');
    return dot < 0 ? undefined : this.owned.get(key.slice(0, dot));
  }

  /** A sync field (Mutex, RWMutex, WaitGroup, Once; not a pointer) of a struct the model allocated: its zero value is exactly known. */
  private ownedSyncField(key: string, at: Node, c: Ctx): number | undefined {
    const own = this.ownerOf(key);
    if (!own) return undefined;
    const name = key.slice(key.lastIndexOf('.') + 1);
    const f = own.fields.find((x) => x.name === name);
    if (!f || f.type.kind !== 'named' || f.type.pkg !== 'sync') return undefined;
    const kind = SYNC_KINDS[f.type.name];
    if (!kind) return undefined;
    const o = this.addObj(kind, c.fc.text(at), 0, { file: c.fc.file, node: at });
    this.fieldObjs.set(key, o);
    return o;
  }

  /** Every use of a variable bound to this root must be understood: it reaches channels or WaitGroups the model owns. */
  private strict(root: string): boolean {
    for (let k = root; ; ) {
      if (this.owned.get(k)?.strict) return true;
      const dot = k.lastIndexOf('.');
      const colon = k.lastIndexOf(':');
      if (dot < 0 || dot < colon) return false;
      k = k.slice(0, dot);
    }
  }

  /**
   * A root that is (or holds) a struct the model allocated with channels or WaitGroups:
   * inlining a call that receives it matters. (A root with only data or field mutexes is
   * inlined only where the callee locks, as for any root.)
   */
  private reaches(root: string): boolean {
    if (this.strict(root)) return true;
    for (const [k, o] of this.owned) if (o.strict && k.startsWith(`${root}.`)) return true;
    return false;
  }

  /**
   * The objects of a struct the entry allocates (`&Pool{idle: make(chan *Conn)}`, nested
   * literals, fields set to objects the model already has): registered under `key`.
   * Returns whether the struct (or one it holds) has channel or WaitGroup fields — then
   * every use of it must be one the model follows — or undefined when `lit` is no struct.
   */
  private allocStruct(fc: FuncCtx, lit: Node, key: string, name: string, c: Ctx | undefined, depth: number, args?: Map<LocalVar, { fc: FuncCtx; node: Node }>): boolean | undefined {
    const st = underlying(deref(fc.res.typeOf(lit)));
    if (st.kind !== 'struct' || depth > 3) return undefined;
    const own: Owned = { fields: st.fields, strict: st.fields.some((f) => underlying(f.type).kind === 'chan' || isNamed(f.type, 'sync', 'WaitGroup')) };
    this.owned.set(key, own);
    for (const el of named(field(lit, 'body') ?? lit)) {
      if (el.type !== 'keyed_element') continue;
      const kn = named(field(el, 'key') ?? el)[0];
      const val0 = named(field(el, 'value') ?? el)[0];
      if (!kn || !val0 || kn.type !== 'identifier') continue;
      const fkey = `${key}.${fc.text(kn)}`;
      const fname = `${name}.${fc.text(kn)}`;
      const val = unparen(val0);
      const cap = chanMake(fc, val) ?? ctorCap(fc, val, args);
      if (cap !== undefined) {
        this.fieldObjs.set(fkey, this.addObj('chan', fname, cap, { file: fc.file, node: val }));
        own.strict = true;
        continue;
      }
      const inner = compositeOf(val);
      if (inner) {
        if (this.allocStruct(fc, inner, fkey, fname, c, depth + 1)) own.strict = true;
        continue;
      }
      const o = c ? this.objOf(val, c) : undefined;
      if (o !== undefined) {
        this.fieldObjs.set(fkey, o);
        own.strict = true;
        continue;
      }
      // A CancelFunc of a context the model does not track (`&group{cancel: cancel}` after
      // `ctx, cancel := context.WithCancel(parent)`): calling it touches no modelled object.
      if (this.untrackedCancel(fc, val)) {
        this.cancelFields.add(fkey);
        continue;
      }
      // A data field set to a slice literal of constants (directly, or through a constructor's parameter).
      const pv = val.type === 'identifier' ? fc.res.localOf(val) : undefined;
      const src = pv && args?.has(pv) ? args.get(pv) : { fc, node: val };
      if (src && constElems(src.fc, src.node)) this.fieldData.set(fkey, src as { fc: FuncCtx; node: Node });
    }
    return own.strict;
  }

  /**
   * A same-package constructor: every return hands back the same local made by a struct
   * literal (`t := &Tailer{...}; go t.run(); return t`), or its only return is the literal.
   */
  private constructorOf(fc: FuncCtx, call: Node, index = 0, count = 1): Ctor | undefined {
    const callee = fc.res.callee(call);
    if (callee.kind !== 'func' || callee.obj.pkg !== fc.facts.pkg || callee.obj.kind !== 'func') return undefined;
    const tfc = fc.facts.funcCtxOfDecl(callee.obj.node);
    if (!tfc?.body || tfc.body.end - tfc.body.start > 4000) return undefined;
    const rets: Node[] = [];
    walk(tfc.body, (n) => {
      if (n.type === 'func_literal') return false;
      if (n.type === 'return_statement') rets.push(n);
    });
    let local: LocalVar | undefined;
    let lit: Node | undefined;
    for (const r of rets) {
      const xs = exprList(r.children.find((y) => y.type === 'expression_list'));
      const x = xs.length === count ? unparen(xs[index] as Node) : undefined;
      if (!x) return undefined;
      // `return &group{cancel: cancel}, ctx`: the other results must not reach the struct
      // or an object in it (an alias the model would not see operate on its objects).
      for (const [i, o] of xs.entries()) if (i !== index && !this.separateResult(tfc, o, x)) return undefined;
      const v = x.type === 'identifier' ? tfc.res.localOf(x) : undefined;
      if (v) {
        const l = v.init && v.init.count === 1 ? compositeOf(v.init.expr) : undefined;
        if (!l || (local && local !== v) || v.func !== tfc.decl || inLoopOf(v.ident, tfc.decl) || !this.neverReassigned(tfc, v)) return undefined;
        local = v;
        lit = l;
      } else {
        const l = compositeOf(x);
        if (!l || rets.length !== 1) return undefined;
        lit = l;
      }
    }
    return lit ? { fc: tfc, lit, local } : undefined;
  }

  /** The cancel function of a context the model does not track, held in a local never re-assigned. */
  private untrackedCancel(fc: FuncCtx, val: Node): boolean {
    const v = val.type === 'identifier' ? fc.res.localOf(val) : undefined;
    if (!v || this.cancelOf.has(v) || v.kind !== 'var' || !v.init || v.init.count !== 2 || v.init.index !== 1 || !this.neverReassigned(fc, v)) return false;
    const name = importedCallName(fc, unparen(v.init.expr));
    return !!name && /^context\.With(?:Cancel|Timeout|Deadline)(?:Cause)?$/.test(name);
  }

  /**
   * A result a constructor returns next to its struct that cannot alias it or its objects:
   * not of a channel type, and reading no variable the struct's expression reads (nor the
   * struct's local itself).
   */
  private separateResult(fc: FuncCtx, other: Node, struct: Node): boolean {
    if (underlying(fc.res.typeOf(other)).kind === 'chan') return false;
    const vars = new Set<LocalVar>();
    const sv = struct.type === 'identifier' ? fc.res.localOf(struct) : undefined;
    const read = sv ? [sv.init?.expr, struct] : [struct];
    for (const n of read)
      if (n)
        walk(n, (x) => {
          const v = x.type === 'identifier' ? fc.res.localOf(x) : undefined;
          if (v) vars.add(v);
        });
    let shared = false;
    walk(other, (x) => {
      const v = x.type === 'identifier' ? fc.res.localOf(x) : undefined;
      if (v && vars.has(v)) shared = true;
      return !shared;
    });
    return !shared;
  }

  /**
   * A struct the entry allocates, or gets from a constructor: its objects are created
   * under the variable's key; returns false when the initialiser is neither.
   */
  private newStruct(fc: FuncCtx, v: LocalVar, init: Node): boolean {
    const key = varKey(fc, v);
    const lit = compositeOf(init);
    let strict: boolean | undefined;
    if (lit) strict = this.allocStruct(fc, lit, key, v.name, this.bareCtx(fc), 0);
    else if (init.type === 'call_expression' && v.init && v.ident.parent?.parent?.type === 'short_var_declaration' && exprList(field(v.ident.parent.parent, 'right')).length === 1) {
      // Only `t := NewT(...)` (or `g, ctx := withContext(ctx)`): the statement that runs the constructor's body in the model.
      const ctor = this.constructorOf(fc, init, v.init.index, v.init.count);
      if (!ctor) return false;
      const args = new Map<LocalVar, { fc: FuncCtx; node: Node }>();
      const params = paramVars(ctor.fc, ctor.fc.decl);
      callArgs(init).forEach((a, i) => {
        const p = params[i];
        if (p && this.fixedVar(ctor.fc, p)) args.set(p, { fc, node: a });
      });
      strict = this.allocStruct(ctor.fc, ctor.lit, key, v.name, undefined, 0, args);
      if (strict !== undefined) this.ctors.set(v, ctor);
    }
    if (strict === undefined) return false;
    this.rootVars.set(key, v);
    if (strict) {
      this.watched.push({ fc, v });
      this.consumed.add(v.ident);
    }
    return true;
  }

  /** A context for reading expressions of the entry outside any statement (object initialisers). */
  private bareCtx(fc: FuncCtx): Ctx {
    return { fc, fn: this.fn, env: new Map(), labels: new Map(), exit: () => 0, goexit: () => 0, panicked: () => 0, depth: 0, inlining: [this.fn], pb: new ProcBuilder() };
  }

  /**
   * Loops of the entry modelled as one iteration: each iteration allocates its own
   * objects and touches nothing that outlives it (no variable declared outside the loop
   * that may hold a concurrency object), so the goroutines of one iteration can only
   * meet each other — what one iteration does, each does. The loop must run at least
   * once (a known trip count, or `for {}`).
   */
  private loopVariant(n: Node, fn: Node): boolean {
    for (let p = n.parent; p && p !== fn; p = p.parent) {
      if (p.type === 'func_literal') return false;
      if (p.type === 'for_statement' && !this.oneIteration(p, fn)) return true;
    }
    return false;
  }

  private oneIteration(loop: Node, fn: Node): boolean {
    if (fn !== this.fn) return false;
    let ok = this.iterLoops.get(loop);
    if (ok !== undefined) return ok;
    const fc = this.fc;
    const clause = loop.children.find((x) => x.type === 'for_clause' || x.type === 'range_clause');
    const cond = clause ? undefined : named(loop).find((x) => x.field !== 'body' && x.type !== 'block');
    const trips = clause ? tripCount(fc, loop) : undefined;
    ok = clause ? trips !== undefined && trips >= 1 : cond === undefined;
    // Iterations differ when the body tests the loop's counter (see counterBound).
    const counter = clause?.type === 'for_clause' ? countedLoopOf(fc, clause)?.counter : undefined;
    if (ok && counter && this.counterBound(fc, counter)) ok = false;
    if (ok) {
      walk(loop, (x) => {
        if (!ok) return false;
        if (x.type !== 'identifier') return;
        const v = fc.res.localOf(x);
        if (!v || (v.kind !== 'var' && v.kind !== 'param' && v.kind !== 'recv' && v.kind !== 'result')) return;
        if (v.ident.start >= loop.start && v.ident.end <= loop.end) return;
        if (mayHoldObj(fc.res.varType(v), 0)) ok = false;
      });
    }
    this.iterLoops.set(loop, ok);
    return ok;
  }

  // ---- flags ---------------------------------------------------------------------

  private globalSlot(key: string, text: string, domain: number, fixed?: number): number {
    let s = this.globalKeys.get(key);
    if (s === undefined) {
      s = this.globals.length;
      this.globals.push(fixed === undefined ? { text, domain } : { text, domain, fixed });
      this.globalKeys.set(key, s);
    }
    return s;
  }

  /** Upper bound of a symbolic count (a loop over a slice whose length the model does not know). */
  private countDomain(): number {
    const caps = this.objs.filter((o) => o.kind === 'chan').map((o) => o.cap);
    return Math.min(6, 3 + Math.max(0, ...caps));
  }

  /** A variable whose value is fixed for the whole run of the function that declares it. */
  private fixedVar(fc: FuncCtx, v: LocalVar): boolean {
    if (v.kind === 'const') return true;
    if (v.kind !== 'var' && v.kind !== 'param' && v.kind !== 'recv') return false;
    if (v.rangeOf || v.recvFrom || this.loopVariant(v.ident, v.func)) return false;
    return !(fc.res.refs.get(v) ?? []).some((r) => writesOrTakes(fc, r));
  }

  /** A flag for a pure condition over fixed variables: global when they belong to the entry function, local to the goroutine when they belong to its function. */
  private condFlag(cond: Node, c: Ctx): FlagRef | undefined {
    if (!isPure(c.fc, cond)) return undefined;
    let ok = true;
    let scope: 'entry' | 'local' | undefined;
    walk(cond, (n) => {
      if (!ok) return false;
      if (n.type === 'index_expression' || n.type === 'call_expression') {
        ok = false;
        return false;
      }
      if (n.type === 'identifier') {
        const v = c.fc.res.localOf(n);
        if (!v) return; // package-level name: a constant or a variable other code may set; accepted only when constant
        if (c.env.has(v) || !this.fixedVar(c.fc, v)) {
          ok = false;
          return false;
        }
        const s = c.fc === this.fc && v.func === this.fn ? 'entry' : v.func === c.fn ? 'local' : undefined;
        if (!s || (scope && scope !== s)) ok = false;
        scope = s;
      }
      return ok;
    });
    if (!ok || !scope) return undefined;
    // Package-level variables may be changed by other goroutines: only locals count.
    let pkgVar = false;
    walk(cond, (n) => {
      if (n.type === 'identifier' && !c.fc.res.localOf(n) && c.fc.res.pkgObjOf(n)?.kind === 'var') pkgVar = true;
    });
    if (pkgVar) return undefined;
    const key = c.fc.text(cond).replace(/\s+/g, ' ');
    if (scope === 'entry') return { global: true, slot: this.globalSlot(`c:${key}`, key, 2) };
    let s = c.pb.localFlags.get(key);
    if (s === undefined) c.pb.localFlags.set(key, (s = c.pb.flags++));
    return { global: false, slot: s };
  }

  /** Branch on `cond`: deterministic when known, a shared flag when fixed, nondeterministic otherwise. */
  private branch(cond0: Node, then: number, els: number, c: Ctx, avoid?: number): number {
    const cond = unparen(cond0);
    const known = constBool(c.fc, cond);
    if (known !== undefined) return known ? then : els;
    const decided = this.constCond(cond, c);
    if (decided !== undefined) {
      // Decided by the element of an unrolled range: the trace says so.
      const vals = [...this.consts, ...this.argTexts].filter(([v]) => c.fc.text(cond).includes(v.name)).map(([v, x]) => `${v.name} is ${x}`);
      return c.pb.emit({ k: 'nop', next: decided ? then : els, site: { file: c.fc.file, node: cond }, label: `finds "${clip(c.fc.text(cond))}" ${decided} (${vals.join(', ')})` });
    }
    const site = { file: c.fc.file, node: cond };
    if (cond.type === 'unary_expression' && c.fc.text(cond).startsWith('!')) return this.branch(field(cond, 'operand') ?? cond, els, then, c, avoid);
    if (cond.type === 'binary_expression') {
      const op = c.fc.text(cond.children.find((x) => !x.named) ?? cond);
      const l = field(cond, 'left');
      const r = field(cond, 'right');
      if (l && r && op === '&&') return this.branch(l, this.branch(r, then, els, c, avoid), els, c, avoid);
      if (l && r && op === '||') return this.branch(l, then, this.branch(r, then, els, c, avoid), c, avoid);
    }
    if (cond.type === 'identifier') {
      const v = c.fc.res.localOf(cond);
      let ok = v ? c.pb.okFlags.get(v) : undefined;
      let unsureUnset = false;
      // `v, ok := <-ch` ... `if !ok`: statements are translated last to first, so the test
      // is met before its receive. The flag is made here; a receive from a modelled channel
      // sets it (the test then follows what the receive got). One from a channel the model
      // does not track never does: both answers stay open, unsure where a choice would be.
      if (!ok && v && v.recvFrom?.index === 1 && v.func === c.fn && this.neverReassigned(c.fc, v)) {
        c.pb.okFlags.set(v, (ok = { global: false, slot: c.pb.flags++ }));
        unsureUnset = !!c.unknownLoop || this.sharedData(cond, c);
      }
      if (ok) {
        const fi: Instr = { k: 'flag', flag: ok, then, else: els, site, text: `"${c.fc.text(cond)}"` };
        if (unsureUnset) fi.unsureUnset = true;
        return c.pb.emit(fi);
      }
      const fs = v && c.fc === this.fc ? this.flagVars.get(v) : undefined;
      if (fs !== undefined) return c.pb.emit({ k: 'flag', flag: { global: true, slot: fs }, then, else: els, site, text: `"${c.fc.text(cond)}"` });
    }
    const nilTest = this.nilTest(cond, then, els, c, avoid);
    if (nilTest !== undefined) return nilTest;
    const f = this.condFlag(cond, c);
    if (f) {
      const fi: Instr = { k: 'flag', flag: f, then, else: els, site, text: `"${clip(c.fc.text(cond))}"` };
      if (avoid !== undefined && then !== els && (avoid === then || avoid === els)) fi.unsureVal = avoid === then;
      return c.pb.emit(fi);
    }
    const ctr = this.counterCmp(cond, then, els, c);
    if (ctr !== undefined) return ctr;
    const cmp = this.countCmp(cond, then, els, c);
    if (cmp !== undefined) return cmp;
    const pre = this.effects(cond, -1, c);
    const choice: Instr = { k: 'choice', nexts: [then, els], labels: [`finds "${clip(c.fc.text(cond))}" true`, `finds "${clip(c.fc.text(cond))}" false`], site };
    // A threshold on data the model does not track (`r.Timeout(a) > 0`, `n >= limit`)
    // may hold always or never for reasons the model cannot see; equality tests of
    // errors, flags and values are choices the code expects both ways.
    if (c.unknownLoop || this.sharedData(cond, c) || relational(c.fc, cond)) choice.unsure = true;
    else if (avoid !== undefined && choice.nexts.includes(avoid)) choice.unsureAt = choice.nexts.map((n) => n === avoid);
    const ch = c.pb.emit(choice);
    return pre.length ? this.chain(pre, ch, c) : ch;
  }

  /** A statement that starts a goroutine or calls a function literal bound to a parameter. */
  private runsOthers(n: Node | undefined, c: Ctx): boolean {
    let found = false;
    if (n)
      walk(n, (x) => {
        if (found) return false;
        if (x.type === 'go_statement') found = true;
        else if (x.type === 'call_expression') {
          const f = unparen(field(x, 'function') ?? x);
          const v = f.type === 'identifier' ? c.fc.res.localOf(f) : undefined;
          const b = v ? c.env.get(v) : undefined;
          if (b && 'fn' in b) found = true;
        }
        return !found && x.type !== 'func_literal';
      });
    return found;
  }

  /**
   * What a send tells the receiver about its value: nil (`errc <- nil`), not nil (a
   * constructed error or value: `errors.New(...)`, `fmt.Errorf(...)`, `&T{...}`), or the
   * sender's own flag for a local it sends that is fixed for the run (`errc <- err` after
   * `_, err := work()`), so that its tests of err and the receiver's agree.
   */
  private sentValue(v0: Node | undefined, send: Instr & { k: 'send' }, c: Ctx): void {
    if (!v0) return;
    const v = unparen(v0);
    if (v.type === 'nil' || (v.type === 'identifier' && c.fc.text(v) === 'nil' && !c.fc.res.localOf(v))) {
      send.vtag = 1;
      return;
    }
    if (compositeOf(v)) {
      send.vtag = 2;
      return;
    }
    // Converting a string to a slice never gives nil (`[]byte("")` is empty, not nil).
    if (v.type === 'type_conversion_expression') {
      const to = field(v, 'type');
      const from = field(v, 'operand');
      if (to && from && underlying(c.fc.res.typeFromExpr(to)).kind === 'slice' && underlying(c.fc.res.typeOf(from)).kind === 'basic') send.vtag = 2;
      return;
    }
    if (v.type === 'call_expression') {
      const name = importedCallName(c.fc, v);
      const callee = c.fc.res.callee(v);
      // make and new never give nil.
      const made = callee.kind === 'builtin' && (callee.name === 'make' || callee.name === 'new');
      if (name === 'errors.New' || name === 'fmt.Errorf' || made) send.vtag = 2;
      return;
    }
    if (v.type !== 'identifier') return;
    const lv = c.fc.res.localOf(v);
    const nf = lv && lv.kind === 'var' && this.fixedVar(c.fc, lv) && nilable(c.fc.res.varType(lv)) ? this.nilFlagFor(lv, c) : undefined;
    if (nf) send.vflag = nf;
  }

  /**
   * The flag "v == nil" of a local: global for a variable of the entry function (its
   * goroutines' closures read the same one), local to the goroutine for a variable of the
   * function being translated; none for a variable captured from elsewhere.
   */
  private nilFlagFor(v: LocalVar, c: Ctx): FlagRef | undefined {
    if (c.fc === this.fc && v.func === this.fn) return { global: true, slot: this.globalSlot(`nil:${v.ident.start}`, `${v.name} == nil`, 2) };
    if (v.func === c.fn) return c.pb.nilFlag(v);
    return undefined;
  }

  /**
   * `x == nil` / `x != nil` on a local whose nil-ness is tracked (a value received from a
   * modelled channel, or a fixed local the goroutine sends): a flag, the same answer as
   * the other side got. A value received that the model could not follow (from a buffer
   * of mixed sends) makes the test unsure; so does a test of any other local received
   * from a modelled channel.
   */
  private nilTest(cond: Node, then: number, els: number, c: Ctx, avoid?: number): number | undefined {
    if (cond.type !== 'binary_expression') return undefined;
    const op = c.fc.text(cond.children.find((x) => !x.named) ?? cond);
    if (op !== '==' && op !== '!=') return undefined;
    const l = field(cond, 'left');
    const r = field(cond, 'right');
    if (!l || !r) return undefined;
    const isNil = (e: Node): boolean => e.type === 'nil' || (e.type === 'identifier' && c.fc.text(e) === 'nil' && !c.fc.res.localOf(e));
    const x = isNil(r) ? unparen(l) : isNil(l) ? unparen(r) : undefined;
    if (!x) return undefined;
    const recovered = this.recoverValue(x, c);
    if (recovered !== undefined) {
      const [yes0, no0] = op === '==' ? [then, els] : [els, then];
      const panicText = recovered ? 'a panic is being recovered' : 'no panic is unwinding into this call';
      return c.pb.emit({ k: 'nop', next: recovered ? no0 : yes0, site: { file: c.fc.file, node: cond }, label: `finds "${clip(c.fc.text(cond))}" ${(op === '==') !== recovered} (${panicText})` });
    }
    if (x.type !== 'identifier') return undefined;
    const v = c.fc.res.localOf(x);
    if (!v) return undefined;
    const [yes, no] = op === '==' ? [then, els] : [els, then];
    const site = { file: c.fc.file, node: cond };
    // Received into a variable not written again (the receive sets the flag), or a fixed
    // local the goroutine may send (the send records the value it chose).
    const tracked = v.kind === 'var' && nilable(c.fc.res.varType(v)) && (v.recvFrom ? this.neverReassigned(c.fc, v) : this.fixedVar(c.fc, v));
    const f = tracked ? this.nilFlagFor(v, c) : undefined;
    if (f) {
      const fi: Instr = { k: 'flag', flag: f, then: yes, else: no, site, text: `"${clip(c.fc.text(cond))}"`, unsureUnset: !!v.recvFrom, negate: op === '!=' };
      // Not decided by a send or receive yet (`c := f.join(); if c == nil { return }`): the
      // side that skips starting a goroutine or running the caller's callback is a state of
      // data the model does not know, as for any other condition (see stmt, if_statement).
      if (avoid !== undefined && yes !== no && (avoid === yes || avoid === no)) fi.unsureVal = avoid === yes;
      return c.pb.emit(fi);
    }
    if (v.recvFrom && this.mentionsObject(v.recvFrom.expr, c)) {
      return c.pb.emit({ k: 'choice', nexts: [then, els], labels: [`finds "${clip(c.fc.text(cond))}" true`, `finds "${clip(c.fc.text(cond))}" false`], site, unsure: true });
    }
    return undefined;
  }

  /**
   * A local of one function used as a counter: an integer starting at a constant, only
   * ever increased (`done++`, `done += 2`) or set to a constant, not touched by any
   * function literal (so one goroutine owns it), and compared with integer constants
   * (`if done == 3 { break }`). Returns one more than the largest such constant (the
   * counter saturates there, which keeps every comparison's answer), or 0.
   */
  private counterBound(fc: FuncCtx, v: LocalVar): number {
    let b = this.counters.get(v);
    if (b !== undefined) return b;
    b = 0;
    this.counters.set(v, 0);
    const t = underlying(fc.res.varType(v));
    const start = v.init ? (v.init.count === 1 ? fc.res.constValue(v.init.expr) : undefined) : v.typeExpr ? 0 : undefined;
    // A loop's own counter (`for i := 0; i < n; i++`) is the loop's business (see loopCount),
    // unless its body tests it against constants (`if i == 2`, `switch i { case 0: ... }`):
    // then it is a counter too, so each iteration takes its own branch. Its own condition
    // and update are the loop's.
    const clause = v.ident.parent?.parent?.parent;
    const inClause = clause?.type === 'for_clause';
    if (inClause && countedLoopOf(fc, clause)?.counter !== v) return 0;
    const cond = inClause ? field(clause, 'condition') : undefined;
    if (v.kind !== 'var' || v.rangeOf || v.recvFrom || t.kind !== 'basic' || !/^u?int/.test(t.name) || start === undefined || !Number.isInteger(start) || start < 0) return 0;
    let max = -1;
    for (const r of fc.res.refs.get(v) ?? []) {
      if (r === v.ident) continue;
      if (fc.res.enclosingFunc(r) !== v.func) return 0;
      if (cond && r.start >= cond.start && r.end <= cond.end) continue;
      let e: Node = r;
      while (e.parent?.type === 'parenthesized_expression') e = e.parent;
      const p = e.parent;
      if (p?.type === 'inc_statement') continue;
      if (p?.type === 'expression_switch_statement' && e.field === 'value') {
        for (const cs of p.children) {
          if (cs.type !== 'expression_case') continue;
          for (const x of exprList(field(cs, 'value'))) {
            const k = fc.res.constValue(x);
            if (k !== undefined && Number.isInteger(k)) max = Math.max(max, k);
          }
        }
        continue;
      }
      if (p?.type === 'dec_statement' || (p?.type === 'unary_expression' && fc.text(p).startsWith('&'))) return 0;
      if (p?.type === 'expression_list' && p.field === 'left') {
        const st = p.parent;
        const lefts = exprList(p);
        const rights = st ? exprList(field(st, 'right')) : [];
        const op = st?.children.find((x) => !x.named && x.field === 'operator');
        const k = rights.length === lefts.length ? fc.res.constValue(rights[lefts.indexOf(e)] as Node) : undefined;
        if (st?.type !== 'assignment_statement' || k === undefined || !Number.isInteger(k) || k < 0 || (op && fc.text(op) !== '=' && fc.text(op) !== '+=')) return 0;
        continue;
      }
      if (p?.type === 'binary_expression') {
        const cmp = fc.text(p.children.find((x) => !x.named) ?? p);
        const other = field(p, 'left') === e ? field(p, 'right') : field(p, 'left');
        const k = other ? fc.res.constValue(other) : undefined;
        if (['==', '!=', '<', '<=', '>', '>='].includes(cmp) && k !== undefined && Number.isInteger(k)) max = Math.max(max, k);
      }
    }
    b = max >= 0 ? max + 1 : 0;
    this.counters.set(v, b);
    return b;
  }

  /** The goroutine-local slot of a counter (see {@link counterBound}). */
  private counterFlag(v: LocalVar, c: Ctx): FlagRef {
    const key = `ctr:${c.fc.file.path}:${v.ident.start}`;
    let s = c.pb.localFlags.get(key);
    if (s === undefined) c.pb.localFlags.set(key, (s = c.pb.flags++));
    return { global: false, slot: s };
  }

  /** `done := 0`, `done = 0`, `done += 2`, `done++` on a counter: the instruction, or undefined when `x` is no counter. */
  private counterWrite(x: Node, op: 'set' | 'add', value: Node | number | undefined, k: number, c: Ctx, at: Node): number | undefined {
    const u = unparen(x);
    const v = u.type === 'identifier' ? (c.fc.res.defs.get(u) ?? c.fc.res.localOf(u)) : undefined;
    if (!v || v.func !== c.fn) return undefined;
    const max = this.counterBound(c.fc, v);
    if (!max) return undefined;
    const n = typeof value === 'number' ? value : value ? c.fc.res.constValue(value) : 0;
    if (n === undefined) return undefined;
    return c.pb.emit({ k: 'count', flag: this.counterFlag(v, c), op, n, max, next: k, site: this.site(at, c), text: `"${v.name}"` });
  }

  /**
   * `switch i { case 0: ... case 1, 2: ... default: ... }` on a counter (see
   * {@link counterBound}) with constant cases: one comparison per case value in order, so
   * the counter's value picks the case. `nexts` are the cases' code (then no match's).
   */
  private counterSwitch(value: Node | undefined, cases: Node[], nexts: number[], k: number, c: Ctx): number | undefined {
    const u = value ? unparen(value) : undefined;
    const v = u?.type === 'identifier' ? c.fc.res.localOf(u) : undefined;
    if (!u || !v || v.func !== c.fn || !this.counterBound(c.fc, v)) return undefined;
    const vals = cases.map((cs) => (cs.type === 'default_case' ? [] : exprList(field(cs, 'value')).map((x) => c.fc.res.constValue(x))));
    if (vals.some((vs) => vs.some((x) => x === undefined || !Number.isInteger(x)))) return undefined;
    const dflt = cases.findIndex((cs) => cs.type === 'default_case');
    let pc = dflt >= 0 ? (nexts[dflt] as number) : k;
    const f = this.counterFlag(v, c);
    for (let j = cases.length - 1; j >= 0; j--) {
      const vs = vals[j] as number[];
      for (let x = vs.length - 1; x >= 0; x--) {
        const rhs = vs[x] as number;
        pc = c.pb.emit({ k: 'cmp', count: f, add: 0, op: '==', rhs, then: nexts[j] as number, else: pc, site: { file: c.fc.file, node: cases[j] as Node }, text: `"${v.name} == ${rhs}"` });
      }
    }
    return pc;
  }

  /** `done == 3`, `n >= limit` (a constant): a comparison of a counter, decided by its value. */
  private counterCmp(cond: Node, then: number, els: number, c: Ctx): number | undefined {
    const cmp = comparison(c.fc, cond, (l) => unparen(l).type !== 'identifier');
    if (!cmp) return undefined;
    const { op, l, r } = cmp;
    const u = unparen(l);
    const v = u.type === 'identifier' ? c.fc.res.localOf(u) : undefined;
    const rhs = c.fc.res.constValue(r);
    if (!v || v.func !== c.fn || rhs === undefined || !Number.isInteger(rhs) || !this.counterBound(c.fc, v)) return undefined;
    return c.pb.emit({ k: 'cmp', count: this.counterFlag(v, c), add: 0, op, rhs, then, else: els, site: { file: c.fc.file, node: cond }, text: `"${clip(c.fc.text(cond))}"` });
  }

  /** Whether a statement reads or writes a counter of the function being translated (a loop doing so must not be skipped). */
  private touchesCounter(n: Node, c: Ctx): boolean {
    let found = false;
    walk(n, (x) => {
      if (found) return false;
      if (x.type === 'identifier') {
        const v = c.fc.res.localOf(x);
        if (v && v.func === c.fn && v.kind === 'var' && this.counterBound(c.fc, v)) found = true;
      }
      return !found && x.type !== 'func_literal';
    });
    return found;
  }

  /**
   * `len(xs) < 2`, `n == 0`, `3 <= len(x.items)`: a comparison of a symbolic count (see
   * {@link symCount}) with an integer constant, decided by the count's value.
   */
  private countCmp(cond: Node, then: number, els: number, c: Ctx): number | undefined {
    const isConst = (e: Node): boolean => typeof c.fc.res.constValue(e) === 'number';
    const cmp = comparison(c.fc, cond, (l, r) => isConst(l) && !isConst(r));
    if (!cmp) return undefined;
    const { op, l, r } = cmp;
    const rhs = c.fc.res.constValue(r);
    if (typeof rhs !== 'number' || !Number.isInteger(rhs)) return undefined;
    const t = underlying(c.fc.res.typeOf(l));
    if (t.kind !== 'basic' || !/^u?int/.test(t.name)) return undefined;
    const sym = this.symCount(l, c);
    if (!sym) return undefined;
    return c.pb.emit({ k: 'cmp', count: sym.f, add: sym.add, op, rhs, then, else: els, site: { file: c.fc.file, node: cond }, text: `"${clip(c.fc.text(cond))}"` });
  }

  // ---- statements -----------------------------------------------------------------

  /**
   * Translates a function body; `k` is where a return continues (undefined: the goroutine
   * ends), `outer` where a Goexit or a panic goes on after this function's deferred calls
   * (undefined: the body is the goroutine's own, Goexit ends it and a panic stops the program).
   */
  private funcBody(fc: FuncCtx, fn: Node, body: Node, env: Map<LocalVar, Binding>, pb: ProcBuilder, inlining: Node[], k: number | undefined, depth = 0, outer?: Outer, retRoot?: string): number {
    this.translated.set(fn, fc);
    const stmts = stmtList(body);
    const defers = collectDefers(fc, body, fn);
    const exits = new Map<string, number>();
    const ctx: Ctx = { fc, fn, env, labels: new Map(), exit: () => 0, goexit: () => 0, panicked: () => 0, depth, inlining, pb };
    if (retRoot !== undefined) ctx.retRoot = retRoot;
    const endSite = { file: fc.file, node: body };
    // `panicking(i)`: what `recover()` returns in the i-th active deferred call (true: the
    // panic; false: nil; undefined: not known). On a return or a Goexit it is nil.
    const chainFrom = (pos: number, tag: string, last: () => number, panicking: (i: number) => boolean | undefined = () => false): number => {
      const active = defers.filter((d) => d.start < pos);
      const key = `${tag}${active.length}`;
      const memo = exits.get(key);
      if (memo !== undefined) return memo;
      let pc = last();
      active.forEach((d, i) => {
        // A Goexit or panic inside a deferred call goes on with the calls deferred before it.
        const dc: Ctx = { ...ctx, labels: new Map(), brk: undefined, cont: undefined, goexit: () => ctx.goexit(d.start), panicked: (_pos, site) => ctx.panicked(d.start, site) };
        pc = this.deferred(d, pc, dc, panicking(i));
      });
      exits.set(key, pc);
      return pc;
    };
    ctx.exit = (pos: number): number => chainFrom(pos, 'r', () => k ?? pb.emit({ k: 'end', site: endSite }));
    ctx.goexit = (pos: number): number => chainFrom(pos, 'g', () => (outer ? outer.goexit() : pb.emit({ k: 'end', site: endSite })));
    // A panic runs the deferred calls registered so far (Go spec, "Handling panics"); one
    // that calls recover stops it, and the function returns normally to its caller. Whether
    // a deferred call recovers is known for literals and this package's functions; for code
    // the model cannot read (another package's function, a function value) both outcomes
    // are followed, and the first is unsure.
    // Whether each deferred call recovers ({@link recovers}), asked once per call: `active`
    // lists are prefixes of `defers` (collectDefers returns them in source order).
    const recovering: Recovers[] = [];
    ctx.panicked = (pos: number, site?: Site): number => {
      const active = defers.filter((d) => d.start < pos);
      if (active.length === 0 && !outer) return pb.emit({ k: 'halt', site: site ?? endSite });
      // Deferred calls run last registered first: the last one that may recover gets the
      // panic (`ri`); those registered before it run after, when it is recovered.
      const rs = active.map((d, i) => (recovering[i] ??= this.recovers(d, ctx)));
      const ri = rs.findLastIndex((r) => r !== 'no');
      const rec: Recovers = ri < 0 ? 'no' : rs.slice(0, ri + 1).includes('yes') ? 'yes' : 'maybe';
      const panicking = (i: number): boolean | undefined => (i > ri ? true : i === ri ? (rs[ri] === 'yes' ? true : undefined) : rs[ri] === 'yes' ? false : undefined);
      const propagate = (): number => (outer ? outer.panicked() : pb.emit({ k: 'halt', site: endSite }));
      const returns = (): number => k ?? pb.emit({ k: 'end', site: endSite });
      if (rec === 'no') return chainFrom(pos, 'p', propagate, () => true);
      if (rec === 'yes') return chainFrom(pos, 'q', returns, panicking);
      // Only the recovering outcome is unsure (the other stops the program: nothing to report).
      return chainFrom(pos, 'm', () => pb.emit({ k: 'choice', nexts: [returns(), propagate()], labels: ['recovers from the panic in a deferred call', 'is not recovered: the panic stops the program'], site: endSite, unsureAt: [true, false] }), panicking);
    };
    return this.seq(stmts, ctx.exit(body.end), ctx);
  }

  private seq(stmts: Node[], k: number, c: Ctx): number {
    let pc = k;
    for (let i = stmts.length - 1; i >= 0; i--) pc = this.stmt(stmts[i] as Node, pc, c);
    return pc;
  }

  private chain(ops: Array<(k: number) => number>, k: number, _c: Ctx): number {
    let pc = k;
    for (let i = ops.length - 1; i >= 0; i--) pc = (ops[i] as (k: number) => number)(pc);
    return pc;
  }

  private site(n: Node, c: Ctx): Site {
    return { file: c.fc.file, node: n };
  }

  private stmt(s: Node, k: number, c: Ctx, label?: string): number {
    switch (s.type) {
      case 'block':
      case 'statement_list':
        return this.seq(stmtList(s), k, c);
      case 'empty_statement':
      case 'const_declaration':
      case 'type_declaration':
      case 'defer_statement':
      case 'fallthrough_statement':
        return k;
      case 'return_statement': {
        const to = c.exit(s.start);
        if (c.retRoot !== undefined) {
          for (const x of exprList(s.children.find((y) => y.type === 'expression_list'))) {
            const v = x.type === 'identifier' ? c.fc.res.localOf(x) : undefined;
            const b = v ? c.env.get(v) : undefined;
            if (b && 'root' in b && b.root === c.retRoot) this.consumed.add(x);
          }
        }
        return this.chain(this.effects(s, -1, c), to, c);
      }
      case 'send_statement': {
        const o = this.objOf(field(s, 'channel'), c);
        const pre = this.effects(field(s, 'value'), -1, c);
        if (o === undefined) return this.chain([...this.effects(field(s, 'channel'), -1, c), ...pre], k, c);
        this.need(o, 'chan', s, c);
        this.hasBlockingOp = true;
        const send: Instr = { k: 'send', obj: o, next: k, site: this.site(s, c) };
        this.sentValue(field(s, 'value'), send, c);
        return this.chain(pre, c.pb.emit(send), c);
      }
      case 'short_var_declaration':
      case 'assignment_statement':
        return this.assign(s, k, c);
      case 'var_declaration': {
        // Declarations of objects are no operations; initialisers may receive or call.
        const ops: Array<(k: number) => number> = [];
        walk(s, (n) => {
          if (n.type === 'var_spec') {
            const vals = exprList(field(n, 'value'));
            named(n)
              .filter((x) => x.field === 'name')
              .forEach((nm, i) => {
                const v = c.fc.res.defs.get(nm);
                if (v && this.objOfVar.has(v)) this.consumed.add(nm);
                if (v && (vals.length === 0 || vals[i])) ops.push((k) => this.counterWrite(nm, 'set', vals.length ? vals[i] : 0, k, c, n) ?? k);
              });
            for (const val of exprList(field(n, 'value'))) ops.push(...this.effects(val, -1, c));
            return false;
          }
        });
        return this.chain(ops, k, c);
      }
      case 'expression_statement':
        return this.chain(this.effects(named(s)[0], -1, c), k, c);
      case 'inc_statement': {
        const x = named(s)[0];
        const w = x ? this.counterWrite(x, 'add', 1, k, c, s) : undefined;
        return w ?? this.chain(this.effects(s, -1, c), k, c);
      }
      case 'go_statement':
        return this.goStmt(s, k, c);
      case 'if_statement': {
        // An arm entered only after the test has failed (a testify assertion's false result,
        // the error of a helper that fails the test before returning it) stops here, as a
        // t.Error call does: what blocks after it is not reported (analysis/testfail.ts).
        const failed = failedArm(c.fc, s);
        const fail = (): number => c.pb.emit({ k: 'halt', site: this.site(s, c) });
        const then = failed === 'consequence' ? fail() : this.stmt(field(s, 'consequence') as Node, k, c);
        const alt = field(s, 'alternative');
        const els = failed === 'alternative' ? fail() : alt ? this.stmt(alt, k, c) : k;
        const cond = field(s, 'condition');
        // A branch that skips starting a goroutine the other side starts (`if s.HTTPAddr !=
        // "" { go serve() }`), or running a function literal the caller passed in (`if
        // loaded { ... } else { construct() }`): not running it on data the model does not
        // know is a state the program may never be in, so that side is unsure.
        const conseq = field(s, 'consequence');
        const goThen = this.runsOthers(conseq, c);
        // `if loaded { return v }; v = construct()`: a then-branch that returns skips the rest.
        const lastThen = conseq ? stmtList(conseq).at(-1) : undefined;
        const rest = !alt && lastThen?.type === 'return_statement' && s.parent ? stmtList(s.parent).filter((x) => x.start > s.end) : [];
        const goElse = this.runsOthers(alt, c) || rest.some((x) => this.runsOthers(x, c));
        const avoid = goThen && !goElse ? els : goElse && !goThen ? then : undefined;
        let pc = cond ? this.branch(cond, then, els, c, avoid) : then;
        const init = field(s, 'initializer');
        if (init) pc = this.stmt(init, pc, c);
        return pc;
      }
      case 'for_statement':
        return this.forStmt(s, k, c, label);
      case 'expression_switch_statement':
      case 'type_switch_statement': {
        const cases = s.children.filter((x) => x.type === 'expression_case' || x.type === 'type_case' || x.type === 'default_case');
        const inner: Ctx = { ...c, brk: k, labels: label ? new Map([...c.labels, [label, { brk: k, cont: c.cont }]]) : c.labels };
        const nexts = cases.map((cs) => this.seq(cs.children.filter((x) => x.type === 'statement_list').flatMap((x) => stmtList(x)), k, inner));
        const labels = cases.map((cs) => `takes the ${cs.type === 'default_case' ? 'default case' : `case at line ${c.fc.file.line(cs.start)}`}`);
        if (!cases.some((x) => x.type === 'default_case')) {
          nexts.push(k);
          labels.push('matches no case');
        }
        const value = field(s, 'value');
        let pc = (s.type === 'expression_switch_statement' ? this.counterSwitch(value, cases, nexts, k, c) : undefined) ?? (new Set(nexts).size === 1 ? (nexts[0] as number) : c.pb.emit({ k: 'choice', nexts, labels, site: this.site(s, c), unsure: !!c.unknownLoop }));
        if (value) pc = this.chain(this.effects(value, -1, c), pc, c);
        const init = field(s, 'initializer');
        if (init) pc = this.stmt(init, pc, c);
        return pc;
      }
      case 'select_statement':
        return this.selectStmt(s, k, c, label);
      case 'labeled_statement': {
        const ln = field(s, 'label');
        const inner = named(s).find((x) => x !== ln);
        return inner ? this.stmt(inner, k, c, ln ? c.fc.text(ln) : undefined) : k;
      }
      case 'break_statement':
      case 'continue_statement': {
        const ln = named(s)[0];
        const t = ln ? c.labels.get(c.fc.text(ln)) : { brk: c.brk, cont: c.cont };
        const to = s.type === 'break_statement' ? t?.brk : t?.cont;
        if (to === undefined) throw new GiveUp(`${s.type === 'break_statement' ? 'break' : 'continue'} at line ${c.fc.file.line(s.start)} without a target the model knows`);
        return to;
      }
      case 'goto_statement':
        throw new GiveUp(`goto at line ${c.fc.file.line(s.start)}`);
      default:
        return this.chain(this.effects(s, -1, c), k, c);
    }
  }

  private need(o: number, kind: ObjKind | ObjKind[], at: Node, c: Ctx): void {
    const ks = Array.isArray(kind) ? kind : [kind];
    const ob = this.objs[o] as Obj;
    if (!ks.includes(ob.kind)) throw new GiveUp(`"${ob.name}" used as a ${ks.join('/')} at line ${c.fc.file.line(at.start)}`);
  }

  private assign(s: Node, k: number, c: Ctx): number {
    const lefts = exprList(field(s, 'left'));
    const rights = exprList(field(s, 'right'));
    // Objects declared here (`ch := make(chan int)`) and the cancel of a modelled context.
    for (const l of lefts) {
      const v = c.fc.res.defs.get(l);
      if (v && (this.objOfVar.has(v) || this.cancelOf.has(v))) {
        this.consumed.add(l);
        if (s.type === 'short_var_declaration' && rights.length === 1 && this.objOfVar.has(v)) {
          // The initialiser is the allocation itself (make, NewCond, WithCancel): nothing to run.
          const init = unparen(rights[0] as Node);
          const t = this.objs[this.objOfVar.get(v) as number]?.kind;
          if (t === 'cond' || t === 'ctx' || (t === 'chan' && init.type === 'call_expression')) return k;
        }
      }
    }
    // `t := time.NewTimer(d)`: a new timer, not fired yet (this statement may run again in a loop).
    if (s.type === 'short_var_declaration' && lefts.length === 1 && rights.length === 1) {
      const v = c.fc.res.defs.get(lefts[0] as Node);
      if (v && onceTimer(c.fc, v.ident, v)) {
        const ops = this.effects(rights[0], -1, c);
        const arm = c.pb.emit({ k: 'setflag', flag: { global: false, slot: c.pb.timerFlag(v) }, value: false, next: k, site: this.site(s, c), text: `"${v.name}" (a new timer) fired` });
        return this.chain(ops, arm, c);
      }
    }
    // `t := NewTailer(...)`: the constructor runs here, its local bound to the entry's variable.
    if (s.type === 'short_var_declaration' && rights.length === 1 && c.fc === this.fc) {
      for (const l of lefts) {
        const v = c.fc.res.defs.get(l);
        const ctor = v ? this.ctors.get(v) : undefined;
        const call = unparen(rights[0] as Node);
        if (v && ctor && call.type === 'call_expression') return this.inlineCtor(call, ctor, varKey(c.fc, v), k, c);
      }
    }
    // `done := 0`, `done = 0`, `done += 2` on a counter.
    // (`got, sum := 0, 0`: the counter's write runs after the rest of the statement.)
    if (lefts.length === rights.length && lefts.length > 0) {
      const op = s.type === 'assignment_statement' ? c.fc.text(s.children.find((x) => !x.named && x.field === 'operator') ?? s) : ':=';
      let all = true;
      for (let i = lefts.length - 1; i >= 0; i--) {
        const w = this.counterWrite(lefts[i] as Node, op === '+=' ? 'add' : 'set', rights[i], k, c, s);
        if (w === undefined) all = false;
        else k = w;
      }
      if (all) return k;
    }
    // `done = true` on a tracked flag.
    if (s.type === 'assignment_statement' && lefts.length === 1 && rights.length === 1 && lefts[0]?.type === 'identifier') {
      const v = c.fc.res.localOf(lefts[0]);
      const fs = v && c.fc === this.fc ? this.flagVars.get(v) : undefined;
      const val = c.fc.text(unparen(rights[0] as Node));
      if (fs !== undefined && (val === 'true' || val === 'false')) return c.pb.emit({ k: 'setflag', flag: { global: true, slot: fs }, value: val === 'true', next: k, site: this.site(s, c), text: `"${v?.name}"` });
    }
    // `_ = x` uses nothing.
    if (lefts.every((l) => c.fc.text(l) === '_')) {
      for (const r of rights) this.objOf(r, c);
      if (rights.length === 1) {
        const rv = c.fc.res.varOf(rights[0] as Node);
        if (rv && this.cancelOf.has(rv)) this.consumed.add(unparen(rights[0] as Node));
      }
    }
    // `v := <-ch`, `v, ok := <-ch`, `v, ok = <-ch`.
    if (rights.length === 1) {
      const r = unparen(rights[0] as Node);
      if (r.type === 'unary_expression' && c.fc.text(r).startsWith('<-')) {
        const o = this.recvObj(r, c);
        if (o !== undefined) {
          this.hasBlockingOp = true;
          const okId = lefts[1];
          let ok: FlagRef | undefined;
          if (okId && okId.type === 'identifier' && c.fc.text(okId) !== '_') {
            const ov = c.fc.res.localOf(okId);
            if (ov) {
              ok = c.pb.okFlags.get(ov);
              if (!ok) c.pb.okFlags.set(ov, (ok = { global: false, slot: c.pb.flags++ }));
            }
          }
          const recv: Instr = { k: 'recv', obj: o, next: k, site: this.site(r, c) };
          if (ok) recv.ok = ok;
          // `err := <-errc`: the receiver's tests of err follow what was sent.
          const l0 = lefts[0];
          const rv = l0?.type === 'identifier' ? c.fc.res.localOf(l0) : undefined;
          const nf = rv && rv.recvFrom && this.neverReassigned(c.fc, rv) && nilable(c.fc.res.varType(rv)) ? this.nilFlagFor(rv, c) : undefined;
          if (nf) recv.nilf = nf;
          return c.pb.emit(recv);
        }
      }
    }
    const ops: Array<(k: number) => number> = [];
    for (const r of rights) ops.push(...this.effects(r, -1, c));
    for (const l of lefts) if (l.type !== 'identifier') ops.push(...this.effects(l, -1, c));
    return this.chain(ops, k, c);
  }

  /** The object a receive expression `<-x` receives from (`<-ch`, `<-ctx.Done()`), consuming it. */
  private recvObj(r: Node, c: Ctx): number | undefined {
    const operand = unparen(field(r, 'operand') ?? r);
    if (operand.type === 'call_expression') {
      const fn = field(operand, 'function');
      if (fn?.type === 'selector_expression' && c.fc.text(field(fn, 'field') ?? fn) === 'Done') {
        const o = this.objOf(field(fn, 'operand'), c);
        if (o !== undefined) {
          this.need(o, 'ctx', r, c);
          return o;
        }
      }
      return undefined;
    }
    const o = this.objOf(operand, c);
    if (o !== undefined) this.need(o, ['chan'], r, c);
    return o;
  }

  /** Translates with the known argument values and constant texts of an inlined call in scope. */
  private withVals<T>(target: { vals: Map<LocalVar, number>; texts: Map<LocalVar, string> }, f: () => T): T {
    if (target.vals.size === 0 && target.texts.size === 0) return f();
    const restoreVals = bindScoped(this.vals, target.vals);
    const restoreTexts = bindScoped(this.argTexts, target.texts);
    try {
      return f();
    } finally {
      restoreVals();
      restoreTexts();
    }
  }

  /** Runs an inlined constructor: its parameters bound to the arguments, its local to the caller's root. */
  private inlineCtor(call: Node, ctor: Ctor, root: string, k: number, c: Ctx): number {
    const tfc = ctor.fc;
    const env = new Map<LocalVar, Binding>();
    const params = paramVars(tfc, tfc.decl);
    const pre: Array<(k: number) => number> = [];
    callArgs(call).forEach((a, i) => {
      const p = params[i];
      const b = p ? this.bindingOf(a, c, true) : undefined;
      if (p && b) {
        env.set(p, b);
        if (this.watches(b)) this.watched.push({ fc: tfc, v: p });
      } else pre.push(...this.effects(a, -1, c));
    });
    if (ctor.local) {
      env.set(ctor.local, { root });
      if (this.strict(root)) {
        this.watched.push({ fc: tfc, v: ctor.local });
        this.consumed.add(ctor.local.ident);
      }
    }
    const body = this.funcBody(tfc, tfc.decl, tfc.body as Node, env, c.pb, [...c.inlining, tfc.decl], k, c.depth + 1, outerAt(c, call.start), root);
    return this.chain(pre, body, c);
  }

  private forStmt(s: Node, k: number, c: Ctx, label?: string): number {
    const body = field(s, 'body') as Node;
    const text = c.fc.text(s);
    // A loop that does nothing the model sees is skipped (it may only take time).
    if (!/<-|\bgo\b|\breturn\b|\bbreak\s+\w|\bcontinue\s+\w|\bgoto\b|Lock\(|Unlock\(|\.Wait\(|\.Done\(|\.Add\(|Signal\(|Broadcast\(|\.Do\(|close\(|cancel|panic\(|Fatal|Exit\(|\bselect\b/.test(text) && !this.mentionsObject(s, c) && !this.touchesCounter(s, c)) return k;
    const clause = s.children.find((x) => x.type === 'for_clause' || x.type === 'range_clause');
    const site = this.site(s, c);
    if (c.fc === this.fc && this.iterLoops.get(s)) {
      // One iteration stands for each (see oneIteration): `break` and `continue` both leave it.
      const one: Ctx = { ...c, brk: k, cont: k, labels: label ? new Map([...c.labels, [label, { brk: k, cont: k }]]) : c.labels };
      const bodyPc = this.stmt(body, k, one);
      if (clause?.type === 'for_clause') {
        const init = field(clause, 'initializer');
        return init ? this.stmt(init, bodyPc, c) : bodyPc;
      }
      return clause?.type === 'range_clause' ? this.chain(this.effects(field(clause, 'right'), -1, c), bodyPc, c) : bodyPc;
    }
    const unrolled = clause?.type === 'range_clause' ? this.unrollData(s, clause, body, k, c, label) : undefined;
    if (unrolled !== undefined) return unrolled;
    // Range over a modelled channel: receive until it is closed.
    let rangeObj: number | undefined;
    let rangeExpr: Node | undefined;
    if (clause?.type === 'range_clause') {
      const right = field(clause, 'right');
      rangeExpr = right ? unparen(right) : undefined;
      rangeObj = rangeExpr ? this.objOf(rangeExpr, c) : undefined;
      if (rangeObj !== undefined) this.need(rangeObj, 'chan', s, c);
    }
    const count = rangeObj === undefined ? this.loopCount(s, clause, c) : undefined;
    const cond = clause?.type === 'for_clause' ? field(clause, 'condition') : clause ? undefined : named(s).find((x) => x.field !== 'body' && x.type !== 'block');
    // A loop that only a channel, a count or a known condition ends is not data-driven.
    const known = rangeObj !== undefined || count !== undefined || (cond !== undefined && constBool(c.fc, cond) !== undefined) || (cond !== undefined && this.isFlagCond(cond, c));
    const head = c.pb.emit({ k: 'nop', next: -1 });
    let post = head;
    if (clause?.type === 'for_clause') {
      const upd = field(clause, 'update');
      if (upd) post = this.stmt(upd, head, c);
    }
    const inner: Ctx = { ...c, brk: k, cont: post, labels: label ? new Map([...c.labels, [label, { brk: k, cont: post }]]) : c.labels, unknownLoop: c.unknownLoop || !known };
    const bodyPc = this.stmt(body, post, inner);
    if (rangeObj !== undefined) {
      this.hasBlockingOp = true;
      c.pb.code[head] = { k: 'recv', obj: rangeObj, next: bodyPc, closed: k, site: this.site(rangeExpr as Node, c) };
      return head;
    }
    if (count !== undefined) {
      const ctr = c.pb.ctrs++;
      c.pb.code[head] = typeof count === 'number' ? { k: 'loop', ctr, count, body: bodyPc, exit: k, site } : { k: 'loop', ctr, count: count.f, add: count.add, body: bodyPc, exit: k, site };
      let pc = c.pb.emit({ k: 'setctr', ctr, next: head });
      if (clause?.type === 'range_clause') pc = this.chain(this.effects(field(clause, 'right'), -1, c), pc, c);
      // A counter the body tests starts at its initial value (the loop's own count does not say it).
      const counter = clause?.type === 'for_clause' ? countedLoopOf(c.fc, clause)?.counter : undefined;
      const init = clause?.type === 'for_clause' ? field(clause, 'initializer') : undefined;
      if (counter && init && counter.func === c.fn && this.counterBound(c.fc, counter)) pc = this.stmt(init, pc, c);
      return pc;
    }
    if (cond) {
      c.pb.code[head] = { k: 'nop', next: this.branch(cond, bodyPc, k, inner), site };
    } else if (clause?.type === 'range_clause') {
      c.pb.code[head] = { k: 'choice', nexts: [bodyPc, k], labels: ['runs the loop body again', 'leaves the loop'], site, unsure: true };
    } else {
      c.pb.code[head] = { k: 'nop', next: bodyPc, site };
    }
    let pc = head;
    if (clause?.type === 'for_clause') {
      const init = field(clause, 'initializer');
      if (init) pc = this.stmt(init, pc, c);
    } else if (clause?.type === 'range_clause') pc = this.chain(this.effects(field(clause, 'right'), -1, c), pc, c);
    return pc;
  }

  /**
   * `for _, l := range t.src` over a data field the model knows holds a slice literal of
   * constants (`NewTailer(name, []string{"a", "", "b"})`), and that no code of the package
   * assigns after the literal: unrolled, each iteration with `l` bound to its element, so a
   * condition on it (`l == ""`) is decided as the program decides it.
   */
  private unrollData(s: Node, clause: Node, body: Node, k: number, c: Ctx, label: string | undefined): number | undefined {
    const right = field(clause, 'right');
    if (!right || unparen(right).type !== 'selector_expression') return undefined;
    const p = this.pathOf(right, c);
    const data = p ? this.fieldData.get(p.key) : undefined;
    const name = p?.parts[p.parts.length - 1];
    if (!p || !data || !name) return undefined;
    const elems = constElems(data.fc, data.node);
    if (!elems || elems.length > 8) return undefined;
    const assigned = new RegExp(`\\.${name}\\s*(?:[-+*/|&^]?=[^=]|\\+\\+|--)|&[\\w.]*\\.${name}\\b|\\.${name}\\[[^\\]]*\\]\\s*=[^=]`);
    if (c.fc.facts.pkg.files.some((f) => assigned.test(f.text))) return undefined;
    const left = exprList(field(clause, 'left'));
    const vv = left[1] ? c.fc.res.defs.get(left[1]) : undefined;
    if (left[1] && !vv) return undefined;
    if (vv && !this.fixedInBody(c.fc, vv, body)) return undefined;
    this.consumed.add(p.base);
    let pc = k;
    for (let i = elems.length - 1; i >= 0; i--) {
      const next = pc;
      const one: Ctx = { ...c, brk: k, cont: next, labels: label ? new Map([...c.labels, [label, { brk: k, cont: next }]]) : c.labels };
      if (vv) this.consts.set(vv, elems[i] as string);
      try {
        pc = this.stmt(body, next, one);
      } finally {
        if (vv) this.consts.delete(vv);
      }
    }
    return pc;
  }

  /** The range variable is not written in the loop body. */
  private fixedInBody(fc: FuncCtx, v: LocalVar, body: Node): boolean {
    return !(fc.res.refs.get(v) ?? []).some((r) => r.start >= body.start && r.end <= body.end && writesOrTakes(fc, r));
  }

  /**
   * A condition decided by the constants the model knows: `x == lit` / `x != lit` with `x`
   * bound to the element of an unrolled iteration, or to a parameter every caller passes
   * the same constant for (`name == ""`, `n > 8`, `verbose`, `cb != nil`); see
   * {@link constantArgs}.
   */
  private constCond(cond: Node, c: Ctx): boolean | undefined {
    if (this.consts.size === 0 && this.argTexts.size === 0) return undefined;
    if (cond.type === 'identifier') {
      const t = this.valText(cond, c);
      return t === 'true' ? true : t === 'false' ? false : undefined;
    }
    if (cond.type !== 'binary_expression') return undefined;
    const op = c.fc.text(cond.children.find((x) => !x.named) ?? cond);
    if (!['==', '!=', '<', '<=', '>', '>='].includes(op)) return undefined;
    const l = field(cond, 'left');
    const r = field(cond, 'right');
    const a = l ? this.valText(l, c) : undefined;
    const b = a !== undefined && r ? this.valText(r, c) : undefined;
    if (a === undefined || b === undefined) return undefined;
    if (op === '==' || op === '!=') return (a === b) === (op === '==');
    if (!/^-?\d+$/.test(a) || !/^-?\d+$/.test(b)) return undefined;
    const x = Number(a);
    const y = Number(b);
    return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
  }

  /** The constant an expression has in this run, as {@link constText} writes it: a literal, a named constant, or a variable the model knows the value of. */
  private valText(e: Node, c: Ctx): string | undefined {
    const u = unparen(e);
    if (u.type === 'call_expression' && c.fc.text(field(u, 'function') ?? u) === 'len') {
      const a = callArgs(u)[0];
      const ev = a && unparen(a).type === 'identifier' ? this.entryVar(unparen(a), c) : undefined;
      const n = ev ? this.madeLen(ev) : undefined;
      return n === undefined ? undefined : String(n);
    }
    return constText(c.fc, u, (v) => this.knownText(v, c));
  }

  /** The value the model knows for a local: an unrolled element, a bound constant argument, or (through its binding) the entry's variable. */
  private knownText(v: LocalVar, c: Ctx): string | undefined {
    const t = this.consts.get(v);
    if (t !== undefined) return t;
    // A parameter of an inlined call bound to a constant argument, never assigned in the body.
    const a = this.argTexts.get(v);
    if (a !== undefined && this.fixedVar(c.fc, v)) return a;
    const b = c.env.get(v);
    if (b && 'root' in b && this.fixedVar(c.fc, v)) {
      const ev = this.rootVars.get(b.root);
      return ev && this.fixedVar(this.fc, ev) ? this.consts.get(ev) : undefined;
    }
    return undefined;
  }

  /** The length of a slice the entry makes with a known length (`jobs := make([]Job, n)`, n known), never reassigned. */
  private madeLen(v: LocalVar): number | undefined {
    const init = v.init && v.init.count === 1 ? unparen(v.init.expr) : undefined;
    if (init?.type !== 'call_expression' || v.func !== this.fn || !this.fixedVar(this.fc, v)) return undefined;
    const callee = this.fc.res.callee(init);
    const [t, n] = callArgs(init);
    if (callee.kind !== 'builtin' || callee.name !== 'make' || !t || !n) return undefined;
    const st = this.fc.res.typeFromExpr(t);
    if (!st || underlying(st).kind !== 'slice') return undefined;
    const k = knownInt(this.fc, n) ?? this.valText(n, this.bareCtx(this.fc));
    const x = typeof k === 'string' && /^\d+$/.test(k) ? Number(k) : typeof k === 'number' ? k : undefined;
    return x !== undefined && x >= 0 ? x : undefined;
  }

  /** The int an entry variable (a parameter every caller passes one constant for, or a slice made with a known length) has in this run. */
  private entryInt(v: LocalVar): number | undefined {
    const t = this.consts.get(v);
    if (t !== undefined) return /^\d+$/.test(t) ? Number(t) : undefined;
    return this.madeLen(v);
  }

  /** A condition made only of tracked boolean flags (`!done`, `ready && !stop`). */
  private isFlagCond(cond0: Node, c: Ctx): boolean {
    const cond = unparen(cond0);
    if (cond.type === 'unary_expression' && c.fc.text(cond).startsWith('!')) return this.isFlagCond(field(cond, 'operand') ?? cond, c);
    if (cond.type === 'binary_expression') {
      const op = c.fc.text(cond.children.find((x) => !x.named) ?? cond);
      const l = field(cond, 'left');
      const r = field(cond, 'right');
      return (op === '&&' || op === '||') && !!l && !!r && this.isFlagCond(l, c) && this.isFlagCond(r, c);
    }
    if (cond.type !== 'identifier') return false;
    const v = c.fc.res.localOf(cond);
    return !!v && c.fc === this.fc && this.flagVars.has(v);
  }

  private mentionsObject(n: Node, c: Ctx): boolean {
    let found = false;
    walk(n, (x) => {
      if (found) return false;
      if (x.type === 'identifier') {
        const v = c.fc.res.localOf(x);
        if (v && (this.objOfVar.has(v) || this.cancelOf.has(v) || c.env.has(v) || (c.fc === this.fc && this.strict(varKey(c.fc, v))))) found = true;
      }
      if (x.type === 'call_expression') found = this.inlinable(x, c) !== undefined;
      return !found;
    });
    return found;
  }

  /** The iteration count of a loop: a known number, a shared symbolic count (`len(xs)`, `n`), or undefined. */
  private loopCount(s: Node, clause: Node | undefined, c: Ctx): number | { f: FlagRef; add: number } | undefined {
    const trips = tripCount(c.fc, s) ?? this.knownTrips(clause, c);
    if (trips !== undefined) {
      if (trips > 64) throw new GiveUp(`a loop of ${trips} iterations at line ${c.fc.file.line(s.start)} is too long to unroll`);
      return trips;
    }
    const sym = (e: Node | undefined): { f: FlagRef; add: number } | undefined => (e ? this.symCount(e, c) : undefined);
    if (clause?.type === 'range_clause') {
      const right = field(clause, 'right');
      if (!right) return undefined;
      const t = underlying(c.fc.res.typeOf(right));
      if (t.kind === 'chan' || t.kind === 'func' || t.kind === 'unknown') return undefined;
      if (t.kind === 'basic') return sym(right);
      const u = unparen(right);
      if (u.type === 'selector_expression') return this.fieldLen(u, c);
      const ls = u.type === 'identifier' ? this.lenSym(u, c) : undefined;
      return ls ? { f: ls, add: 0 } : undefined;
    }
    if (clause?.type === 'for_clause') {
      const loop = countedLoopOf(c.fc, clause);
      if (!loop) return undefined;
      const { counter } = loop;
      const body = field(s, 'body');
      if (counter && body && (c.fc.res.refs.get(counter) ?? []).some((r) => r.start >= body.start && r.end <= body.end && (r.parent?.type === 'inc_statement' || r.parent?.type === 'dec_statement' || (r.parent?.type === 'expression_list' && r.parent.field === 'left')))) return undefined;
      return sym(loop.bound);
    }
    return undefined;
  }

  /**
   * The trip count of `for _, x := range p` and `for i := 0; i < p; i++` over a parameter
   * whose argument the model knows (a slice literal, a constant), not changed in the body.
   */
  private knownTrips(clause: Node | undefined, c: Ctx): number | undefined {
    const val = (e: Node | undefined): number | undefined => {
      const u = e ? unparen(e) : undefined;
      const v = u?.type === 'identifier' ? c.fc.res.localOf(u) : undefined;
      return v && this.fixedVar(c.fc, v) ? this.vals.get(v) : undefined;
    };
    if (clause?.type === 'range_clause') return val(field(clause, 'right'));
    if (clause?.type !== 'for_clause') return undefined;
    const loop = countedLoopOf(c.fc, clause);
    if (!loop) return undefined;
    const { counter, update } = loop;
    if (counter && (c.fc.res.refs.get(counter) ?? []).some((r) => r.parent?.type === 'inc_statement' && r.parent !== update)) return undefined;
    const n = val(loop.bound);
    return n !== undefined && n >= 0 ? n : undefined;
  }

  /**
   * A symbolic count: `len(xs)`, `n` (a variable fixed for the run), `len(x.f)` (a field of
   * a fixed root), shifted by a constant (`len(xs)+1`). Every place that reads the same
   * one shares its slot.
   */
  private symCount(e: Node, c: Ctx): { f: FlagRef; add: number } | undefined {
    let u = unparen(e);
    // `len(xs)+1`, `n-1`: the same symbolic count, shifted by a constant.
    let add = 0;
    if (u.type === 'binary_expression') {
      const op = c.fc.text(u.children.find((x) => !x.named) ?? u);
      const r = field(u, 'right');
      const l = field(u, 'left');
      const k = r ? c.fc.res.constValue(r) : undefined;
      if (!l || k === undefined || (op !== '+' && op !== '-')) return undefined;
      add = op === '+' ? k : -k;
      u = unparen(l);
    }
    let x = u;
    let key: string;
    if (u.type === 'call_expression' && c.fc.text(field(u, 'function') ?? u) === 'len') {
      x = unparen(callArgs(u)[0] ?? u);
      if (x.type === 'selector_expression') {
        const fl = this.fieldLen(x, c);
        return fl ? { f: fl.f, add } : undefined;
      }
      key = `len(${c.fc.text(x)})`;
    } else key = c.fc.text(u);
    if (x.type !== 'identifier') return undefined;
    const ev = this.entryVar(x, c);
    if (!ev) return undefined;
    if (ev.name !== c.fc.text(x)) key = key.replace(c.fc.text(x), ev.name);
    return { f: { global: true, slot: this.countSlot(key, x === u ? this.entryInt(ev) : this.madeLen(ev)) }, add };
  }

  /**
   * The length of a slice or map field of a fixed root (`ix.segments`), as a symbolic count
   * (see {@link checkFieldCounts} for the places that share it).
   */
  private fieldLen(x: Node, c: Ctx): { f: FlagRef; add: number } | undefined {
    const p = this.pathOf(x, c);
    const t = underlying(c.fc.res.typeOf(x));
    // Slices only: a map written while it is ranged over may be iterated more or fewer times.
    if (!p || p.parts.length === 0 || t.kind !== 'slice') return undefined;
    const b = c.env.get(c.fc.res.localOf(p.base) as LocalVar);
    const rootName = b && 'root' in b ? this.rootVars.get(b.root)?.name : c.fc.text(p.base);
    const text = `len(${rootName ?? c.fc.text(p.base)}.${p.parts.join('.')})`;
    const slot = this.globalSlot(`n:len(${p.key})`, text, this.countDomain());
    const fc = this.fieldCounts.get(slot) ?? { name: p.parts[p.parts.length - 1] as string, text, uses: 0 };
    fc.uses++;
    this.fieldCounts.set(slot, fc);
    return { f: { global: true, slot }, add: 0 };
  }

  private lenSym(x: Node, c: Ctx): FlagRef | undefined {
    const ev = this.entryVar(x, c);
    if (!ev) return undefined;
    const key = `len(${ev.name})`;
    return { global: true, slot: this.countSlot(key, this.madeLen(ev)) };
  }

  /** The slot of a symbolic count; fixed to its value when the run knows it (up to the 64 iterations a loop may be unrolled). */
  private countSlot(key: string, known: number | undefined): number {
    if (known !== undefined && known >= 0 && known <= 64) return this.globalSlot(`n:${key}`, `${key} (${known})`, Math.max(this.countDomain(), known + 1), known);
    return this.globalSlot(`n:${key}`, key, this.countDomain());
  }

  /**
   * The entry's variable, fixed for the run, that identifier `x` stands for: itself in the
   * entry function, or the argument an inlined function's parameter is bound to
   * (`go read(lines, raw)`: `range lines` in read is the entry's `len(lines)`).
   */
  private entryVar(x: Node, c: Ctx): LocalVar | undefined {
    const v = c.fc.res.localOf(x);
    if (!v || !this.fixedVar(c.fc, v)) return undefined;
    const b = c.env.get(v);
    if (b) {
      const ev = 'root' in b ? this.rootVars.get(b.root) : undefined;
      return ev && this.fixedVar(this.fc, ev) ? ev : undefined;
    }
    return c.fc === this.fc && v.func === this.fn ? v : undefined;
  }

  private selectStmt(s: Node, k: number, c: Ctx, label?: string): number {
    const cases = s.children.filter((x) => x.type === 'communication_case' || x.type === 'default_case');
    // `select {}` parks the goroutine for good, on purpose (a server's main): it is never a finding, and main parked keeps the program running.
    if (cases.length === 0) return c.pb.emit({ k: 'park', site: this.site(s, c) });
    const inner: Ctx = { ...c, brk: k, labels: label ? new Map([...c.labels, [label, { brk: k, cont: c.cont }]]) : c.labels };
    const sel: SelCase[] = [];
    let dflt: number | undefined;
    const pre: Array<(k: number) => number> = [];
    for (const cs of cases) {
      const bodyStmts = cs.children.filter((x) => x.type === 'statement_list').flatMap((x) => stmtList(x));
      const next = this.seq(bodyStmts, k, inner);
      if (cs.type === 'default_case') {
        dflt = next;
        continue;
      }
      const comm = field(cs, 'communication');
      if (!comm) continue;
      const site = this.site(comm, c);
      if (comm.type === 'send_statement') {
        const o = this.objOf(field(comm, 'channel'), c);
        if (o !== undefined) this.need(o, 'chan', comm, c);
        else pre.push(...this.effects(field(comm, 'channel'), -1, c));
        pre.push(...this.effects(field(comm, 'value'), -1, c));
        sel.push({ dir: 'send', obj: o ?? -1, next, site });
        continue;
      }
      const r = comm.type === 'receive_statement' ? field(comm, 'right') : named(comm)[0];
      const ru = r ? unparen(r) : undefined;
      if (!ru || ru.type !== 'unary_expression') {
        sel.push({ dir: 'recv', obj: -1, next, site });
        continue;
      }
      const o = this.recvObj(ru, c);
      if (o === undefined) pre.push(...this.effects(field(ru, 'operand'), -1, c));
      const sc: SelCase = { dir: 'recv', obj: o ?? -1, next, site };
      // A ticker's tick, or the Done of a context the model does not own (cancelled by a
      // caller, whenever it likes): whether it comes before the work is timing or the
      // caller's business, so a block behind it is not proven.
      if (o === undefined && (isTick(c.fc, field(ru, 'operand')) || isCtxDone(c.fc, field(ru, 'operand')))) sc.unsure = true;
      else if (o === undefined && isTimer(c.fc, field(ru, 'operand'))) {
        sc.timer = true;
        sc.fired = c.pb.flags++;
        const tv = onceTimer(c.fc, field(ru, 'operand'));
        if (tv) sc.once = c.pb.timerFlag(tv);
      } else if (o === undefined) {
        const tv = onceTimer(c.fc, field(ru, 'operand'));
        if (tv) {
          sc.timer = true;
          sc.fired = c.pb.flags++;
          sc.once = c.pb.timerFlag(tv);
        }
      }
      const okId = comm.type === 'receive_statement' ? exprList(field(comm, 'left'))[1] : undefined;
      if (okId && o !== undefined && c.fc.text(okId) !== '_') {
        const ov = c.fc.res.localOf(okId);
        if (ov) {
          let ok = c.pb.okFlags.get(ov);
          if (!ok) c.pb.okFlags.set(ov, (ok = { global: false, slot: c.pb.flags++ }));
          sc.ok = ok;
        }
      }
      sel.push(sc);
    }
    if (sel.some((x) => x.obj >= 0)) this.hasBlockingOp = true;
    const i: Instr = { k: 'select', cases: sel, site: this.site(s, c) };
    if (dflt !== undefined) i.dflt = dflt;
    return this.chain(pre, c.pb.emit(i), c);
  }

  private goStmt(s: Node, k: number, c: Ctx): number {
    const call = unparen(named(s)[0] ?? s);
    if (call.type !== 'call_expression') return this.chain(this.effects(call, -1, c), k, c);
    const callee = c.fc.res.callee(call);
    const args = callArgs(call);
    const site = this.site(s, c);
    const name = `the goroutine started at line ${c.fc.file.line(s.start)}${c.fc.file === this.fc.file ? '' : ` of ${baseName(c.fc.file.path)}`}`;
    if (callee.kind === 'literal') {
      const fn = callee.fn;
      const env = new Map(c.env);
      const params = paramVars(c.fc, fn);
      const pre: Array<(k: number) => number> = [];
      args.forEach((a, i) => {
        const p = params[i];
        const b = this.bindingOf(a, c, true);
        if (p && b) {
          env.set(p, b);
          if (this.watches(b)) this.watched.push({ fc: c.fc, v: p });
        } else pre.push(...this.effects(a, -1, c));
      });
      const memoKey = `${c.fc.file.path}:${s.start}:${envKey(env)}`;
      let pid = this.procMemo.get(memoKey);
      if (pid === undefined) pid = this.newProc(name, site, (pb) => this.funcBody(c.fc, fn, field(fn, 'body') as Node, env, pb, [...c.inlining, fn], undefined, c.depth), memoKey);
      return this.chain(pre, c.pb.emit({ k: 'go', proc: pid, next: k, site }), c);
    }
    const bfn = this.boundFn(unparen(field(call, 'function') ?? call), c);
    if (bfn) {
      this.consumed.add(unparen(field(call, 'function') ?? call));
      const f = bfn;
      const memoKey = `${c.fc.file.path}:${s.start}:f${f.lit.start}[${envKey(f.env)}]`;
      let pid = this.procMemo.get(memoKey);
      if (pid === undefined) pid = this.newProc(name, site, (pb) => this.runFnValue(f, call, pb.emit({ k: 'end', site }), { ...c, pb }, pb, { goexit: () => pb.emit({ k: 'end', site }), panicked: () => pb.emit({ k: 'halt', site }) }), memoKey);
      return c.pb.emit({ k: 'go', proc: pid, next: k, site });
    }
    const target = this.inlinable(call, c);
    if (target) {
      const memoKey = `${c.fc.file.path}:${s.start}:${envKey(target.env)}:${[...target.vals.values()].join(',')}:${[...target.texts.values()].join(',')}`;
      let pid = this.procMemo.get(memoKey);
      if (pid === undefined) pid = this.newProc(name, site, (pb) => this.withVals(target, () => this.funcBody(target.fc, target.fc.decl, target.fc.body as Node, target.env, pb, [...c.inlining, target.fc.decl], undefined, c.depth + 1)), memoKey);
      return this.chain(target.pre, c.pb.emit({ k: 'go', proc: pid, next: k, site }), c);
    }
    // A goroutine the model cannot see into: it must not touch modelled objects.
    return this.chain(this.effects(call, -1, c, true), k, c);
  }

  private newProc(name: string, start: Site, build: (pb: ProcBuilder) => number, memoKey: string): number {
    if (++this.goCount > 40) throw new GiveUp('too many goroutine templates');
    const id = this.procs.length;
    const pb = new ProcBuilder();
    const p: Proc = { id, name, code: pb.code, ctrs: 0, flags: 0, start };
    this.procs.push(p);
    this.procMemo.set(memoKey, id);
    pb.emit({ k: 'nop', next: -1 });
    pb.code[0] = { k: 'nop', next: build(pb) };
    p.ctrs = pb.ctrs;
    p.flags = pb.flags;
    return id;
  }

  /**
   * A same-package function or method worth inlining: it receives a modelled object or
   * a root whose field mutexes it may lock. Returns its context and the argument effects.
   */
  private inlinable(call: Node, c: Ctx): { fc: FuncCtx; env: Map<LocalVar, Binding>; pre: Array<(k: number) => number>; vals: Map<LocalVar, number>; texts: Map<LocalVar, string> } | undefined {
    if (c.depth >= 3) return undefined;
    const callee = c.fc.res.callee(call);
    let decl: Node | undefined;
    let recvExpr: Node | undefined;
    const pkg = c.fc.facts.pkg;
    if (callee.kind === 'func' && callee.obj.pkg === pkg && callee.obj.kind === 'func') decl = callee.obj.node;
    else if (callee.kind === 'method' && callee.method.pkg === pkg.importPath && callee.method.decl) {
      decl = callee.method.decl;
      recvExpr = callee.recv;
    }
    // One re-entry is followed (a method that calls itself through a callback: Once.Do re-entered); deeper recursion is not.
    if (!decl || c.inlining.filter((d) => d === decl).length > 1) return undefined;
    const tfc = c.fc.facts.funcCtxOfDecl(decl);
    if (!tfc?.body) return undefined;
    const btext = tfc.file.text.slice(tfc.body.start, tfc.body.end);
    const args = callArgs(call);
    const params = paramVars(tfc, decl);
    const env = new Map<LocalVar, Binding>();
    let relevant = false;
    const pre: Array<(k: number) => number> = [];
    const bindings: Array<{ p: LocalVar; b: Binding; a: Node }> = [];
    args.forEach((a, i) => {
      const p = params[i];
      if (!p) return;
      const b = this.bindingOf(a, c, false);
      if (b) bindings.push({ p, b, a });
    });
    if (recvExpr) {
      const rv = recvVar(tfc);
      const b = this.bindingOf(recvExpr, c, false);
      if (rv && b) bindings.push({ p: rv, b, a: recvExpr });
    }
    for (const { b } of bindings) if ('obj' in b || ('fn' in b && this.litTouches(b.fn, c)) || ('root' in b && this.reaches(b.root))) relevant = true;
    if (!relevant && !(bindings.some((x) => 'root' in x.b) && /\.R?(?:Lock|Unlock)\(\)|\.Do\(/.test(btext))) return undefined;
    if (btext.length > 4000) return undefined;
    for (const { p, b, a } of bindings) {
      this.bindingOf(a, c, true);
      env.set(p, b);
      if (this.watches(b)) this.watched.push({ fc: tfc, v: p });
    }
    for (const a of args) if (!bindings.some((x) => x.a === a)) pre.push(...this.effects(a, -1, c));
    // Arguments whose value the model knows: a constant integer, or a slice literal's length
    // (`vals`); and those that are constants (literals, named constants, parameters bound to
    // one), as their text (`texts`).
    const vals = new Map<LocalVar, number>();
    const texts = new Map<LocalVar, string>();
    args.forEach((a, i) => {
      const p = params[i];
      if (!p || bindings.some((x) => x.a === a) || paramVariadic(tfc, decl as Node, i)) return;
      const n = knownArg(c, a, this.vals);
      if (n !== undefined) vals.set(p, n);
      const t = constText(c.fc, a, (v) => this.knownText(v, c));
      if (t !== undefined) texts.set(p, t);
    });
    return { fc: tfc, env, pre, vals, texts };
  }

  /**
   * What an argument binds an inlined parameter to: a modelled object, or a root for
   * field paths (a variable, or a field path of a struct the model allocated). With
   * `consume` set, the references it reads count as understood.
   */
  private bindingOf(e0: Node, c: Ctx, consume: boolean): Binding | undefined {
    let e = unparen(e0);
    if (e.type === 'func_literal') return { fn: { fc: c.fc, lit: e, env: c.env } };
    if (e.type === 'unary_expression' && /^[&*]/.test(c.fc.text(e))) e = unparen(field(e, 'operand') ?? e);
    if (e.type === 'selector_expression') {
      const p = this.pathOf(e, c);
      if (!p || p.parts.length === 0 || !this.owned.has(p.key.slice(0, p.key.lastIndexOf('.')))) return undefined;
      const o = this.fieldObjs.get(p.key) ?? this.ownedSyncField(p.key, e, c);
      if (o === undefined && !this.owned.has(p.key)) return undefined;
      if (consume) this.consumed.add(p.base);
      return o !== undefined ? { obj: o } : { root: p.key };
    }
    if (e.type !== 'identifier') return undefined;
    const v = c.fc.res.localOf(e);
    if (!v) return undefined;
    const b = c.env.get(v);
    if (b) {
      if (consume && this.watches(b)) this.consumed.add(e);
      return b;
    }
    if (c.fc === this.fc) {
      const o = this.objOfVar.get(v);
      if (o !== undefined) {
        if (consume) this.consumed.add(e);
        return { obj: o };
      }
    }
    if ((v.kind === 'recv' || v.kind === 'param' || v.kind === 'var') && this.neverReassigned(c.fc, v)) {
      const root = varKey(c.fc, v);
      if (c.fc === this.fc && v.func === this.fn) this.rootVars.set(root, v);
      if (consume && this.strict(root)) this.consumed.add(e);
      return { root };
    }
    return undefined;
  }

  /** Whether a binding makes the parameter's every use matter (an object, or a root that reaches owned channels or WaitGroups). */
  private watches(b: Binding): boolean {
    return 'obj' in b || 'fn' in b || this.strict(b.root);
  }

  /** A function literal that names an object of the model (or a struct holding one) where it is written. */
  private litTouches(f: FnValue, c: Ctx): boolean {
    let found = false;
    walk(f.lit, (x) => {
      if (found) return false;
      if (x.type !== 'identifier') return;
      const v = f.fc.res.localOf(x);
      if (!v) return;
      const b = f.env.get(v);
      if (b) found = 'obj' in b || 'fn' in b || this.reaches(b.root);
      else if (f.fc === this.fc) found = this.objOfVar.has(v) || this.cancelOf.has(v) || this.reaches(varKey(f.fc, v));
      return !found;
    });
    return found && c.depth < 3;
  }

  /**
   * The body of a function literal passed in as `b` run at `call` (its parameters bound
   * to the call's arguments where those are objects), continuing at `k`.
   */
  private runFnValue(f: FnValue, call: Node, k: number, c: Ctx, pb: ProcBuilder, outer: Outer): number {
    const params = paramVars(f.fc, f.lit);
    const env = new Map(f.env);
    callArgs(call).forEach((a, i) => {
      const p = params[i];
      const b = p ? this.bindingOf(a, c, true) : undefined;
      if (p && b && !('root' in b)) {
        env.set(p, b);
        this.watched.push({ fc: f.fc, v: p });
      }
    });
    return this.funcBody(f.fc, f.lit, field(f.lit, 'body') as Node, env, pb, [...c.inlining, f.lit], k, c.depth, outer);
  }

  /** The function literal a called identifier is bound to (a parameter of an inlined function). */
  private boundFn(fn: Node, c: Ctx): FnValue | undefined {
    if (fn.type !== 'identifier') return undefined;
    const v = c.fc.res.localOf(fn);
    const b = v ? c.env.get(v) : undefined;
    if (!b || !('fn' in b) || c.inlining.filter((d) => d === b.fn.lit).length > 1) return undefined;
    return b.fn;
  }

  // ---- expressions -----------------------------------------------------------------

  /**
   * The concurrency operations an expression performs, in evaluation order (operands
   * before the operation), as continuation builders. `opaque` marks the expression of a
   * `go` statement the model does not enter (only its arguments are evaluated here).
   */
  private effects(e: Node | undefined, _k: number, c: Ctx, opaque = false): Array<(k: number) => number> {
    const ops: Array<(k: number) => number> = [];
    if (!e) return ops;
    const visit = (n: Node): void => {
      if (n.type === 'func_literal') return; // a literal that is not called runs later, elsewhere: its references stay unconsumed
      if (n.type === 'selector_expression' && this.plainField(n, c)) return;
      if (n.type === 'unary_expression' && c.fc.text(n).startsWith('<-')) {
        const o = this.recvObj(n, c);
        if (o === undefined) {
          for (const ch of n.children) visit(ch);
          return;
        }
        this.hasBlockingOp = true;
        const site = this.site(n, c);
        ops.push((k) => c.pb.emit({ k: 'recv', obj: o, next: k, site }));
        return;
      }
      if (n.type === 'call_expression') {
        const r = this.call(n, c, opaque && n === unparen(e));
        if (r) {
          ops.push(...r);
          return;
        }
      }
      for (const ch of n.children) visit(ch);
    };
    visit(e);
    return ops;
  }

  /**
   * A read or write of a data field of a struct the model allocated (`t.file`,
   * `p.dropped++`): it neither holds nor reaches an object, so the use is understood.
   */
  private plainField(n: Node, c: Ctx): boolean {
    const p = this.pathOf(n, c);
    if (!p || p.parts.length === 0 || !this.ownerOf(p.key) || this.owned.has(p.key) || this.fieldObjs.has(p.key)) return false;
    const name = p.parts[p.parts.length - 1] as string;
    // A cancel function of an untracked context, assigned nowhere else in the package.
    const cancel = this.cancelFields.has(p.key) && !c.fc.facts.pkg.files.some((f) => new RegExp(`\\.${name}\\s*=[^=]`).test(f.text));
    if (!cancel && mayHoldObj(c.fc.res.typeOf(n), 0) && !isBool(c.fc.res.typeOf(n))) return false;
    this.consumed.add(p.base);
    return true;
  }

  /** A call's operations, or undefined to let the caller look at its operands. */
  private call(call: Node, c: Ctx, opaque: boolean): Array<(k: number) => number> | undefined {
    const fc = c.fc;
    const fn = unparen(field(call, 'function') ?? call);
    const args = callArgs(call);
    const site = this.site(call, c);
    const callee = fc.res.callee(call);
    const argOps = (): Array<(k: number) => number> => args.flatMap((a) => this.effects(a, -1, c));
    if (callee.kind === 'builtin') {
      if (callee.name === 'close') {
        const o = this.objOf(args[0], c);
        if (o === undefined) return undefined;
        this.need(o, 'chan', call, c);
        return [(k) => c.pb.emit({ k: 'close', obj: o, next: k, site })];
      }
      if (callee.name === 'len' || callee.name === 'cap') {
        this.objOf(args[0], c);
        return [];
      }
      if (callee.name === 'panic') return [...argOps(), () => c.panicked(call.start, site)];
      return undefined;
    }
    // runtime.Goexit ends the goroutine after running its deferred calls.
    if (callee.kind === 'func' && callee.fullName === 'runtime.Goexit') return [() => c.goexit(call.start)];
    if (!opaque && isTestingCall(fc, fn)) {
      const m = fc.text(field(fn, 'field') ?? fn);
      // A failing or skipped test: whatever blocks afterwards does not matter (the test
      // reports its failure; t.Fatal and t.Skip also end the goroutine).
      if (/^(Error|Errorf|Fail|Fatal|Fatalf|FailNow|Skip|Skipf|SkipNow)$/.test(m)) return [...argOps(), () => c.pb.emit({ k: 'halt', site })];
    }
    if (!opaque && fc.facts.noReturn(fc, call)) return [...argOps(), () => c.pb.emit({ k: 'halt', site })];
    // testify's Fail/FailNow (and a project's always-failing helper) fail the test like t.Error.
    if (!opaque && failsTest(fc, call)) return [...argOps(), () => c.pb.emit({ k: 'halt', site })];
    // cancel() of a modelled context.
    if (fn.type === 'identifier') {
      const v = fc.res.localOf(fn);
      const o = v && c.fc === this.fc ? this.cancelOf.get(v) : undefined;
      if (o !== undefined) {
        this.consumed.add(fn);
        return [(k) => c.pb.emit({ k: 'cancel', obj: o, next: k, site })];
      }
    }
    if (fn.type === 'selector_expression') {
      const recv = field(fn, 'operand') as Node;
      const mname = fc.text(field(fn, 'field') ?? fn);
      // c.L.Lock() of a modelled Cond.
      const ru = unparen(recv);
      if (ru.type === 'selector_expression' && fc.text(field(ru, 'field') ?? ru) === 'L') {
        const co = this.objOf(field(ru, 'operand'), c);
        if (co !== undefined) {
          const l = this.objs[co]?.lock;
          if (l === undefined || !/^(R?Lock|R?Unlock)$/.test(mname)) throw new GiveUp(`"${fc.text(fn)}" at line ${fc.file.line(call.start)}`);
          return [(k) => c.pb.emit({ k: lockKind(mname), obj: l, next: k, site })];
        }
      }
      const o = this.objOf(recv, c);
      if (o !== undefined) return this.objMethod(o, mname, args, call, c);
      // A mutex in a field (or embedded): s.mu.Lock(), s.Lock().
      if (/^(R?Lock|R?Unlock)$/.test(mname) && callee.kind === 'method' && callee.method.pkg === 'sync') {
        const embedded = !isNamedOrPtr(fc.res.typeOf(recv), 'sync', 'Mutex') && !isNamedOrPtr(fc.res.typeOf(recv), 'sync', 'RWMutex');
        const fo = this.fieldMutex(recv, c, embedded ? callee.method.recvType : undefined);
        if (fo !== undefined) {
          this.hasBlockingOp = true;
          if (this.objs[fo]?.kind === 'mutex' && mname.startsWith('R')) return undefined;
          return [(k) => c.pb.emit({ k: lockKind(mname), obj: fo, next: k, site })];
        }
      }
    }
    // A sync.Once in a field (`c.once.Do(c.load)`): like a field mutex, code outside can only have run it already, which the model does not assume.
    if (fn.type === 'selector_expression' && callee.kind === 'method' && callee.method.pkg === 'sync' && fc.text(field(fn, 'field') ?? fn) === 'Do') {
      const recv = field(fn, 'operand') as Node;
      if (isNamedOrPtr(fc.res.typeOf(recv), 'sync', 'Once')) {
        const fo = this.fieldMutex(recv, c, undefined);
        if (fo !== undefined && this.objs[fo]?.kind === 'once') return this.objMethod(fo, 'Do', args, call, c);
      }
    }
    // time.AfterFunc(d, func() {...}) with its Timer dropped: the function runs later in its own goroutine.
    if (callee.kind === 'func' && callee.fullName === 'time.AfterFunc' && call.parent?.type === 'expression_statement' && !opaque) {
      const lit = args[1] ? unparen(args[1]) : undefined;
      if (lit?.type === 'func_literal') {
        const name = `the function run by time.AfterFunc at line ${fc.file.line(call.start)}`;
        const memoKey = `${fc.file.path}:${call.start}:${envKey(c.env)}`;
        let pid = this.procMemo.get(memoKey);
        if (pid === undefined) pid = this.newProc(name, site, (pb) => this.funcBody(fc, lit, field(lit, 'body') as Node, c.env, pb, [...c.inlining, lit], undefined, c.depth), memoKey);
        const p = pid;
        return [...this.effects(args[0], -1, c), (k) => c.pb.emit({ k: 'go', proc: p, next: k, site })];
      }
    }
    // A function literal passed in as an argument (`func (g *group) Go(f func()) { ... f() }`) runs here.
    const bf = opaque ? undefined : this.boundFn(fn, c);
    if (bf) {
      this.consumed.add(fn);
      return [...argOps(), (k) => this.runFnValue(bf, call, k, c, c.pb, outerAt(c, call.start))];
    }
    // A function literal called in place runs here.
    if (callee.kind === 'literal' && !opaque) {
      const lit = callee.fn;
      const params = paramVars(fc, lit);
      if (args.length > 0 && params.length > 0) {
        const env = new Map(c.env);
        args.forEach((a, i) => {
          const p = params[i];
          const b = p ? this.bindingOf(a, c, false) : undefined;
          if (p && b && 'obj' in b) {
            this.bindingOf(a, c, true);
            env.set(p, b);
            this.watched.push({ fc, v: p });
          }
        });
        return [...args.flatMap((a) => this.effects(a, -1, c)), (k) => this.funcBody(fc, lit, field(lit, 'body') as Node, env, c.pb, c.inlining, k, c.depth, outerAt(c, call.start))];
      }
      return [(k) => this.funcBody(fc, lit, field(lit, 'body') as Node, c.env, c.pb, c.inlining, k, c.depth, outerAt(c, call.start))];
    }
    if (opaque) return undefined;
    const target = this.inlinable(call, c);
    if (target) return [...target.pre, (k) => this.withVals(target, () => this.funcBody(target.fc, target.fc.decl, target.fc.body as Node, target.env, c.pb, [...c.inlining, target.fc.decl], k, c.depth + 1, outerAt(c, call.start)))];
    return undefined;
  }

  /** A method call on a modelled object. */
  private objMethod(o: number, name: string, args: Node[], call: Node, c: Ctx): Array<(k: number) => number> {
    const ob = this.objs[o] as Obj;
    const site = this.site(call, c);
    const line = c.fc.file.line(call.start);
    const unknown = (): never => {
      throw new GiveUp(`${ob.name}.${name} at line ${line}`);
    };
    switch (ob.kind) {
      case 'mutex':
      case 'rwmutex':
        if (!/^(R?Lock|R?Unlock)$/.test(name) || (ob.kind === 'mutex' && name.startsWith('R'))) return unknown();
        this.hasBlockingOp = true;
        return [(k) => c.pb.emit({ k: lockKind(name), obj: o, next: k, site })];
      case 'wg': {
        if (name === 'Done') return [(k) => c.pb.emit({ k: 'add', obj: o, n: -1, next: k, site })];
        if (name === 'Wait') {
          this.hasBlockingOp = true;
          return [(k) => c.pb.emit({ k: 'wait', obj: o, next: k, site })];
        }
        if (name === 'Add') {
          const n = args[0] ? knownInt(c.fc, args[0]) : undefined;
          if (n === undefined) return unknown();
          return [(k) => c.pb.emit({ k: 'add', obj: o, n, next: k, site })];
        }
        if (name === 'Go' && args[0]) {
          // Go 1.25 WaitGroup.Go(f): Add(1); go func(){ defer Done(); f() }().
          const b = this.bindingOf(args[0], c, true);
          const f = b && 'fn' in b ? b.fn : undefined;
          if (!f) return unknown();
          const start = c.fc.file.line(call.start);
          const memoKey = `${c.fc.file.path}:${call.start}:wg:${envKey(c.env)}`;
          let pid = this.procMemo.get(memoKey);
          if (pid === undefined)
            pid = this.newProc(`the goroutine started by ${ob.name}.Go at line ${start}`, site, (pb) => {
              const done = pb.emit({ k: 'add', obj: o, n: -1, next: pb.emit({ k: 'end', site }), site });
              // A Goexit in f runs the deferred Done; a panic stops the program (Go's wrapper does not recover).
              return this.funcBody(f.fc, f.lit, field(f.lit, 'body') as Node, f.env, pb, [...c.inlining, f.lit], done, c.depth, { goexit: () => done, panicked: () => pb.emit({ k: 'halt', site }) });
            }, memoKey);
          const p = pid;
          return [(k) => c.pb.emit({ k: 'add', obj: o, n: 1, next: c.pb.emit({ k: 'go', proc: p, next: k, site }), site })];
        }
        return unknown();
      }
      case 'cond':
        if (name === 'Wait') {
          this.hasBlockingOp = true;
          return [(k) => c.pb.emit({ k: 'cwait', obj: o, next: k, site })];
        }
        if (name === 'Signal' || name === 'Broadcast') return [(k) => c.pb.emit({ k: name === 'Signal' ? 'signal' : 'broadcast', obj: o, next: k, site })];
        return unknown();
      case 'once': {
        if (name !== 'Do' || !args[0]) return unknown();
        const f = unparen(args[0]);
        this.hasBlockingOp = true;
        return [
          (k) => {
            const done = c.pb.emit({ k: 'oncedone', obj: o, next: k });
            let body = done;
            if (f.type === 'func_literal') body = this.funcBody(c.fc, f, field(f, 'body') as Node, c.env, c.pb, c.inlining, done, c.depth, outerAt(c, call.start));
            else {
              const target = f.type === 'identifier' || f.type === 'selector_expression' ? this.funcValue(f, c) : undefined;
              if (target) body = this.funcBody(target.fc, target.fc.decl, target.fc.body as Node, target.env, c.pb, [...c.inlining, target.fc.decl], done, c.depth + 1, outerAt(c, call.start));
            }
            return c.pb.emit({ k: 'once', obj: o, body, next: k, site });
          },
        ];
      }
      case 'ctx':
        if (name === 'Err' || name === 'Value' || name === 'Deadline') return [];
        return unknown();
      default:
        return unknown();
    }
  }

  /** A same-package function named as a value (`once.Do(s.init)`, `once.Do(setup)`), bound like a call without arguments. */
  private funcValue(f: Node, c: Ctx): { fc: FuncCtx; env: Map<LocalVar, Binding> } | undefined {
    if (c.depth >= 3) return undefined;
    const pkg = c.fc.facts.pkg;
    if (f.type === 'identifier') {
      const o = c.fc.res.pkgObjOf(f);
      if (o?.kind !== 'func' || o.pkg !== pkg) return undefined;
      const tfc = c.fc.facts.funcCtxOfDecl(o.node);
      return tfc?.body && !c.inlining.includes(o.node) ? { fc: tfc, env: new Map() } : undefined;
    }
    if (f.type === 'selector_expression') {
      // A method value on a variable (`c.load`): the method with its receiver bound.
      const op = field(f, 'operand');
      const name = field(f, 'field');
      if (!op || !name) return undefined;
      const m = lookupMethod(c.fc.res.typeOf(op), c.fc.text(name));
      if (!m?.decl || m.pkg !== pkg.importPath || c.inlining.filter((d) => d === m.decl).length > 1) return undefined;
      const tfc = c.fc.facts.funcCtxOfDecl(m.decl);
      const rv = tfc ? recvVar(tfc) : undefined;
      const b = this.bindingOf(op, c, false);
      if (!tfc?.body || !rv || !b) return undefined;
      this.bindingOf(op, c, true);
      if (this.watches(b)) this.watched.push({ fc: tfc, v: rv });
      return { fc: tfc, env: new Map([[rv, b]]) };
    }
    return undefined;
  }

  /**
   * Whether the deferred call of `d` stops a panic: only a function called directly by the
   * deferral can recover (Go spec, "Handling panics"), so a literal or a function of this
   * package recovers when its own body (not a literal inside it) calls `recover`. The
   * standard library's functions do not; another package's function or a function value
   * the model cannot name may.
   */
  private recovers(d: Node, c: Ctx): Recovers {
    const call = unparen(named(d)[0] ?? d);
    if (call.type !== 'call_expression') return 'no';
    const callee = c.fc.res.callee(call);
    switch (callee.kind) {
      case 'builtin':
      case 'conversion':
        return 'no';
      case 'literal':
        return callsRecover(c.fc, callee.fn) ? 'yes' : 'no';
      case 'local': {
        const f = this.boundFn(unparen(field(call, 'function') ?? call), c);
        return f ? (callsRecover(f.fc, f.lit) ? 'yes' : 'no') : 'maybe';
      }
      case 'func':
      case 'method': {
        const pkgPath = callee.kind === 'func' ? callee.obj.pkg.importPath : callee.method.pkg;
        const decl = callee.kind === 'func' ? callee.obj.node : callee.method.decl;
        if (pkgPath === c.fc.facts.pkg.importPath && decl) {
          const tfc = c.fc.facts.funcCtxOfDecl(decl);
          return tfc ? (callsRecover(tfc, decl) ? 'yes' : 'no') : 'maybe';
        }
        // Standard-library import paths have no dot in their first element (cmd/go, "Import path checking").
        return pkgPath.split('/')[0]?.includes('.') ? 'maybe' : 'no';
      }
      default:
        return 'maybe';
    }
  }

  /**
   * The deferred call `d` run before `k`; `panicking` is what `recover()` returns in it
   * (see {@link recoverValue}): the state is set while its body is translated.
   */
  private deferred(d: Node, k: number, c: Ctx, panicking: boolean | undefined): number {
    const call = unparen(named(d)[0] ?? d);
    const callee = call.type === 'call_expression' ? c.fc.res.callee(call) : undefined;
    const fn = callee?.kind === 'literal' ? callee.fn : callee?.kind === 'func' ? callee.obj.node : callee?.kind === 'method' ? callee.method.decl : undefined;
    const saved = this.recoverState;
    this.recoverState = fn && panicking !== undefined ? { fn, panicking } : undefined;
    try {
      return this.chain(this.effects(call, -1, c), k, c);
    } finally {
      this.recoverState = saved;
    }
  }

  /** While a deferred call's body is translated: that function and whether a panic is unwinding into it. */
  private recoverState: { fn: Node; panicking: boolean } | undefined;

  /**
   * Whether `x` — `recover()` or a local initialised with it and never assigned again — is
   * non-nil here: only in the deferred function itself (recover returns nil anywhere else,
   * and when no panic is unwinding); undefined when `x` is no such value or it is not known.
   * A panic's value is never nil since Go 1.21 (`panic(nil)` panics with a *runtime.PanicNilError).
   */
  private recoverValue(x0: Node, c: Ctx): boolean | undefined {
    let x = unparen(x0);
    if (x.type === 'identifier') {
      const v = c.fc.res.localOf(x);
      if (!v || v.kind !== 'var' || !v.init || v.init.count !== 1 || !this.neverReassigned(c.fc, v)) return undefined;
      x = unparen(v.init.expr);
    }
    if (x.type !== 'call_expression') return undefined;
    const callee = c.fc.res.callee(x);
    if (callee.kind !== 'builtin' || callee.name !== 'recover') return undefined;
    const st = this.recoverState;
    if (st && st.fn === c.fn) return st.panicking;
    // Not called directly by a deferred function whose panic state is known.
    return st ? false : undefined;
  }
}

/** A type whose values can be nil (interfaces, pointers, maps, slices, channels, functions). */
function nilable(t: Type): boolean {
  const u = underlying(t);
  return u.kind === 'interface' || u.kind === 'pointer' || u.kind === 'map' || u.kind === 'slice' || u.kind === 'chan' || u.kind === 'func';
}

/** An ordering comparison (`<`, `<=`, `>`, `>=`). */
function relational(fc: FuncCtx, cond: Node): boolean {
  return cond.type === 'binary_expression' && /^[<>]=?$/.test(fc.text(cond.children.find((x) => !x.named) ?? cond));
}

/** A ticker's channel (`t.C` of a *time.Ticker, `time.Tick(d)`): when it ticks relative to the rest of the program is timing. */
function isTick(fc: FuncCtx, e: Node | undefined): boolean {
  return timeChan(fc, e, 'time.Tick', 'Ticker');
}

/**
 * A timer made once in a local and never reset, whose channel is only received from in
 * select cases of the function that makes it: `t := time.NewTimer(d)` read as `t.C` (calls
 * of `t.Stop()` allowed), or `to := time.After(d)` read as `to`. Given `e`, the expression
 * received from (`t.C`, `to`) or the variable's own identifier (with `v0`), returns the
 * variable. Such a channel delivers one value ("NewTimer creates a new Timer that will send
 * the current time on its channel after at least duration d"; only Reset re-arms it), so a
 * select that took it once can never take it again.
 */
function onceTimer(fc: FuncCtx, e: Node | undefined, v0?: LocalVar): LocalVar | undefined {
  if (!e) return undefined;
  const u = unparen(e);
  const id = u.type === 'selector_expression' && fc.text(field(u, 'field') ?? u) === 'C' ? unparen(field(u, 'operand') ?? u) : u;
  if (id.type !== 'identifier') return undefined;
  const v = v0 ?? fc.res.localOf(id);
  if (!v || v.kind !== 'var' || !v.init || v.init.count !== 1 || v.ident.parent?.parent?.type !== 'short_var_declaration') return undefined;
  const name = importedCallName(fc, unparen(v.init.expr));
  const viaC = name === 'time.NewTimer';
  if (!viaC && name !== 'time.After') return undefined;
  if (!v0 && viaC !== (id !== u)) return undefined;
  for (const r of fc.res.refs.get(v) ?? []) {
    if (r === v.ident) continue;
    // Read in the function that made it (a goroutine's literal has its own flags).
    let fn: Node | null | undefined = r.parent;
    while (fn && fn.type !== 'func_literal' && fn.type !== 'function_declaration' && fn.type !== 'method_declaration') fn = fn.parent;
    if (fn !== v.func) return undefined;
    let x: Node = r;
    if (viaC) {
      const sel = x.parent;
      if (sel?.type !== 'selector_expression' || field(sel, 'operand') !== x) return undefined;
      const f = fc.text(field(sel, 'field') ?? sel);
      if (f === 'Stop' && sel.parent?.type === 'call_expression' && sel.parent.parent?.type === 'expression_statement') continue;
      if (f === 'Stop' && sel.parent?.type === 'call_expression' && sel.parent.parent?.type === 'defer_statement') continue;
      if (f !== 'C') return undefined;
      x = sel;
    }
    while (x.parent?.type === 'parenthesized_expression') x = x.parent;
    const recv = x.parent;
    if (recv?.type !== 'unary_expression' || !fc.text(recv).startsWith('<-')) return undefined;
    let cc: Node | null | undefined = recv.parent;
    if (cc?.type === 'receive_statement' || cc?.type === 'expression_list') cc = cc.parent;
    if (cc?.type === 'receive_statement') cc = cc.parent;
    if (cc?.type !== 'communication_case') return undefined;
  }
  return v;
}

/** A timer's channel: `time.After(d)`, or `t.C` of a *time.Timer. */
function isTimer(fc: FuncCtx, e: Node | undefined): boolean {
  return timeChan(fc, e, 'time.After', 'Timer');
}

/** `fn(d)` of package time, or the `C` field of a time.`typ` (pointer or value). */
function timeChan(fc: FuncCtx, e: Node | undefined, fn: string, typ: string): boolean {
  if (!e) return false;
  const u = unparen(e);
  if (u.type === 'call_expression') {
    const callee = fc.res.callee(u);
    return callee.kind === 'func' && callee.fullName === fn;
  }
  if (u.type !== 'selector_expression' || fc.text(field(u, 'field') ?? u) !== 'C') return false;
  const op = field(u, 'operand');
  return !!op && isNamedOrPtr(fc.res.typeOf(op), 'time', typ);
}

/** `ctx.Done()` of a context.Context. */
function isCtxDone(fc: FuncCtx, e: Node | undefined): boolean {
  const u = e ? unparen(e) : undefined;
  if (u?.type !== 'call_expression') return false;
  const fn = field(u, 'function');
  if (fn?.type !== 'selector_expression' || fc.text(field(fn, 'field') ?? fn) !== 'Done') return false;
  const op = field(fn, 'operand');
  return !!op && isNamedOrPtr(fc.res.typeOf(op), 'context', 'Context');
}

/** A method call on a testing.T / B / F / TB value. */
function isTestingCall(fc: FuncCtx, fn: Node): boolean {
  if (fn.type !== 'selector_expression') return false;
  const op = field(fn, 'operand');
  if (!op) return false;
  const t = deref(fc.res.typeOf(op));
  return t.kind === 'named' && t.pkg === 'testing' && /^(T|B|F|TB)$/.test(t.name);
}

function lockKind(name: string): 'lock' | 'unlock' | 'rlock' | 'runlock' {
  return name === 'Lock' ? 'lock' : name === 'Unlock' ? 'unlock' : name === 'RLock' ? 'rlock' : 'runlock';
}

function d2k(name: string): ObjKind | undefined {
  return name === 'Mutex' ? 'mutex' : name === 'RWMutex' ? 'rwmutex' : name === 'Once' ? 'once' : undefined;
}

function stmtList(n: Node): Node[] {
  if (n.type === 'block') return n.children.flatMap((c) => (c.type === 'statement_list' ? named(c) : c.named && c.type !== 'comment' ? [c] : []));
  if (n.type === 'statement_list') return named(n).filter((c) => c.type !== 'comment');
  return [n];
}

/** Whether function `fn` (a declaration or literal of `fc`) calls the builtin `recover` itself (not in a literal it contains). */
function callsRecover(fc: FuncCtx, fn: Node): boolean {
  const body = field(fn, 'body');
  if (!body) return false;
  let found = false;
  walk(body, (n) => {
    if (found || n.type === 'func_literal') return false;
    if (n.type === 'call_expression') {
      const callee = fc.res.callee(n);
      if (callee.kind === 'builtin' && callee.name === 'recover') found = true;
    }
    return !found;
  });
  return found;
}

/** Defer statements of `fn`'s body (not of nested literals); a defer in a loop or branch that touches objects is handled where it is (it runs at every exit after it). */
function collectDefers(fc: FuncCtx, body: Node, fn: Node): Node[] {
  const out: Node[] = [];
  walk(body, (n) => {
    if (n.type === 'func_literal') return false;
    if (n.type === 'defer_statement') {
      if (inLoopOf(n, fn)) throw new GiveUp(`defer in a loop at line ${fc.file.line(n.start)}`);
      // A defer inside an if/switch runs only on some paths: the model would run it on all.
      for (let p = n.parent; p && p !== body; p = p.parent) {
        if (p.type === 'if_statement' || p.type.endsWith('switch_statement') || p.type === 'select_statement') {
          if (/Unlock|Done|close|cancel|Signal|Broadcast|<-|\bfunc\b/.test(fc.text(n))) throw new GiveUp(`conditional defer at line ${fc.file.line(n.start)}`);
        }
      }
      out.push(n);
    }
  });
  // Deferred calls run last-in first-out: building backwards from the end, the first defer is added last.
  return out;
}

/** The caller's frame for a body inlined at `pos` in `c`: a Goexit or panic there goes on through `c`'s deferred calls. */
function outerAt(c: Ctx, pos: number): Outer {
  return { goexit: () => c.goexit(pos), panicked: () => c.panicked(pos) };
}

function inLoopOf(n: Node, fn: Node): boolean {
  for (let p = n.parent; p && p !== fn; p = p.parent) {
    if (p.type === 'for_statement') return true;
    if (p.type === 'func_literal') return false;
  }
  return false;
}

function paramVars(fc: FuncCtx, fn: Node): LocalVar[] {
  const out: LocalVar[] = [];
  const params = field(fn, 'parameters');
  if (!params) return out;
  for (const p of named(params)) for (const n of p.children.filter((x) => x.field === 'name')) {
    const v = fc.res.defs.get(n);
    if (v) out.push(v);
  }
  return out;
}

function recvVar(fc: FuncCtx): LocalVar | undefined {
  const r = field(fc.decl, 'receiver');
  const p = r ? named(r)[0] : undefined;
  const n = p ? field(p, 'name') : undefined;
  return n ? fc.res.defs.get(n) : undefined;
}

/** A reference that assigns the variable, increments it, or takes its address. */
function writesOrTakes(fc: FuncCtx, r: Node): boolean {
  const p = r.parent;
  if (p?.type === 'expression_list' && p.field === 'left') return true;
  if (p?.type === 'inc_statement' || p?.type === 'dec_statement') return true;
  return p?.type === 'unary_expression' && fc.text(p).startsWith('&');
}

/** A plain constant's text: a string literal without escapes, or a decimal integer. */
function plainConst(t: string): string | undefined {
  return /^"[^"\\]*"$/.test(t) || /^-?\d+$/.test(t) ? t : undefined;
}

/** The elements of a slice literal whose elements are all plain constants (`[]string{"a", ""}`). */
function constElems(fc: FuncCtx, n: Node): string[] | undefined {
  const u = unparen(n);
  if (u.type !== 'composite_literal') return undefined;
  const t = underlying(fc.res.typeOf(u));
  if (t.kind !== 'slice' && t.kind !== 'array') return undefined;
  const out: string[] = [];
  for (const e of named(field(u, 'body') ?? u)) {
    const x = e.type === 'literal_element' ? named(e)[0] : undefined;
    const v = x ? plainConst(fc.text(x)) : undefined;
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}

/** A constant integer argument, or the length of a slice or array literal without keys. */
/** Sets `into`'s entries in `scope` and returns what puts back the values they had (or their absence). */
function bindScoped<K, V>(scope: Map<K, V>, into: ReadonlyMap<K, V>): () => void {
  const saved = [...into.keys()].map((k) => [k, scope.get(k)] as const);
  for (const [k, v] of into) scope.set(k, v);
  return () => {
    for (const [k, v] of saved) {
      if (v === undefined) scope.delete(k);
      else scope.set(k, v);
    }
  };
}

function knownArg(c: Ctx, a: Node, vals: Map<LocalVar, number>): number | undefined {
  const u = unparen(a);
  if (u.type === 'composite_literal') {
    const t = underlying(c.fc.res.typeOf(u));
    if (t.kind !== 'slice' && t.kind !== 'array') return undefined;
    const els = named(field(u, 'body') ?? u);
    return els.every((e) => e.type === 'literal_element') ? els.length : undefined;
  }
  if (u.type === 'identifier') {
    const v = c.fc.res.localOf(u);
    if (v && vals.has(v)) return vals.get(v);
  }
  const t = underlying(c.fc.res.typeOf(u));
  if (t.kind !== 'basic' || !/^u?int/.test(t.name)) return undefined;
  return c.fc.res.constValue(u);
}

/** Whether parameter i of a declaration is the variadic one (`xs ...T`). */
function paramVariadic(fc: FuncCtx, decl: Node, i: number): boolean {
  const params = field(decl, 'parameters');
  if (!params) return false;
  let n = 0;
  for (const p of named(params)) {
    const names = p.children.filter((x) => x.field === 'name').length || 1;
    if (i < n + names) return p.type === 'variadic_parameter_declaration' || fc.text(p).includes('...');
    n += names;
  }
  return false;
}

function isBool(t: Type): boolean {
  const u = underlying(t);
  return u.kind === 'basic' && u.name === 'bool';
}

/** The root key of a variable (its declaration's position). */
function varKey(fc: FuncCtx, v: LocalVar): string {
  return `${fc.file.path}:${v.ident.start}`;
}

/** The struct literal of `&T{...}` or `T{...}`. */
function compositeOf(e: Node): Node | undefined {
  let u = unparen(e);
  if (u.type === 'unary_expression' && u.children.some((x) => !x.named && x.type === '&')) u = unparen(field(u, 'operand') ?? u);
  return u.type === 'composite_literal' ? u : undefined;
}

/** The capacity of `make(chan T, n)` with `n` a known integer up to 64. */
function chanMake(fc: FuncCtx, e: Node): number | undefined {
  if (e.type !== 'call_expression') return undefined;
  const callee = fc.res.callee(e);
  if (callee.kind !== 'builtin' || callee.name !== 'make') return undefined;
  const args = callArgs(e);
  const ct = args[0] ? fc.res.typeFromExpr(args[0]) : undefined;
  if (!ct || underlying(ct).kind !== 'chan') return undefined;
  const cap = args[1] ? knownInt(fc, args[1]) : 0;
  return cap === undefined || cap > 64 ? undefined : cap;
}

/**
 * `make(chan T, n)` in a constructor whose parameter `n` is bound to a known integer at
 * the call (`newLimitGroup(2)`).
 */
function ctorCap(fc: FuncCtx, e: Node, args: Map<LocalVar, { fc: FuncCtx; node: Node }> | undefined): number | undefined {
  if (!args || e.type !== 'call_expression') return undefined;
  const callee = fc.res.callee(e);
  if (callee.kind !== 'builtin' || callee.name !== 'make') return undefined;
  const [t, n] = callArgs(e);
  const ct = t ? fc.res.typeFromExpr(t) : undefined;
  const u = n ? unparen(n) : undefined;
  if (!ct || underlying(ct).kind !== 'chan' || u?.type !== 'identifier') return undefined;
  const v = fc.res.localOf(u);
  const a = v ? args.get(v) : undefined;
  const cap = a ? knownInt(a.fc, a.node) : undefined;
  return cap === undefined || cap < 0 || cap > 64 ? undefined : cap;
}

/** A value of this type may hold a concurrency object (or a flag the model tracks): unknown types may. */
function mayHoldObj(t: Type, depth: number): boolean {
  if (depth > 3) return true;
  switch (t.kind) {
    case 'basic':
      return t.name === 'bool';
    case 'interface':
      return false;
    case 'named':
      if (t.pkg === 'sync' || t.pkg === 'context') return true;
      // A type of another package cannot hold this entry's objects unless through a field of a type checked here.
      return t.ref ? mayHoldObj(t.ref.underlying(), depth + 1) : false;
    case 'pointer':
    case 'slice':
    case 'array':
      return mayHoldObj(t.elem, depth + 1);
    case 'map':
      return mayHoldObj(t.value, depth + 1);
    case 'struct':
      return t.fields.some((f) => mayHoldObj(f.type, depth + 1));
    case 'chan':
    case 'func':
      return true;
    default:
      return true;
  }
}

function envKey(env: Map<LocalVar, Binding>): string {
  return [...env].map(([v, b]) => `${v.ident.start}=${'obj' in b ? `o${b.obj}` : 'fn' in b ? `f${b.fn.lit.start}[${envKey(b.fn.env)}]` : b.root}`).join(',');
}

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 40 ? `${one.slice(0, 37)}...` : one;
}

function baseName(p: string): string {
  return p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
}

/**
 * `for i := 0; i < bound; i++`: the bound expression, the counter variable and the update
 * statement (callers decide what else may change the counter).
 */
function countedLoopOf(fc: FuncCtx, clause: Node): { bound: Node | undefined; counter: LocalVar | undefined; update: Node } | undefined {
  const init = field(clause, 'initializer');
  const cond = field(clause, 'condition');
  const update = field(clause, 'update');
  if (!init || !cond || !update || init.type !== 'short_var_declaration' || cond.type !== 'binary_expression') return undefined;
  const iv = exprList(field(init, 'left'))[0];
  const start = exprList(field(init, 'right'))[0];
  const op = fc.text(cond.children.find((x) => !x.named) ?? cond);
  if (!iv || !start || fc.text(start) !== '0' || op !== '<' || fc.text(field(cond, 'left') ?? cond) !== fc.text(iv) || fc.text(update).replace(/\s/g, '') !== `${fc.text(iv)}++`) return undefined;
  return { bound: field(cond, 'right'), counter: fc.res.defs.get(iv), update };
}

/** A comparison operator the model decides on counts. */
type CmpOp = '<' | '<=' | '>' | '>=' | '==' | '!=';
/** The operator a comparison keeps when its sides are swapped (`3 > n` is `n < 3`). */
const SWAPPED: Record<CmpOp, CmpOp> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' };
const isCmpOp = (op: string): op is CmpOp => Object.hasOwn(SWAPPED, op);

/**
 * An ordered comparison or (in)equality `l op r`, its sides swapped (and the operator
 * mirrored) when `swap(l, r)` holds, so a caller sees the operand it decides on the left.
 */
function comparison(fc: FuncCtx, cond: Node, swap: (l: Node, r: Node) => boolean): { op: CmpOp; l: Node; r: Node } | undefined {
  if (cond.type !== 'binary_expression') return undefined;
  const op = fc.text(cond.children.find((x) => !x.named) ?? cond);
  if (!isCmpOp(op)) return undefined;
  const l = field(cond, 'left');
  const r = field(cond, 'right');
  if (!l || !r) return undefined;
  return swap(l, r) ? { op: SWAPPED[op], l: r, r: l } : { op, l, r };
}
