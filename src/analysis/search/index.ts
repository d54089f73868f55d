/**
 * @fileoverview The blocking-state search of a package: extract a model per entry point
 * ({@link ModelSource}), explore it ({@link explore}), and turn each bug into a finding
 * with its witness trace. Shared by the `blocked-forever` and `lock-channel-cycle` rules
 * (one exploration per package, memoised in the package facts) and by `leakscope explain`.
 */
import type { RelatedLocation, TraceLocation } from '../finding.js';
import type { PackageFacts } from '../pass.js';
import { DEFAULT_BUDGET, explore, type Budget, type Bug, type Blocked, type Exploration, type TraceStep } from './explore.js';
import { syntaxSource, type ModelSource } from './extract.js';
import type { Model, Obj, Site, Unmodelled } from './model.js';

export type { Budget, Bug, Exploration, TraceStep } from './explore.js';
export type { Model, Unmodelled } from './model.js';

/** The rules the engine reports under. */
export type EngineRuleId = 'blocked-forever' | 'lock-channel-cycle';
export const ENGINE_RULE_IDS: readonly EngineRuleId[] = ['blocked-forever', 'lock-channel-cycle'];

/** One finding of the engine, before it becomes a rule report. */
export interface EngineFinding {
  rule: EngineRuleId;
  site: Site;
  message: string;
  fixHint: string;
  related: RelatedLocation[];
  trace: TraceLocation[];
  bug: Bug;
}

/** What the search found in one package. */
export interface SearchResult {
  explorations: Exploration[];
  unmodelled: Unmodelled[];
  findings: EngineFinding[];
}

let budget: Budget = budgetFromEnv();
let source: ModelSource = syntaxSource;

function budgetFromEnv(): Budget {
  const n = (v: string | undefined, d: number): number => {
    const x = Number(v);
    return v !== undefined && Number.isFinite(x) && x > 0 ? x : d;
  };
  return { states: n(process.env.LEAKSCOPE_SEARCH_STATES, DEFAULT_BUDGET.states), ms: n(process.env.LEAKSCOPE_SEARCH_MS, DEFAULT_BUDGET.ms), goroutines: DEFAULT_BUDGET.goroutines };
}

/** Sets the per-entry budget (states, milliseconds, goroutines); also `LEAKSCOPE_SEARCH_STATES` / `LEAKSCOPE_SEARCH_MS`. */
export function setSearchBudget(b: Partial<Budget>): void {
  budget = { ...budget, ...b };
}

/** Replaces the model source (the program model plugs in here). */
export function setModelSource(s: ModelSource): void {
  source = s;
}

/** Totals over every package searched in this thread (for `npm run bench` and the realcode report). */
export const searchTotals = { entries: 0, complete: 0, overStates: 0, overTime: 0, bounded: 0, unmodelled: 0, states: 0, transitions: 0, ms: 0, bugs: 0, extractMs: 0 };

/** Runs (once per package) the search and returns its result. */
export function searchPackage(facts: PackageFacts): SearchResult {
  return facts.memo('search:result', () => {
    const explorations: Exploration[] = [];
    const unmodelled: Unmodelled[] = [];
    const t0 = performance.now();
    const models = source.models(facts);
    searchTotals.extractMs += performance.now() - t0;
    for (const m of models) {
      if (!('procs' in m)) {
        unmodelled.push(m);
        searchTotals.unmodelled++;
        if (process.env.LEAKSCOPE_SEARCH_DEBUG) process.stderr.write(`search: ${m.file.path}:${m.file.line(m.decl.start)} ${m.entry} unmodelled: ${m.reason}\n`);
        continue;
      }
      const x = explore(m, budget);
      explorations.push(x);
      searchTotals.entries++;
      if (x.complete) searchTotals.complete++;
      else if (x.stop === 'states') searchTotals.overStates++;
      else searchTotals.overTime++;
      if (x.bounded) searchTotals.bounded++;
      if (process.env.LEAKSCOPE_SEARCH_DEBUG && !x.complete) process.stderr.write(`search: ${m.file.path}:${m.file.line(m.decl.start)} ${m.entry} not fully explored (${x.stop}, ${x.states} states, ${Math.round(x.ms)} ms)\n`);
      searchTotals.states += x.states;
      searchTotals.transitions += x.transitions;
      searchTotals.ms += x.ms;
      searchTotals.bugs += x.bugs.length;
    }
    const findings: EngineFinding[] = [];
    const seen = new Set<string>();
    for (const x of explorations) {
      for (const bug of x.bugs) {
        const f = toFinding(x.model, bug);
        const k = `${f.site.file.path}:${f.site.file.line(f.site.node.start)}`;
        if (seen.has(k)) continue;
        seen.add(k);
        findings.push(f);
      }
    }
    return { explorations, unmodelled, findings };
  });
}

