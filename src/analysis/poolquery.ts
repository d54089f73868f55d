/**
 * @fileoverview Idle worker pools in a goroutine dump (issue 18, part 3). Every real
 * service has workers parked at the head of a loop that waits for work; a single dump
 * must not call them leaks. A group is a pool when its blocking line is the head of such
 * a loop, in the source:
 *
 * - `for x := range ch` (the range header) over a channel;
 * - a receive (`x := <-ch`, `x, ok := <-ch`, `<-ch`) or a `select` whose receive cases
 *   are the loop's work, as a statement of a `for` body (not nested in an `if`).
 *
 * Then the channels it waits on are named (a field `Server.jobs`, a package variable, or
 * a local channel of the function that started the workers, followed through the `go`
 * statement's arguments and closures), and the question is whether live code can still
 * send on one of them (or close it):
 *
 * - a local channel: only code of its function (its closures, and functions it is
 *   handed to as an argument) can. It is live when some other goroutine of the dump has a
 *   frame in that code at a line from which a send or close on it is reachable in the
 *   control-flow graph. When the function returned, or is parked past its last send, and
 *   the channel went nowhere else, nothing live can send: the workers leaked.
 * - a field or a package variable: the senders are the functions that send on it or close
 *   it, and their callers (by name, in the package). They are live when a goroutine of
 *   the dump can still reach a call to one of them, when a goroutine serves HTTP (its
 *   handlers can call anything), or when the package is a library whose exported functions
 *   reach them (callers elsewhere). No sender at all: nothing can send.
 *
 * A channel handed to code the analysis does not follow (stored elsewhere, passed to
 * another package, returned) could be sent on by anything: the pool question stays open
 * and the group is judged by the other rules. Timer and context channels are not work
 * queues: a loop that waits only on them is not a pool.
 */
import path from 'node:path';
import type { CFG } from '../go/cfg.js';
import type { LocalVar } from '../go/resolve.js';
import type { SourceFile } from '../go/source.js';
import { field, unparen, walk, type Node } from '../go/syntax.js';
import { chanOf, deref } from '../go/types.js';
import { blockingSite, isStdlib, type GoroutineGroup, type GoroutineProfile, type GroupEvidence } from '../profiles/index.js';
import { PackageCache, type LoadedPackage } from './lockquery.js';
import type { FuncCtx, PackageFacts } from './pass.js';

type PoolVerdict = NonNullable<GroupEvidence['pool']>;

/** A channel named from the source. */
type Chan =
  | { kind: 'field'; type: string; name: string; text: string }
  | { kind: 'global'; name: string; text: string }
  | { kind: 'local'; fc: FuncCtx; v: LocalVar; text: string };

const RECEIVING = new Set(['chan receive', 'select']);

function lineOf(sf: SourceFile, n: Node): number {
  return sf.line(n.start);
}

function contains(sf: SourceFile, n: Node, line: number): boolean {
  return sf.line(n.start) <= line && line <= sf.line(n.end);
}

/** The innermost function node (declaration or literal) of `fc` around `line`. */
function funcAt(fc: FuncCtx, line: number): Node {
  let fn: Node = fc.decl;
  for (const f of fc.res.funcs) if (contains(fc.file, f, line) && f.end - f.start < fn.end - fn.start) fn = f;
  return fn;
}

function funcCtxAt(facts: PackageFacts, sf: SourceFile, line: number): FuncCtx | undefined {
  const fd = facts.pkg.funcDecls.find((d) => d.file === sf && contains(sf, d.decl, line));
  return fd ? facts.funcCtx(fd.decl, sf) : undefined;
}

function isReceive(fc: FuncCtx, n: Node): boolean {
  return n.type === 'unary_expression' && fc.text(n).trimStart().startsWith('<-');
}

