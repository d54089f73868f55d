/**
 * @fileoverview Code that runs at most once per process: `init` functions, package-level
 * variable initialisers, the function given to a package-level `sync.Once.Do`,
 * `sync.OnceFunc`, `sync.OnceValue` and `sync.OnceValues`, and unexported functions that
 * are only called from such places (or handed to those sync helpers). What such code
 * builds is a process-lifetime singleton: a worker pool it starts is meant to live as
 * long as the process, and a registry it fills is filled once.
 *
 * Precision first: a function referenced in any other way (stored, passed elsewhere,
 * called from a test or from a function that can run again), an exported function or
 * a method (other packages or interfaces may call it) does not run once.
 */
import { field, named, walk, type Node } from '../go/syntax.js';
import type { FuncCtx, PackageFacts } from './pass.js';
import type { SourceFile } from '../go/source.js';

/** sync functions whose result calls the function they are given at most once. */
const ONCE_FUNCS = new Set(['sync.OnceFunc', 'sync.OnceValue', 'sync.OnceValues']);

/**
 * True when the function given to `call` runs at most once per process: `once.Do(f)` on a
 * package-level sync.Once, or `sync.OnceFunc/OnceValue/OnceValues(f)` called once per
 * process itself (a package-level initialiser). A sync.Once in a struct runs once per
 * value, not per process.
 */
function onceCaller(facts: PackageFacts, decl: Node, fc: FuncCtx, call: Node): boolean {
  const c = fc.res.callee(call);
  if (c.kind === 'method' && c.fullName === 'sync.Once.Do') {
    let r = c.recv;
    while (r.type === 'parenthesized_expression' || r.type === 'unary_expression') r = r.children.find((k) => k.named) ?? r;
    if (r.type !== 'identifier' || fc.res.localOf(r)) return false;
    return fc.res.pkgObjOf(r)?.kind === 'var';
  }
  return c.kind === 'func' && ONCE_FUNCS.has(c.fullName) && runsOnce(facts, decl, call);
}

/**
 * True when node `n`, inside top-level declaration `decl` (a function or a package-level
 * var declaration of the analysed package), runs at most once per process.
 */
export function runsOnce(facts: PackageFacts, decl: Node, n: Node): boolean {
  const file = facts.pkg.fileOf(decl);
  if (!file) return false;
  const fc = facts.funcCtx(decl, file);
  for (let p = n.parent; p && p !== decl; p = p.parent) {
    if (p.type !== 'func_literal') continue;
    const call = p.parent?.type === 'argument_list' ? p.parent.parent : p.parent;
    // func() {...}(): runs where it is written; `go func() {...}()` runs on its own, for
    // as long as it likes (a loop started by init runs for the life of the process).
    if (p.parent?.type === 'call_expression' && field(p.parent, 'function') === p) {
      if (p.parent.parent?.type === 'go_statement') return false;
      continue;
    }
    // sync.OnceValue(func() T {...}), once.Do(func() {...}).
    if (call?.type === 'call_expression' && p.parent?.type === 'argument_list') return onceCaller(facts, decl, fc, call);
    return false; // a literal that may be called any number of times
  }
  return declRunsOnce(facts, decl);
}

/** Declarations whose `declRunsOnce` is being computed, per package (recursion guard). */
const visiting = new WeakMap<PackageFacts, Set<Node>>();

/** The whole declaration runs at most once per process. */
function declRunsOnce(facts: PackageFacts, decl: Node): boolean {
  return facts.memo(`runs-once:${facts.pkg.fileOf(decl)?.path}:${decl.start}`, () => {
    if (decl.type === 'var_declaration') return true;
    if (decl.type !== 'function_declaration') return false;
    const file = facts.pkg.fileOf(decl);
    const nameNode = field(decl, 'name');
    const name = file && nameNode ? file.textOf(nameNode) : '';
    // Not main.main: it runs once, but it is the whole program (its loops, its servers).
    if (name === 'init') return true;
    if (!file || !/^[\p{Ll}_]/u.test(name) || file.path.endsWith('_test.go')) return false;
    const refs = onceReferences(facts, decl, name);
    return refs !== undefined && refs > 0;
  });
}

/**
 * An exported function the package itself only calls where code runs once (or not at
 * all): a registration API (`Register(name, factory)`), which other packages call from
 * their `init` by the convention of database/sql.Register and image.RegisterFormat.
 */
