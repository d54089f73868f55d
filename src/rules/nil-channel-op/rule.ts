/**
 * @fileoverview nil-channel-op: a send, receive or range on a local channel variable
 * that is provably nil — declared `var ch chan T` (or `= nil`), never assigned, never
 * re-declared, never address-taken. "A nil channel is never ready for communication"
 * (Go spec, "Channel types"; "Send statements": "Communication blocks ... A send on a
 * nil channel blocks forever"; "Receive operator": "Receiving from a nil channel
 * blocks forever"), so the goroutine doing it is stuck for good.
 *
 * The nil-case-in-select idiom is left alone: a nil channel as one case of a select
 * disables that case on purpose, and a variable set to nil later is not provably nil.
 */
import { chanUses } from '../../analysis/chanfacts.js';
import { selectOfRecv } from '../../analysis/chansummary.js';
import type { Pass } from '../../analysis/pass.js';
import type { ProgramModel } from '../../analysis/program/index.js';
import { beyondOneFunction, chanModel, chanOps, describeObject } from '../../analysis/program/chans.js';
import { createRule } from '../../analysis/rule.js';
import type { LocalVar } from '../../go/resolve.js';
import { field, unparen, walk, type Node } from '../../go/syntax.js';
import { chanOf } from '../../go/types.js';

export default createRule({
  id: 'nil-channel-op',
  severity: 'error',
  since: '0.2.0',
  category: 'deadlock',
  description: 'A send, receive or range on a channel variable that is always nil.',
  help:
    'A variable declared "var ch chan T" is nil until something assigns a channel to it, and every send or receive on a nil channel blocks forever (range never yields). Initialise it with make(chan T), or assign the channel it is meant to hold before using it.',
  triggers: /\bvar\s+(?:\w+\s*,\s*)*\w+\s+(?:<-\s*)?chan\b|\bvar\s*\([^)]*?\bchan\b/,
  run(pass) {
    checkModelNil(pass);
    for (const fc of pass.functions()) {
      for (const [ident, v] of fc.res.defs) {
        if (ident !== v.ident || !provablyNilDecl(v, (n) => fc.text(n))) continue;
        const t = v.typeExpr ? fc.res.typeFromExpr(v.typeExpr) : undefined;
        if (!t || !chanOf(t)) continue;
        const refs = fc.res.refs.get(v) ?? [];
        if (refs.some(modifies)) continue;
        const declLine = fc.file.line(v.ident.start);
        const uses = chanUses(fc, v);
        // Making the channel fixes the code only when it has both ends here: a send and a
        // receive (otherwise the made channel would still block, now as a made channel).
        const bothEnds = uses.some((u) => u.kind === 'send' || u.kind === 'guarded-send') && uses.some((u) => u.kind === 'recv' || u.kind === 'range');
        for (const u of uses) {
          let what: string | undefined;
          if (u.kind === 'send') what = 'send on';
          else if (u.kind === 'recv' && !selectOfRecv(u.op)) what = 'receive from';
          else if (u.kind === 'range') what = 'range over';
          if (!what) continue;
          const node = u.kind === 'range' ? (u.op.parent ?? u.op) : u.op;
          const spec = v.ident.parent;
          const typeNode = v.typeExpr;
          // A directional channel made in place would still have no other end: offer the
          // edit only for a bidirectional `chan T` declared alone without a value, used at
          // both ends.
          const single = spec?.type === 'var_spec' && spec.children.filter((c) => c.field === 'name').length === 1 && !field(spec, 'value') && chanOf(t)?.dir === 'both' && bothEnds;
          pass.report({
            node,
            file: fc.file,
            message: `${what} nil channel "${v.name}" at line ${fc.file.line(node.start)} blocks forever: "${v.name}" is declared at line ${declLine} (${v.typeExpr ? fc.text(v.typeExpr) : 'chan'}) and never assigned, so it is always nil`,
            fixHint: `initialise "${v.name}" with make(${typeNode ? fc.text(typeNode) : 'chan T'}) where it is declared, or assign the channel it should hold before this ${u.kind === 'range' ? 'loop' : 'operation'}`,
            fix:
              single && typeNode
                ? {
                    description: `Initialise "${v.name}" with make(${fc.text(typeNode)})`,
                    edits: [{ range: { start: fc.file.position(typeNode.end), end: fc.file.position(typeNode.end) }, newText: ` = make(${fc.text(typeNode)})` }],
                  }
                : undefined,
          });
        }
      }
    }
  },
});