const WAKE: Record<string, string> = {
  send: 'receive from',
  recv: 'send on or close',
  select: 'make any of its cases ready for',
  lock: 'unlock',
  rlock: 'unlock',
  wait: 'call Done on',
  cwait: 'Signal or Broadcast',
  once: 'finish the first Do of',
};

function objNames(m: Model, objs: number[]): string {
  return objs.map((o) => `"${m.objs[o]?.name ?? '?'}"`).join(', ');
}

function what(m: Model, b: Blocked): string {
  const names = objNames(m, b.objs);
  switch (b.op) {
    case 'send':
      return `sending on ${names}`;
    case 'recv':
      return m.objs[b.objs[0] ?? 0]?.kind === 'ctx' ? `waiting for ${names} to be cancelled` : `receiving from ${names}`;
    case 'select':
      return b.objs.length === 0 ? 'in an empty select' : `in a select on ${names}`;
    case 'lock':
      return `locking ${names}`;
    case 'rlock':
      return `read-locking ${names}`;
    case 'wait':
      return `in ${names.replace(/"/g, '')}.Wait()`;
    case 'cwait':
      return `in ${names.replace(/"/g, '')}.Wait() for a signal`;
    case 'once':
      return `in ${names.replace(/"/g, '')}.Do, which it is already running`;
    default:
      return b.op;
  }
}

/** Who holds lock `o` among the blocked goroutines (from the trace). */
function holderOf(bug: Bug, o: number): Blocked | undefined {
  return bug.blocked.find((b) => b.holds.includes(o));
}

const CHANNELISH = new Set(['send', 'recv', 'select', 'wait', 'cwait']);

function classify(bug: Bug): EngineRuleId {
  const v = bug.victim;
  if (v.op === 'lock' || v.op === 'rlock') {
    const h = holderOf(bug, v.objs[0] ?? -1);
    if (h && h.g !== v.g && CHANNELISH.has(h.op)) return 'lock-channel-cycle';
  }
  if (CHANNELISH.has(v.op) && v.holds.length > 0) {
    if (bug.blocked.some((b) => b.g !== v.g && (b.op === 'lock' || b.op === 'rlock') && b.objs.some((o) => v.holds.includes(o)))) return 'lock-channel-cycle';
  }
  return 'blocked-forever';
}

function lineOf(s: Site): number {
  return s.file.line(s.node.start);
}

/** The once-firing timer cases of the select the victim blocks in (`timer "t.C" of line 14`). */
function firedTimers(m: Model, v: Blocked): string[] {
  if (v.op !== 'select') return [];
  const sel = m.procs.flatMap((p) => p.code).find((i) => i.k === 'select' && i.site.node === v.site.node);
  if (sel?.k !== 'select') return [];
  return sel.cases.filter((c) => c.once !== undefined).map((c) => `"${clipText(c.site.file.textOf(c.site.node))}"`);
}

