/**
 * @fileoverview A canonical, order-independent text dump of what a program model answers —
 * its functions, call sites, operations with their objects, goroutines and context tree —
 * read through the public queries only. It is a debug aid for work on the model itself: a
 * change meant to make the model cheaper must leave the snapshot of every package
 * byte-identical (compare the snapshots of two builds on `net/...`, `go/...` and the
 * corpus). Numbers the model makes up while it builds (the counters in the keys of fresh
 * and element classes) depend on the order of the scan, so they are written as `#`.
 */
import type { Node } from '../../go/syntax.js';
import type { FuncNode, ObjectInfo, ProgramModel } from './index.js';

/**
 * The snapshot of `m`, one fact per line, lines sorted. Objects are described by their
 * keys (sorted, fresh counters elided), kind, escape and unknown-source reasons, runtime
 * wake-ups, nil assignment, allocation sites, and the answers of `mayBeWoken`,
 * `mayBeClosed`, `alwaysNil` and `containersOf`.
 */
export function modelSnapshot(m: ProgramModel): string[] {
  const out: string[] = [];
  const pos = (fn: FuncNode, n: Node | undefined): string => (n ? `${fn.fc.file.path}:${n.start}-${n.end}` : '-');
  const objs = new Map<number, string>();
  const obj = (o: ObjectInfo | number | undefined): string => {
    if (o === undefined) return '-';
    const info = typeof o === 'number' ? m.info(o) : o;
    let s = objs.get(info.id);
    if (s === undefined) {
      objs.set(info.id, '(cycle)');
      s = `{${describe(m, info)} containers=[${m
        .containersOf(info)
        .map((c) => keysOf(c))
        .sort()
        .join(' | ')}]}`;
      objs.set(info.id, s);
    }
    return s;
  };
  for (const fn of m.functions()) {
    out.push(`func ${fn.key}${fn.opaque ? ' opaque' : ''} dead=${m.isDead(fn)} valueEscapes=${m.valueEscapes(fn)}`);
    for (let i = 0; i < 4; i++) {
      const r = m.resultOf(fn, i);
      if (r) out.push(`result ${fn.key}#${i} ${obj(r)}`);
    }
    for (const cs of m.callsFrom(fn)) {
      out.push(`call ${fn.key} ${pos(fn, cs.call)} ${cs.kind} ${cs.mode} complete=${cs.complete} std=${cs.stdName ?? '-'} -> ${cs.targets.map((t) => t.key).join(',')}`);
    }
    for (const op of m.opsIn(fn)) {
      out.push(`op ${fn.key} ${op.kind} ${pos(fn, op.node)} expr=${pos(fn, op.expr)} guarded=${op.guarded} select=${pos(fn, op.select)} ${obj(op.cls)}`);
    }
  }
  for (const g of m.goroutines()) {
    out.push(`go ${g.from.key} ${pos(g.from, g.site)} ${g.starter} ${g.multiplicity}${g.count !== undefined ? `(${g.count})` : ''} complete=${g.complete} -> ${g.targets.map((t) => t.key).join(',')}`);
  }
  for (const c of m.contexts()) {
    out.push(`ctx ${c.fn.key} ${pos(c.fn, c.call)} deadline=${c.deadline} ctx=${obj(c.ctx)} parent=${obj(c.parent)} cancel=${obj(c.cancel)}`);
  }
  return out.sort();
}

function keysOf(o: ObjectInfo): string {
  return o.keys
    .map((k) => k.replace(/^x:(\w+):\d+$/, 'x:$1:#').replace(/^elem:\d+:\d+$/, 'elem:#'))
    .sort()
    .join(',');
}

function describe(m: ProgramModel, o: ObjectInfo): string {
  const allocs = o.allocs
    .map((n) => `${n.start}-${n.end}`)
    .sort()
    .join(',');
  return `${keysOf(o)} kind=${o.kind ?? '-'} escape=${o.escape ?? '-'} unknown=${o.unknownSource ?? '-'} std=${[...o.std].sort().join(',')} nil=${o.nilAssigned} allocs=${allocs} woken=${m.mayBeWoken(o)} closed=${m.mayBeClosed(o)} alwaysNil=${m.alwaysNil(o)}`;
}
