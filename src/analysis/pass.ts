/**
 * @fileoverview What a rule sees when it runs on one package: the package model, the
 * functions worth looking at, per-function resolution and CFGs, shared per-package
 * facts (function summaries), and `report`.
 */
import { buildCFG, reachableBlocks, type CFG } from '../go/cfg.js';
import type { Package } from '../go/package.js';
import { FuncResolution } from '../go/resolve.js';
import type { SourceFile } from '../go/source.js';
import { NO_RETURN } from '../go/stubs.js';
import { field, named, unparen, type Node } from '../go/syntax.js';
import { deref, type Type } from '../go/types.js';
import { constBool } from './conds.js';
import type { Finding, Severity } from './finding.js';
import type { Report, Rule } from './rule.js';
import { requiredWords, vocabularyBits, wordBit, wordBits } from './triggers.js';

/** One top-level function (or method) with its resolution and lazily built CFGs. */
export class FuncCtx {
  readonly file: SourceFile;
  readonly decl: Node;
  readonly body: Node | undefined;
  readonly res: FuncResolution;
  private cfgs = new Map<Node, CFG>();

  constructor(
    readonly facts: PackageFacts,
    file: SourceFile,
    decl: Node,
  ) {
    this.file = file;
    this.decl = decl;
    this.body = file.body(decl);
    this.res = new FuncResolution(facts.pkg, file, decl, this.body);
  }

  /** Source text of a node. */
  text(n: Node): string {
    return this.file.textOf(n);
  }

  /** The CFG of `fn` (this declaration or a func literal inside it). */
  cfg(fn: Node = this.decl): CFG | undefined {
    const c = this.cfgs.get(fn);
    if (c) return c;
    const body = fn === this.decl ? this.body : field(fn, 'body');
    if (!body) return undefined;
    const g = buildCFG(
      body,
      (n) => this.text(n),
      (call) => this.facts.noReturn(this, call),
      (cond) => constBool(this, cond),
    );
    this.cfgs.set(fn, g);
    return g;
  }

  /**
   * The name of `fn` (this declaration or a literal inside it) for messages: the
   * declaration's name, or `the goroutine started at line N in F` / `the function literal
   * at line N in F`, so a message points at the code that really runs.
   */
  nameOf(fn: Node): string {
    if (fn === this.decl) return this.name;
    const line = this.file.line(fn.start);
    const started = fn.parent?.type === 'call_expression' && fn.parent.parent?.type === 'go_statement';
    return started ? `the goroutine started at line ${line} in ${this.name}` : `the function literal at line ${line} in ${this.name}`;
  }

  /** The function name for messages (`Type.Method` or `name`). */
  get name(): string {
    const n = field(this.decl, 'name');
    const base = n ? this.text(n) : '?';
    if (this.decl.type !== 'method_declaration') return base;
    const recv = field(this.decl, 'receiver');
    const p = recv ? named(recv)[0] : undefined;
    const t = p ? field(p, 'type') : undefined;
    return t ? `${this.text(t).replace(/^\*/, '').replace(/\[.*$/, '')}.${base}` : base;
  }
}

interface DeclText {
  decl: Node;
  file: SourceFile;
  text: string;
}

/** Per-package facts shared by all rules (so summaries are computed once). */
export class PackageFacts {
  private funcs = new Map<Node, FuncCtx>();
  private memos = new Map<string, unknown>();
  private noReturnFuncs = new Map<Node, boolean>();

  constructor(readonly pkg: Package) {}

  /**
   * The functions selected by each trigger pattern, by its source and flags: several rules
   * share a pattern (three ask for `\.R?Lock\(\)`), and some ask again while they run. Sound
   * because `test` of a pattern without the global or sticky flag depends only on its
   * source, its flags and the text.
   */
  private selected = new Map<string, FuncCtx[]>();