/** `var ch chan T` or `var ch chan T = nil` (a local, not a parameter or result). */
function provablyNilDecl(v: LocalVar, text: (n: Node) => string): boolean {
  if (v.kind !== 'var' || !v.typeExpr || v.ident.parent?.type !== 'var_spec') return false;
  if (!v.init) return true;
  return v.init.count === 1 && text(unparen(v.init.expr)) === 'nil';
}

/** True when reference `ref` may change the variable: an assignment target, `&ch`, a re-declaration. */
function modifies(ref: Node): boolean {
  let child = ref;
  let p = ref.parent;
  while (p?.type === 'parenthesized_expression') {
    child = p;
    p = p.parent;
  }
  if (!p) return true;
  if (p.type === 'unary_expression' && field(p, 'operator')?.type === '&') return true;
  if (p.type === 'expression_list' && p.field === 'left') return true;
  if (child.field === 'left' && ['assignment_statement', 'short_var_declaration', 'range_clause', 'receive_statement'].includes(p.type)) return true;
  return false;
}

/**
 * Struct fields and package variables of channel type that no code of the package ever
 * gives a channel (no make, no assignment from a channel, no value of unknown origin —
 * the program model sees every location sharing them): a send, receive or range on them
 * blocks forever. A nil channel as one case of a select with other cases is the idiom
 * for disabling that case and is left alone.
 */
function checkModelNil(pass: Pass): void {
  const m = chanModel(pass);
  if (!m) return;
  let nilChecked: Set<number> | undefined;
  for (const { obj, ops } of chanOps(m, ['send', 'recv', 'range'])) {
    if (!beyondOneFunction(obj) || !m.alwaysNil(obj)) continue;
    // Code that compares the channel with nil (`if c := s.ch; c != nil { <-c }`) expects it
    // to be nil at times: the operation it guards never runs then.
    nilChecked ??= nilComparedClasses(m);
    if (nilChecked.has(obj.id)) continue;
    for (const op of ops) {
      if (op.guarded) continue;
      const fc = op.fn.fc;
      const node = op.kind === 'range' ? (op.node.parent ?? op.node) : op.node;
      const what = op.kind === 'send' ? 'send on' : op.kind === 'range' ? 'range over' : 'receive from';
      const desc = describeObject(obj);
      pass.report({
        node,
        file: fc.file,
        message: `${what} nil channel ${desc} at line ${fc.file.line(node.start)} blocks forever: nothing in the package ever assigns a channel to it, so it is always nil`,
        fixHint: `make the channel where the value holding it is built (e.g. "${fc.text(op.expr).replace(/^.*\./, '')}: make(chan ...)" in the constructor's composite literal)`,
      });
    }
  }
}

/**
 * The classes of the channel expressions some function of the package compares with nil
 * (`x == nil`, `x != nil`), through a local copy as well (a copy shares the class).
 */
function nilComparedClasses(m: ProgramModel): Set<number> {
  const out = new Set<number>();
  for (const F of m.functions()) {
    if (F.node.type === 'func_literal') continue; // walked with its enclosing declaration
    const fc = F.fc;
    walk(F.node, (n) => {
      if (n.type !== 'binary_expression') return;
      const opn = field(n, 'operator');
      const op = opn ? fc.text(opn) : undefined;
      if (op !== '==' && op !== '!=') return;
      const l = field(n, 'left');
      const r = field(n, 'right');
      if (!l || !r) return;
      const isNil = (x: Node): boolean => fc.text(unparen(x)) === 'nil';
      const other = isNil(r) ? l : isNil(l) ? r : undefined;
      if (!other) return;
      const o = m.objectOf(fc, other);
      if (o?.kind === 'chan') out.add(o.id);
    });
  }
  return out;
}