/** The nearest enclosing `for` of `n` inside its function, and whether `n` is a direct statement of its body. */
function loopHead(n: Node): boolean {
  const list = n.parent;
  const body = list?.type === 'statement_list' ? list.parent : undefined;
  return body?.type === 'block' && body.parent?.type === 'for_statement' && body.field === 'body';
}

/** The channel expressions a loop head at `line` waits on, or undefined when the line is not a work-loop head. */
function loopChannels(fc: FuncCtx, fn: Node, line: number): { exprs: Node[]; other: number } | undefined {
  const sf = fc.file;
  const body = fn === fc.decl ? fc.body : field(fn, 'body');
  if (!body) return undefined;
  let found: { exprs: Node[]; other: number } | undefined;
  walk(body, (n) => {
    if (found) return false;
    if (n.type === 'func_literal' && n !== fn) return false;
    if (!contains(sf, n, line)) return false;
    if (n.type === 'for_statement' && lineOf(sf, n) === line) {
      const rc = n.children.find((c) => c.type === 'range_clause');
      const right = rc ? field(rc, 'right') : undefined;
      if (right && chanOf(fc.res.typeOf(right))) found = { exprs: [right], other: 0 };
      return found ? false : undefined;
    }
    if (n.type === 'select_statement' && lineOf(sf, n) === line) {
      if (!loopHead(n)) return false;
      const exprs: Node[] = [];
      let other = 0;
      for (const c of n.children) {
        if (c.type === 'default_case') return false; // never blocks
        if (c.type !== 'communication_case') continue;
        const comm = field(c, 'communication');
        let recv: Node | undefined;
        if (comm) walk(comm, (m) => (recv ? false : isReceive(fc, m) ? ((recv = m), false) : undefined));
        const ch = recv ? field(recv, 'operand') : undefined;
        if (comm?.type === 'send_statement' || !ch) other++;
        else exprs.push(ch);
      }
      found = { exprs, other };
      return false;
    }
    if (lineOf(sf, n) === line && (n.parent?.type === 'statement_list') && n.type !== 'select_statement') {
      // A statement whose receive is its work: `j := <-jobs`, `j, ok := <-jobs`, `<-tick`.
      let recv: Node | undefined;
      walk(n, (m) => (recv ? false : m.type === 'func_literal' ? false : isReceive(fc, m) ? ((recv = m), false) : undefined));
      const ch = recv ? field(recv, 'operand') : undefined;
      if (ch && loopHead(n)) found = { exprs: [ch], other: 0 };
      return false;
    }
    return undefined;
  });
  return found;
}

/** Names a channel expression in the function `fc` (at a goroutine of the group, created at `creator`). */
function nameChan(fc: FuncCtx, expr0: Node, creator: { fc: FuncCtx; line: number } | undefined, depth = 0): Chan | undefined {
  if (depth > 4) return undefined;
  const e = unparen(expr0);
  const text = fc.text(e);
  if (e.type === 'selector_expression') {
    const op = field(e, 'operand');
    const fl = field(e, 'field');
    if (!op || !fl || fc.res.importOf(op)) return undefined;
    const t = deref(fc.res.typeOf(op));
    if (t.kind !== 'named' || t.pkg !== fc.facts.pkg.importPath) return undefined; // time.Ticker.C, another package's field
    return { kind: 'field', type: t.name, name: fc.text(fl), text };
  }
  if (e.type !== 'identifier') return undefined;
  const v = fc.res.localOf(e);
  if (!v) {
    const o = fc.res.pkgObjOf(e);
    return o?.kind === 'var' ? { kind: 'global', name: o.name, text } : undefined;
  }
  if ((v.kind === 'param' || v.kind === 'recv') && creator) {
    // A parameter of the goroutine's function: the argument of the go statement that started it.
    const fnNode = v.func;
    const pIndex = paramIndex(fc, fnNode, v);
    if (pIndex < 0) return undefined;
    let arg: Node | undefined;
    const cbody = creator.fc.body;
    if (!cbody) return undefined;
    walk(cbody, (n) => {
      if (arg || !contains(creator.fc.file, n, creator.line)) return arg ? false : undefined;
      if (n.type !== 'go_statement' || lineOf(creator.fc.file, n) !== creator.line) return undefined;
      const call = n.children.find((c) => c.type === 'call_expression');
      const args = call ? field(call, 'arguments')?.children.filter((c) => c.named) : undefined;
      arg = args?.[pIndex];
      return false;
    });
    return arg ? nameChan(creator.fc, arg, undefined, depth + 1) : undefined;
  }
  // Only a channel the function made itself is its own: one it got from a call or a
  // field may be held (and sent on) anywhere.
  if (v.kind === 'var' && v.init && v.init.count === 1 && isMake(fc, v.init.expr)) return { kind: 'local', fc, v, text };
  return undefined;
}