  /** All function declarations of the package in parsed files whose body text matches `triggers` (a new array: callers may change it). */
  functions(triggers: RegExp): FuncCtx[] {
    const stateless = !triggers.global && !triggers.sticky;
    const key = stateless ? `${triggers.flags}/${triggers.source}` : '';
    const have = stateless ? this.selected.get(key) : undefined;
    if (have) return have.slice();
    const out: FuncCtx[] = [];
    const texts = this.declTexts();
    // A stateless pattern is tested only on the declarations that spell the words each of its
    // matches needs (see triggers.ts); a global or sticky one on every declaration, in order,
    // as its lastIndex expects.
    const need = stateless ? requirementMasks(triggers, key) : undefined;
    const bits = need ? this.wordBits() : undefined;
    for (let i = 0; i < texts.length; i++) {
      const { decl, file, text } = texts[i] as DeclText;
      if (need && bits && !meets(bits[i] as number, need)) continue;
      if (triggers.test(text)) out.push(this.funcCtx(decl, file));
    }
    if (stateless) this.selected.set(key, out.slice());
    return out;
  }

  private texts: DeclText[] | undefined;

  /**
   * The text of each function with a body, then of each var declaration holding a func literal
   * (every rule asks; `functions` lists them in this order).
   */
  private declTexts(): DeclText[] {
    if (this.texts) return this.texts;
    const out: DeclText[] = [];
    for (const { decl, file } of this.pkg.funcDecls) {
      if (decl.children.some((c) => c.field === 'body')) out.push({ decl, file, text: file.text.slice(decl.start, decl.end) });
    }
    for (const { decl, file } of this.pkg.varDecls) {
      const text = file.text.slice(decl.start, decl.end);
      if (text.includes('func')) out.push({ decl, file, text });
    }
    return (this.texts = out);
  }

  private bits: Int32Array | undefined;
  private bitsOf = 0;

  /** Which trigger words each of `declTexts` spells (rescanned only when the thread's vocabulary grew since). */
  private wordBits(): Int32Array {
    const v = vocabularyBits();
    if (this.bits && this.bitsOf === v) return this.bits;
    this.bitsOf = v;
    return (this.bits = wordBits(this.declTexts().map((t) => t.text)));
  }

  /** The FuncCtx of a declaration (created on first use). */
  funcCtx(decl: Node, file: SourceFile): FuncCtx {
    let fc = this.funcs.get(decl);
    if (!fc) this.funcs.set(decl, (fc = new FuncCtx(this, file, decl)));
    return fc;
  }

  /** The FuncCtx of a same-package function or method declaration node, if its file is known. */
  funcCtxOfDecl(decl: Node): FuncCtx | undefined {
    const f = this.pkg.fileOf(decl);
    return f ? this.funcCtx(decl, f) : undefined;
  }

  /** Memoises a per-package computation (function summaries, indexes). */
  memo<T>(key: string, compute: () => T): T {
    // One lookup when the value is there (asked thousands of times per package); `has` only tells a memoised undefined from none.
    const have = this.memos.get(key);
    if (have !== undefined || this.memos.has(key)) return have as T;
    const v = compute();
    this.memos.set(key, v);
    return v;
  }

  /**
   * True when `call` never returns: panic, the stdlib functions in NO_RETURN, methods of
   * testing.TB, and same-package functions none of whose paths reach a normal return.
   */
  noReturn(fc: FuncCtx, call: Node): boolean {
    if (killsSelf(fc, call)) return true;
    const callee = fc.res.callee(call);
    if (callee.kind === 'builtin') return callee.name === 'panic';
    if (callee.kind === 'func') {
      if (NO_RETURN.has(callee.fullName)) return true;
      if (callee.obj.kind !== 'func') return false;
      if (callee.obj.pkg === this.pkg) return this.declNeverReturns(callee.obj.node);
      // Another package of the module, loaded for its declarations: the bodies that may end
      // without returning are kept (see declarationText), the others are unknown (returns).
      return !!field(callee.obj.node, 'body') && factsOf(callee.obj.pkg).declNeverReturns(callee.obj.node);
    }
    if (callee.kind === 'method') {
      if (NO_RETURN.has(callee.fullName)) return true;
      if (!callee.method.decl || !field(callee.method.decl, 'body')) return false;
      if (callee.method.pkg === this.pkg.importPath) return this.declNeverReturns(callee.method.decl);
      const owner = this.pkg.world.imported(callee.method.pkg, this.pkg);
      return !!owner && owner.fileOf(callee.method.decl) !== undefined && factsOf(owner).declNeverReturns(callee.method.decl);
    }
    // Interface methods: testing.TB has no method bodies in our model.
    const fn = field(call, 'function');
    if (fn && unparen(fn).type === 'selector_expression') {
      const op = field(unparen(fn), 'operand');
      const fl = field(unparen(fn), 'field');
      if (op && fl) {
        const t: Type = deref(fc.res.typeOf(op));
        const name = fc.text(fl);
        if (t.kind === 'named' && NO_RETURN.has(`testing.TB.${name}`) && (t.pkg === 'testing' || mirrorsTestingTB(t))) return true;
      }
    }
    return false;
  }