export function registrationFunc(facts: PackageFacts, decl: Node): boolean {
  return facts.memo(`registration-func:${facts.pkg.fileOf(decl)?.path}:${decl.start}`, () => {
    if (decl.type !== 'function_declaration') return false;
    const file = facts.pkg.fileOf(decl);
    const nameNode = field(decl, 'name');
    const name = file && nameNode ? file.textOf(nameNode) : '';
    if (!file || !/^\p{Lu}/u.test(name) || file.path.endsWith('_test.go')) return false;
    // An HTTP handler runs per request, whoever registers it.
    if (isHTTPHandler(facts.funcCtx(decl, file), decl)) return false;
    return onceReferences(facts, decl, name, true) !== undefined;
  });
}

/**
 * How many references function `decl` (named `name`) has in the package, when each is a
 * call (or the argument of a once-caller) in code that runs once; undefined otherwise.
 * With `registration`, references in _test.go files are allowed (and not counted), and
 * so are calls from other registration functions.
 */
function onceReferences(facts: PackageFacts, decl: Node, name: string, registration = false): number | undefined {
  let active = visiting.get(facts);
  if (!active) visiting.set(facts, (active = new Set()));
  const stack = active;
  stack.add(decl);
  try {
    const re = new RegExp(`\\b${name}\\b`);
    let refs = 0;
    let once = true;
    // Only files that spell the name can hold a declaration that does (one test per file).
    const fileHas = new Map<SourceFile, boolean>();
    for (const { decl: d, file: f } of [...facts.pkg.funcDecls, ...facts.pkg.varDecls]) {
      if (!once) break;
      let has = fileHas.get(f);
      if (has === undefined) fileHas.set(f, (has = re.test(f.text)));
      if (!has || d === decl || !re.test(f.text.slice(d.start, d.end))) continue;
      const rfc = facts.funcCtx(d, f);
      walk(d, (x) => {
        if (!once) return false;
        if (x.type !== 'identifier' || x.end - x.start !== name.length || rfc.text(x) !== name || rfc.res.localOf(x)) return;
        const o = rfc.res.pkgObjOf(x);
        if (!o || o.node !== decl) return;
        refs++;
        if (f.path.endsWith('_test.go')) {
          // A test binary is short-lived: its calls do not make a registry grow at run time.
          if (!registration) once = false;
          return;
        }
        const parent = x.parent;
        const isCall = parent?.type === 'call_expression' && field(parent, 'function') === x;
        const asArg = parent?.type === 'argument_list' && parent.parent?.type === 'call_expression' && onceCaller(facts, d, rfc, parent.parent);
        if (asArg) return;
        // RegisterHandlerDirective(...) calling RegisterDirective(...): one registration API built on another.
        const viaRegistration = registration && isCall && !stack.has(d) && !inLiteral(x, d) && registrationFunc(facts, d);
        if (!viaRegistration && (!isCall || stack.has(d) || !runsOnce(facts, d, x))) once = false;
      });
    }
    return once ? refs : undefined;
  } finally {
    stack.delete(decl);
  }
}

/**
 * `func(w http.ResponseWriter, r *http.Request)`: the net/http handler signature, with
 * the qualifier resolved through the file's imports (net/http has no stub type model).
 */
function isHTTPHandler(fc: FuncCtx, decl: Node): boolean {
  const ps = named(field(decl, 'parameters') ?? decl).filter((p) => p.type === 'parameter_declaration');
  const types = ps.flatMap((p) => {
    const t = field(p, 'type');
    const n = Math.max(1, p.children.filter((c) => c.field === 'name').length);
    return t ? Array<Node>(n).fill(t) : [];
  });
  const httpType = (t: Node | undefined, name: string): boolean => {
    const pkg = t?.type === 'qualified_type' ? field(t, 'package') : undefined;
    const tn = t?.type === 'qualified_type' ? field(t, 'name') : undefined;
    return !!pkg && !!tn && fc.text(tn) === name && fc.facts.pkg.importPathOf(fc.file, fc.text(pkg)) === 'net/http';
  };
  const [w, r] = types;
  return types.length === 2 && httpType(w, 'ResponseWriter') && r?.type === 'pointer_type' && httpType(named(r)[0], 'Request');
}

/** True when `n` is inside a function literal within `decl`. */
function inLiteral(n: Node, decl: Node): boolean {
  for (let p = n.parent; p && p !== decl; p = p.parent) if (p.type === 'func_literal') return true;
  return false;
}