function isMake(fc: FuncCtx, e0: Node): boolean {
  const e = unparen(e0);
  const fn = e.type === 'call_expression' ? field(e, 'function') : undefined;
  return fn?.type === 'identifier' && fc.text(fn) === 'make' && fc.res.callee(e).kind === 'builtin';
}

function paramIndex(fc: FuncCtx, fnNode: Node, v: LocalVar): number {
  const params = field(fnNode, 'parameters');
  let i = 0;
  for (const pd of params?.children ?? []) {
    if (pd.type !== 'parameter_declaration') continue;
    const names = pd.children.filter((c) => c.field === 'name');
    if (names.length === 0) i++;
    for (const nm of names) {
      if (nm === v.ident || fc.text(nm) === v.name) return i;
      i++;
    }
  }
  return -1;
}

/** What the package does with one channel: where it is sent on or closed, and whether it escapes. */
interface ChanUse {
  /** Declarations (and their names) whose bodies send on or close the channel. */
  senders: { decl: Node; file: SourceFile; name: string; display: string; line: number }[];
  /** Handed to code not followed (stored, returned, passed to another package's function). */
  escapes: boolean;
}

function declName(sf: SourceFile, decl: Node): string {
  const n = field(decl, 'name');
  return n ? sf.textOf(n) : '';
}

/** Whether `n` (a channel expression) denotes `c`, in `fc`. */
function denotes(fc: FuncCtx, n0: Node, c: Chan): boolean {
  const n = unparen(n0);
  if (c.kind === 'local') return n.type === 'identifier' && fc.res.localOf(n) === c.v;
  if (c.kind === 'global') return n.type === 'identifier' && !fc.res.localOf(n) && fc.text(n) === c.name && fc.res.pkgObjOf(n)?.kind === 'var';
  if (n.type !== 'selector_expression') return false;
  const op = field(n, 'operand');
  const fl = field(n, 'field');
  if (!op || !fl || fc.text(fl) !== c.name) return false;
  const t = deref(fc.res.typeOf(op));
  return t.kind === 'named' && t.name === c.type && t.pkg === fc.facts.pkg.importPath;
}

/** Uses of channel `c` that matter: sends, closes, hand-offs. */
function usesIn(fc: FuncCtx, root: Node, c: Chan, onSend: (n: Node) => void): boolean {
  let escapes = false;
  walk(root, (n) => {
    if (n.type === 'send_statement') {
      const ch = field(n, 'channel');
      if (ch && denotes(fc, ch, c)) onSend(n);
      return undefined;
    }
    if (n.type === 'call_expression') {
      const fn = field(n, 'function');
      const args = field(n, 'arguments')?.children.filter((a) => a.named) ?? [];
      if (fn?.type === 'identifier' && fc.text(fn) === 'close' && args[0] && denotes(fc, args[0], c)) {
        onSend(n);
        return false;
      }
      // Handing the channel to a function: followed only for locals passed to a
      // same-package function (see localSenders); otherwise it may be sent on anywhere.
      if (args.some((a) => denotes(fc, a, c)) && c.kind !== 'local') escapes = true;
      return undefined;
    }
    // Stored or returned: another name for it the analysis does not follow.
    if ((n.type === 'return_statement' || n.type === 'assignment_statement' || n.type === 'short_var_declaration' || n.type === 'keyed_element' || n.type === 'literal_element') && c.kind !== 'local') {
      const right = n.type === 'assignment_statement' || n.type === 'short_var_declaration' ? field(n, 'right') : n;
      if (right) {
        for (const x of right.children) {
          const u = unparen(x);
          if ((u.type === 'identifier' || u.type === 'selector_expression') && denotes(fc, u, c) && !(n.type === 'assignment_statement' && isInit(fc, n, c))) escapes = true;
        }
      }
    }
    return undefined;
  });
  return escapes;
}