  /** True when no path of the declaration's body reaches its end or a return (false without a body). */
  declNeverReturns(decl: Node): boolean {
    const c = this.noReturnFuncs.get(decl);
    if (c !== undefined) return c;
    this.noReturnFuncs.set(decl, false); // recursion guard: assume it returns
    const fc = this.funcCtxOfDecl(decl);
    const g = fc?.cfg();
    let never = false;
    if (g) {
      never = !reachableBlocks(g.entry).has(g.exit);
    }
    this.noReturnFuncs.set(decl, never);
    return never;
  }
}

/** The word bits each alternative of a trigger needs (all of one alternative's), by pattern key; null when it needs none. */
const requirements = new Map<string, number[] | null>();

function requirementMasks(re: RegExp, key: string): number[] | undefined {
  let r = requirements.get(key);
  if (r === undefined) {
    const words = requiredWords(re);
    r = words ? words.map((alt) => alt.reduce((m, w) => m | wordBit(w), 0)) : null;
    // An alternative none of whose words got a bit rules nothing out.
    if (r && r.some((m) => m === 0)) r = null;
    requirements.set(key, r);
  }
  return r ?? undefined;
}

/** True when a declaration with word bits `bits` spells every word of some alternative. */
function meets(bits: number, need: number[]): boolean {
  for (let i = 0; i < need.length; i++) {
    const m = need[i] as number;
    if ((bits & m) === m) return true;
  }
  return false;
}

/** Facts of the packages other than the analysed one (loaded for their declarations), for noreturn questions. */
const otherFacts = new WeakMap<Package, PackageFacts>();

function factsOf(pkg: Package): PackageFacts {
  let f = otherFacts.get(pkg);
  if (!f) otherFacts.set(pkg, (f = new PackageFacts(pkg)));
  return f;
}

/**
 * The part of testing.TB's method set that makes a value a test handle: failing, skipping,
 * logging, cleanup. Projects that keep "testing" out of non-test code declare their own copy of
 * the interface (tailscale's `testenv.TB`, kubernetes' `ktesting.TB`); only the testing package's
 * T, B and F implement all of these, so `tb.Fatal` through such an interface ends the goroutine
 * (testing.common.FailNow calls runtime.Goexit) just as it does through testing.TB.
 */
const TESTING_TB_SURFACE = ['Cleanup', 'Error', 'Errorf', 'Fail', 'FailNow', 'Failed', 'Fatal', 'Fatalf', 'Helper', 'Log', 'Logf', 'Name', 'Skip', 'SkipNow', 'Skipf', 'Skipped'];

/** True when `t` is a named interface that declares every method of {@link TESTING_TB_SURFACE}. */
export function mirrorsTestingTB(t: Extract<Type, { kind: 'named' }>): boolean {
  const ms = t.ref?.interfaceMethods?.();
  return !!ms && TESTING_TB_SURFACE.every((m) => ms.has(m));
}

const KILL_PKGS = new Set(['syscall', 'golang.org/x/sys/unix']);
const PID_PKGS = new Set(['os', 'syscall', 'golang.org/x/sys/unix']);