function clipText(t: string): string {
  const s = t.replace(/\s+/g, ' ');
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

function toFinding(m: Model, bug: Bug): EngineFinding {
  const v = bug.victim;
  const rule = classify(bug);
  const o0 = v.objs[0];
  const obj: Obj | undefined = o0 === undefined ? undefined : m.objs[o0];
  const others = bug.blocked.filter((b) => b.g !== v.g);
  const holdsTxt = (b: Blocked): string => (b.holds.length ? ` holding ${objNames(m, b.holds)}` : '');
  let why: string;
  if ((v.op === 'lock' || v.op === 'rlock') && o0 !== undefined && v.holds.includes(o0)) why = `it already holds ${objNames(m, [o0])} and nothing else unlocks it`;
  else if (v.op === 'lock' || v.op === 'rlock') {
    const h = o0 === undefined ? undefined : holderOf(bug, o0);
    why = h ? `${h.g === 0 ? m.entry : h.proc} holds it and is itself blocked ${what(m, h)} at line ${lineOf(h.site)}` : `no goroutine left can unlock it`;
    // sync.RWMutex: a Lock waiting for the readers to leave blocks every new RLock.
    const writer = v.op === 'rlock' ? others.find((b) => b.op === 'lock' && b.objs[0] === o0) : undefined;
    if (writer) why += `, and ${writer.g === 0 ? m.entry : writer.proc} is queued in Lock at line ${lineOf(writer.site)} (a waiting writer blocks new readers)`;
  } else if (bug.deadlock && others.length > 0 && !others.every((b) => b.site.node === v.site.node)) {
    why = `every other goroutine is blocked too (${[...new Set(others.map((b) => `${b.g === 0 ? m.entry : b.proc} ${what(m, b)} at line ${lineOf(b.site)}${holdsTxt(b)}`))].join('; ')})`;
  } else {
    const after = bug.entryReturned ? `${m.entry} has returned and ` : '';
    const same = others.filter((b) => b.site.node === v.site.node && b.objs.join() === v.objs.join()).length;
    const verb = obj?.kind === 'ctx' ? 'cancel' : (WAKE[v.op] ?? 'wake');
    why = `${after}no goroutine left can ${verb} ${v.op === 'wait' || v.op === 'cwait' || v.op === 'once' ? objNames(m, v.objs).replace(/"/g, '') : objNames(m, v.objs)}${same > 0 ? ` (${same + 1} goroutines end up blocked here)` : ''}`;
    const timers = firedTimers(m, v);
    if (timers.length > 0) why += `, and ${timers.join(', ')} already fired (a timer sends one value; nothing resets it)`;
  }
  const who = v.g === 0 ? m.entry : v.proc;
  const message = `${who} blocks forever ${what(m, v)} at line ${lineOf(v.site)}${v.holds.length && !(v.op === 'lock' && v.holds.includes(o0 ?? -1)) ? ` while holding ${objNames(m, v.holds)}` : ''}: ${why} (trace: ${bug.trace.filter(visible).length + 1} steps)`;
  const fixHint = suggestFix(m, bug, rule, obj);
  const related: RelatedLocation[] = [];
  for (const b of others) related.push({ file: b.site.file.path, range: b.site.file.range(b.site.node), message: `${b.g === 0 ? m.entry : b.proc} is blocked here${holdsTxt(b)}` });
  if (v.g !== 0 && m.procs.length > 0) {
    const start = m.procs.find((p) => p.name === v.proc)?.start;
    if (start) related.push({ file: start.file.path, range: start.file.range(start.node), message: 'the blocked goroutine is started here' });
  }
  return { rule, site: v.site, message, fixHint, related, trace: bugTrace(m, bug), bug };
}

function visible(s: TraceStep): boolean {
  return !!s.site && s.text !== 'continues';
}

/** The witness trace as locations (one per step that has a source position). */
export function traceLocations(m: Model, trace: TraceStep[]): TraceLocation[] {
  const out: TraceLocation[] = [];
  for (const s of trace) {
    if (!visible(s) || !s.site) continue;
    const who = s.g === 0 ? m.entry : `#${s.g} ${s.proc}`;
    let text = `${who}: ${s.text}`;
    if (s.with) text += ` — #${s.with.g === 0 ? `0 ${m.entry}` : `${s.with.g} ${s.with.proc}`} receives it at line ${lineOf(s.with.site)}`;
    out.push({ file: s.site.file.path, range: s.site.file.range(s.site.node), message: text, goroutine: s.g, name: s.g === 0 ? m.entry : s.proc });
  }
  return out;
}

/** The trace of a bug, ending with the victim blocking for good. */
function bugTrace(m: Model, bug: Bug): TraceLocation[] {
  const out = traceLocations(m, bug.trace);
  const v = bug.victim;
  const who = v.g === 0 ? m.entry : `#${v.g} ${v.proc}`;
  out.push({ file: v.site.file.path, range: v.site.file.range(v.site.node), message: `${who}: blocks forever ${what(m, v)}`, goroutine: v.g, name: v.g === 0 ? m.entry : v.proc });
  return out;
}

function suggestFix(m: Model, bug: Bug, rule: EngineRuleId, obj: Obj | undefined): string {
  const v = bug.victim;
  const name = obj?.name ?? 'the channel';
  if (rule === 'lock-channel-cycle') {
    const lock = v.op === 'lock' || v.op === 'rlock' ? m.objs[v.objs[0] ?? 0]?.name : m.objs[v.holds[0] ?? 0]?.name;
    return `release "${lock}" before blocking on the channel (copy what you need under the lock, unlock, then send or receive), or make the channel operation non-blocking (a buffer or a select with a done case)`;
  }
  switch (v.op) {
    case 'send': {
      const senders = bug.blocked.filter((b) => b.op === 'send' && b.objs[0] === v.objs[0]).length;
      const n = (obj?.cap ?? 0) + Math.max(1, senders);
      return `give "${name}" a buffer of ${n} (make(chan T, ${n})) so every send completes without a receiver, or send in a select with a case on ctx.Done() or a done channel that is closed when the receiver gives up`;
    }
    case 'recv':
      if (obj?.kind === 'ctx') return `call the cancel function of "${name}" on every path (defer cancel())`;
      return `close "${name}" after the last send (e.g. defer close(${name}) in the sender), or receive in a select with a case on ctx.Done() or a done channel`;
    case 'select':
      if (firedTimers(m, v).length > 0) return `make a new timer for each wait (or Reset it after it fired), or add a case on a channel that is closed when the other side gives up (ctx.Done() or a done channel)`;
      return 'add a case on a channel that is closed when the other side gives up (ctx.Done() or a done channel), or make sure one of the channels is always sent on or closed';
    case 'lock':
    case 'rlock':
      if (v.holds.includes(v.objs[0] ?? -1)) return `do not lock "${name}" again while holding it (split the function into a locked and an unlocked variant)`;
      return `unlock "${name}" on every path (defer ${name}.Unlock() right after Lock), and do not block while holding it`;
    case 'wait':
      return `call ${name}.Add before starting each goroutine and ${name}.Done on every path of it (defer ${name}.Done())`;
    case 'cwait':
      return `change the condition and call Signal/Broadcast while holding the Cond's lock, and call Wait in a loop that checks the condition (a Signal before Wait is lost)`;
    case 'once':
      return `do not call ${name}.Do again from inside the function passed to it`;
    default:
      return 'make sure another goroutine can always complete this operation';
  }
}

/** Everything the model knows at a source line, for `leakscope explain`. */
export interface LineExplanation {
  entries: Array<{ model: Model; exploration: Exploration; objs: Obj[]; touchers: string[]; bugs: Bug[] }>;
  unmodelled: Unmodelled[];
}

/** The models whose instructions sit on `line` of `file`, with what their exploration found there. */
export function explainLine(res: SearchResult, file: string, line: number): LineExplanation {
  const out: LineExplanation = { entries: [], unmodelled: [] };
  const at = (s: Site | undefined): boolean => !!s && s.file.path === file && s.file.line(s.node.start) <= line && s.file.line(s.node.end) >= line;
  for (const x of res.explorations) {
    const m = x.model;
    const objIds = new Set<number>();
    for (const p of m.procs) {
      for (const i of p.code) {
        const site = 'site' in i ? i.site : undefined;
        if (!at(site) || !('obj' in i)) {
          if (i.k === 'select' && at(i.site)) for (const c of i.cases) if (c.obj >= 0) objIds.add(c.obj);
          continue;
        }
        objIds.add(i.obj);
      }
    }
    for (const o of m.objs) if (at(o.site)) objIds.add(o.id);
    if (objIds.size === 0) continue;
    const touchers: string[] = [];
    for (const p of m.procs) {
      const ops = p.code.filter((i) => ('obj' in i && objIds.has(i.obj)) || (i.k === 'select' && i.cases.some((c) => objIds.has(c.obj))));
      if (ops.length === 0) continue;
      const lines = [...new Set(ops.map((i) => ('site' in i && i.site ? lineOf(i.site) : 0)).filter((n) => n > 0))].sort((a, b) => a - b);
      touchers.push(`${p.id === 0 ? m.entry : p.name}: ${ops.map((i) => i.k).filter((k, j, a) => a.indexOf(k) === j).join(', ')} at line${lines.length > 1 ? 's' : ''} ${lines.join(', ')}`);
    }
    out.entries.push({ model: m, exploration: x, objs: [...objIds].map((o) => m.objs[o] as Obj), touchers, bugs: x.bugs.filter((b) => b.blocked.some((bl) => at(bl.site)) || at(b.victim.site)) });
  }
  for (const u of res.unmodelled) if (u.file.path === file && u.file.line(u.decl.start) <= line && u.file.line(u.decl.end) >= line) out.unmodelled.push(u);
  return out;
}