/** `s.jobs = make(chan T)`: the assignment that creates the channel is not a hand-off. */
function isInit(fc: FuncCtx, n: Node, c: Chan): boolean {
  const left = field(n, 'left');
  return !!left && left.children.some((l) => denotes(fc, l, c));
}

/** Senders of a field or global channel across the package. */
function packageUse(facts: PackageFacts, c: Chan): ChanUse {
  const out: ChanUse = { senders: [], escapes: false };
  for (const { decl, file } of facts.pkg.funcDecls) {
    const text = file.text.slice(decl.start, decl.end);
    if (!text.includes(c.kind === 'local' ? c.v.name : c.name)) continue;
    const fc = facts.funcCtx(decl, file);
    if (!fc.body) continue;
    let sent: number | undefined;
    if (usesIn(fc, fc.body, c, (n) => (sent ??= file.line(n.start)))) out.escapes = true;
    if (sent !== undefined) out.senders.push({ decl, file, name: declName(file, decl), display: fc.name, line: sent });
  }
  return out;
}

/** Function names of the package that can reach a call to one of `names` (by name, a few levels up). */
function callersClosure(facts: PackageFacts, names: Set<string>): Set<string> {
  const all = new Set(names);
  for (let depth = 0; depth < 4; depth++) {
    let grew = false;
    for (const { decl, file } of facts.pkg.funcDecls) {
      const n = declName(file, decl);
      if (all.has(n)) continue;
      const text = file.text.slice(decl.start, decl.end);
      for (const m of all) {
        if (new RegExp(`\\b${m}\\s*\\(`).test(text)) {
          all.add(n);
          grew = true;
          break;
        }
      }
    }
    if (!grew) break;
  }
  return all;
}

/** Nodes of `g` reachable from the statement around `line` (itself included). */
function reachableFrom(fc: FuncCtx, g: CFG, line: number): Node[] {
  let start: { block: CFG['blocks'][number]; index: number } | undefined;
  let size = Infinity;
  for (const [n, w] of g.where) {
    if (contains(fc.file, n, line) && n.end - n.start < size) {
      start = w;
      size = n.end - n.start;
    }
  }
  if (!start) return [];
  const out = start.block.nodes.slice(start.index);
  const seen = new Set([start.block]);
  const work = [...start.block.succs];
  while (work.length > 0) {
    const b = work.pop()!;
    if (seen.has(b)) continue;
    seen.add(b);
    out.push(...b.nodes);
    work.push(...b.succs);
  }
  // A loop back to the start block makes its earlier statements reachable too.
  if (start.block.succs.some((s) => reachesBlock(s, start!.block))) out.push(...start.block.nodes.slice(0, start.index));
  return out;
}

function reachesBlock(from: CFG['blocks'][number], to: CFG['blocks'][number]): boolean {
  const seen = new Set<CFG['blocks'][number]>();
  const work = [from];
  while (work.length > 0) {
    const b = work.pop()!;
    if (b === to) return true;
    if (seen.has(b)) continue;
    seen.add(b);
    work.push(...b.succs);
  }
  return false;
}