/**
 * `importpath.Name` for a call of a function of an imported package (`fmt.Fprintf(...)` →
 * `fmt.Fprintf`, `unix.Kill` → `golang.org/x/sys/unix.Kill`), resolved through the
 * file's imports, without needing a model of that package.
 */
export function importedCallName(fc: FuncCtx, e: Node | undefined): string | undefined {
  const u = e ? unparen(e) : undefined;
  const f = u?.type === 'call_expression' ? field(u, 'function') : undefined;
  if (f?.type !== 'selector_expression') return undefined;
  const op = field(f, 'operand');
  const fl = field(f, 'field');
  const ip = op ? fc.res.importOf(op) : undefined;
  return ip && fl ? `${ip}.${fc.text(fl)}` : undefined;
}

/** `pkg.Name(...)` where pkg is one of the import paths `pkgs`. */
function pkgCall(fc: FuncCtx, e: Node | undefined, pkgs: Set<string>, name: string): boolean {
  const n = importedCallName(fc, e);
  const dot = n ? n.lastIndexOf('.') : -1;
  return !!n && pkgs.has(n.slice(0, dot)) && n.slice(dot + 1) === name;
}

/**
 * A call that sends a signal to the process itself: `syscall.Kill(syscall.Getpid(), sig)`
 * (also `unix.`, `os.Getpid()`), or `p.Kill()` / `p.Signal(sig)` on `p, _ :=
 * os.FindProcess(os.Getpid())`. A signal handler that re-raises the signal (after
 * `signal.Stop`) or kills itself ends the process there: a lock it holds is held until
 * exit by design.
 */
function killsSelf(fc: FuncCtx, call: Node): boolean {
  const f = field(call, 'function');
  if (f?.type !== 'selector_expression') return false;
  const op = field(f, 'operand');
  const fl = field(f, 'field');
  const name = fl ? fc.text(fl) : '';
  // Asked of every call a CFG is built over: the name decides before the arguments are listed.
  if (!op || (name !== 'Kill' && name !== 'Signal')) return false;
  const args = named(field(call, 'arguments') ?? call).filter((c) => c.type !== 'comment');
  if (name === 'Kill' && args.length === 2 && KILL_PKGS.has(fc.res.importOf(op) ?? '')) return pkgCall(fc, args[0], PID_PKGS, 'Getpid');
  const v = fc.res.varOf(op);
  if (!v?.init || v.init.index !== 0) return false;
  const init = unparen(v.init.expr);
  const pidArg = init.type === 'call_expression' ? named(field(init, 'arguments') ?? init)[0] : undefined;
  return pkgCall(fc, init, new Set(['os']), 'FindProcess') && pkgCall(fc, pidArg, PID_PKGS, 'Getpid');
}

/** The view of one package given to one rule. */
export class Pass {
  constructor(
    readonly pkg: Package,
    readonly rule: Rule,
    readonly facts: PackageFacts,
    readonly severity: Severity,
    private sink: (f: Finding) => void,
  ) {}

  /** The module's `go` version ('' when unknown). */
  get goVersion(): string {
    return this.pkg.goVersion;
  }

  /** Functions of the package whose bodies match this rule's triggers. */
  functions(): FuncCtx[] {
    return this.facts.functions(this.rule.triggers);
  }

  /**
   * This pass reporting at `severity` instead of the rule's default — for rules whose
   * severity depends on the code (e.g. the module's Go version). A severity the user set
   * in the configuration always wins.
   */
  withDefaultSeverity(severity: Severity): Pass {
    if (this.severity !== this.rule.meta.severity || this.severity === severity) return this;
    return new Pass(this.pkg, this.rule, this.facts, severity, this.sink);
  }

  /** Reports a finding at a node. */
  report(r: Report): void {
    const f: Finding = {
      ruleId: this.rule.meta.id,
      severity: this.severity,
      message: r.message,
      file: r.file.path,
      range: r.file.range(r.node),
    };
    if (r.fixHint) f.fixHint = r.fixHint;
    if (r.fix) f.fix = r.fix;
    if (r.related?.length) f.related = r.related;
    if (r.trace?.length) f.trace = r.trace;
    this.sink(f);
  }
}