/** Frames of goroutines outside the group, with their local packages. */
interface LiveFrame {
  fc: FuncCtx;
  line: number;
  function: string;
}

/** Library frames that call user code at any time (a server dispatching requests to handlers). */
const DISPATCHERS = ['net/http.(*Server).Serve', 'net/http.(*conn).serve', 'net/http.(*http2serverConn).serve', 'google.golang.org/grpc.(*Server).Serve'];

/** Decides whether live code can still send on one channel of a pool. */
/** Whether live code can still send on a channel; `certain` when the answer does not depend on which goroutines happen to be alive. */
interface Liveness {
  live: boolean | undefined;
  reason: string;
  certain?: boolean;
}

function channelLive(c: Chan, facts: PackageFacts, live: LiveFrame[], dispatcher: string | undefined, sf: SourceFile): Liveness {
  const base = (f: string): string => path.basename(f);
  if (c.kind === 'local') {
    // Senders: the owning function and its closures, and same-package functions it hands the channel to.
    const owner = c.fc;
    const sends: { line: number }[] = [];
    let escapes = false;
    const handedTo = new Map<Node, number>();
    for (const id of owner.res.refs.get(c.v) ?? []) {
      const p = id.parent;
      if (p?.type === 'send_statement' && field(p, 'channel') === id) sends.push({ line: lineOf(owner.file, p) });
      else if (p?.type === 'argument_list') {
        const call = p.parent!;
        const fn = field(call, 'function');
        if (fn?.type === 'identifier' && owner.text(fn) === 'close') sends.push({ line: lineOf(owner.file, call) });
        else {
          const callee = owner.res.callee(call);
          const decl = callee.kind === 'func' && callee.obj.pkg === owner.facts.pkg ? callee.obj.node : callee.kind === 'method' && callee.method.pkg === owner.facts.pkg.importPath ? callee.method.decl : undefined;
          if (decl?.type === 'function_declaration' || decl?.type === 'method_declaration') handedTo.set(decl, p.children.filter((a) => a.named).indexOf(id));
          else escapes = true;
        }
      } else if (p && (p.type === 'expression_list' || p.type === 'return_statement' || p.type === 'keyed_element' || p.type === 'literal_element')) {
        const stmt = p.parent;
        const isDef = stmt && (stmt.type === 'short_var_declaration' || stmt.type === 'var_spec') && field(stmt, 'left') === p;
        const isRecvTarget = stmt?.type === 'assignment_statement' && field(stmt, 'left') === p;
        if (!isDef && !isRecvTarget) escapes = true;
      }
    }
    // Functions handed the channel: their sends on that parameter make them senders.
    const handedSenders: { decl: Node; name: string }[] = [];
    for (const [decl, idx] of handedTo) {
      const cfc = owner.facts.funcCtxOfDecl(decl);
      if (!cfc?.body || idx < 0) continue;
      const pv = [...cfc.res.defs.values()].find((v) => v.kind === 'param' && v.func === decl && paramIndex(cfc, decl, v) === idx);
      if (!pv) continue;
      let sends2 = false;
      for (const id of cfc.res.refs.get(pv) ?? []) {
        const p = id.parent;
        if (p?.type === 'send_statement' && field(p, 'channel') === id) sends2 = true;
        else if (p?.type === 'argument_list' && owner.text(field(p.parent!, 'function') ?? p) === 'close') sends2 = true;
        else if (p?.type === 'argument_list' || p?.type === 'expression_list' || p?.type === 'return_statement') escapes = true;
      }
      if (sends2) handedSenders.push({ decl, name: declName(cfc.file, decl) });
    }
    if (escapes) return { live: undefined, reason: `${c.text} is handed to code the analysis does not follow` };
    const ownerName = owner.name;
    if (sends.length === 0 && handedSenders.length === 0) return { live: false, certain: true, reason: `nothing sends on or closes ${c.text} (made in ${ownerName})` };
    let ownerAlive = false;
    for (const f of live) {
      if (f.fc.decl === owner.decl) ownerAlive = true;
      if (f.fc.decl === owner.decl) {
        const fn = funcAt(f.fc, f.line);
        const g = f.fc.cfg(fn);
        if (!g) continue;
        const nodes = reachableFrom(f.fc, g, f.line);
        const reaches = nodes.some((n) => {
          let hit = false;
          walk(n, (m) => {
            if (hit || m.type === 'func_literal') return false;
            if (m.type === 'identifier' && f.fc.res.localOf(m) === c.v) {
              const p = m.parent;
              if ((p?.type === 'send_statement' && field(p, 'channel') === m) || p?.type === 'argument_list') hit = true;
            }
            return undefined;
          });
          return hit;
        });
        if (reaches) return { live: true, reason: `${f.function} (${base(f.fc.file.path)}:${f.line}) can still send on or close ${c.text}` };
      }
      if (handedSenders.some((h) => h.decl === f.fc.decl)) return { live: true, reason: `${f.function} (${base(f.fc.file.path)}:${f.line}) sends on ${c.text}` };
    }
    const where = sends.map((s) => `${base(sf.path)}:${s.line}`).join(', ');
    return {
      live: false,
      certain: !ownerAlive,
      reason: `the only code that sends on or closes ${c.text}${where ? ` (${where})` : ''} cannot run again: ${ownerName} ${ownerAlive ? 'is parked past it' : 'returned'}, and nothing else holds the channel`,
    };
  }
  const use = packageUse(facts, c);
  if (use.escapes) return { live: undefined, reason: `${c.text} is handed to code the analysis does not follow` };
  if (use.senders.length === 0) return { live: false, certain: true, reason: `nothing in the package sends on or closes ${c.kind === 'field' ? `${c.type}.${c.name}` : c.name}` };
  const first = use.senders[0]!;
  const via = `${first.display} (${base(first.file.path)}:${first.line}) sends on ${c.text}`;
  if (dispatcher) return { live: true, reason: `${via}, and a goroutine serving requests (${dispatcher}) can call it` };
  const closure = callersClosure(facts, new Set(use.senders.map((s) => s.name)));
  if (facts.pkg.name !== 'main' && [...closure].some((n) => /^[A-Z]/.test(n))) return { live: true, reason: `${via}, reachable from the exported API (callers outside the package)` };
  for (const f of live) {
    const fn = funcAt(f.fc, f.line);
    const g = f.fc.cfg(fn);
    if (!g) continue;
    const names = [...closure];
    const hit = reachableFrom(f.fc, g, f.line).some((n) => {
      const t = f.fc.text(n);
      return names.some((nm) => new RegExp(`\\b${nm}\\s*\\(`).test(t)) || use.senders.some((s) => s.decl === f.fc.decl && contains(f.fc.file, n, s.line));
    });
    if (hit) return { live: true, reason: `${via}, and ${f.function} (${base(f.fc.file.path)}:${f.line}) can still call it` };
  }
  return { live: false, reason: `${via}, but no live goroutine can reach it any more` };
}

/**
 * Pool verdicts per group key, for the groups blocked in a receive or a select at the
 * head of a work loop in local source. Groups the source cannot decide get none.
 */
export function poolEvidence(profile: GoroutineProfile, groups: readonly GoroutineGroup[], opts: { mapPath?: (file: string) => string; cache?: PackageCache } = {}): Map<string, PoolVerdict> {
  const out = new Map<string, PoolVerdict>();
  const cache = opts.cache ?? new PackageCache();
  const local = (file: string): string => path.resolve(opts.mapPath ? opts.mapPath(file) : file);
  const at = (file: string): { pkg: LoadedPackage; sf: SourceFile } | undefined => (file.endsWith('.go') ? cache.file(local(file)) : undefined);
  // Each goroutine's user frames with their functions, computed once for all groups.
  let frames: { id: number | undefined; frames: (LiveFrame & { pkg: LoadedPackage })[]; dispatcher?: string }[] | undefined;
  const seen = new Map<string, { fc: FuncCtx; pkg: LoadedPackage } | null>();
  const everyone = (): NonNullable<typeof frames> => {
    if (frames) return frames;
    frames = profile.goroutines.map((g) => {
      const out: NonNullable<typeof frames>[number] = { id: g.id, frames: [] };
      const d = g.frames.find((f) => DISPATCHERS.includes(f.function))?.function;
      if (d) out.dispatcher = d;
      for (const f of g.frames) {
        if (isStdlib(f.function)) continue;
        const k = `${f.file}:${f.line}`;
        let hit = seen.get(k);
        if (hit === undefined) {
          const fa = at(f.file);
          const ffc = fa ? funcCtxAt(fa.pkg.facts, fa.sf, f.line) : undefined;
          hit = ffc && fa ? { fc: ffc, pkg: fa.pkg } : null;
          seen.set(k, hit);
        }
        if (hit) out.frames.push({ fc: hit.fc, line: f.line, function: f.function, pkg: hit.pkg });
      }
      return out;
    });
    return frames;
  };
  for (const grp of groups) {
    if (!RECEIVING.has(grp.state)) continue;
    const site = blockingSite(grp.stack);
    if (isStdlib(site.function)) continue;
    try {
      const a = at(site.file);
      if (!a) continue;
      const fc = funcCtxAt(a.pkg.facts, a.sf, site.line);
      if (!fc) continue;
      const loop = loopChannels(fc, funcAt(fc, site.line), site.line);
      if (!loop || loop.exprs.length === 0) continue;
      const cb = grp.createdBy ? at(grp.createdBy.file) : undefined;
      const cfc = cb && grp.createdBy ? funcCtxAt(cb.pkg.facts, cb.sf, grp.createdBy.line) : undefined;
      const creator = cfc && grp.createdBy ? { fc: cfc, line: grp.createdBy.line } : undefined;
      const chans = loop.exprs.map((e) => nameChan(fc, e, creator));
      // The live frames: every user frame (in this package) of goroutines outside the group.
      const ids = new Set(grp.ids);
      const others = everyone().filter((x) => x.id === undefined || !ids.has(x.id));
      const liveFrames = others.flatMap((x) => x.frames.filter((f) => f.pkg === a.pkg));
      const dispatcher = others.find((x) => x.dispatcher)?.dispatcher;
      const verdicts = chans.map((c) => (c ? channelLive(c, a.pkg.facts, liveFrames, dispatcher, a.sf) : undefined));
      const liveOne = verdicts.find((v) => v?.live === true);
      if (liveOne) {
        out.set(grp.key, { senders: 'live', reason: liveOne.reason });
        continue;
      }
      // In a goroutineleak profile, goroutines the runtime did not mark leaked wait on
      // something a live goroutine can still reach.
      const reachable = profile.leakProfile && grp.leakedCount === 0;
      // Nothing live only when every case was named and decided, and no timer or context case can wake it.
      if (loop.other === 0 && verdicts.every((v) => v?.live === false)) {
        out.set(grp.key, { senders: 'none', certain: !reachable && verdicts.every((v) => v!.certain), reason: verdicts.map((v) => v!.reason).join('; ') });
      } else if (reachable && loop.other === 0 && chans.every(Boolean) && verdicts.some((v) => v?.live === undefined)) {
        // The source cannot follow a work channel (it is handed elsewhere); the runtime can.
        // Not for loops that also wait on timers or contexts: those wake by themselves and
        // are not pools waiting for a producer.
        out.set(grp.key, { senders: 'live', reason: 'the goroutineleak profile shows that a live goroutine can still reach the channels they wait on' });
      }
    } catch {
      // the source explains nothing about this group
    }
  }
  return out;
}
