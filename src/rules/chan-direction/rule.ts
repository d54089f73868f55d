/**
 * @fileoverview chan-direction (opt-in): a channel parameter of an unexported function
 * that the function only sends on (or closes), or only receives from, and that could be
 * declared `chan<- T` / `<-chan T` (seed §3.2 "单向channel在接口设计中的安全实践"). The
 * compiler then rejects a receive on an output channel or a send/close on an input
 * channel (Go spec, "Channel types": "The optional <- operator specifies the channel
 * direction"), which documents who owns the channel and who may close it.
 *
 * Exported functions and methods are skipped: changing a parameter type changes the
 * function's type, which breaks callers that use it as a value or an interface
 * implementation. Unexported functions are skipped too when the package mentions them
 * other than in a call (used as a func value), and a parameter that is passed on,
 * stored, compared or reassigned is not reported (its direction is decided elsewhere).
 * Callers need no change: a bidirectional channel is assignable to either direction.
 */
import { chanUses } from '../../analysis/chanfacts.js';
import type { FuncCtx, Pass } from '../../analysis/pass.js';
import { createRule } from '../../analysis/rule.js';
import type { LocalVar } from '../../go/resolve.js';
import { field, fields, named, type Node } from '../../go/syntax.js';

type Dir = 'send' | 'recv';

export default createRule({
  id: 'chan-direction',
  severity: 'info',
  since: '0.2.0',
  category: 'api-design',
  enabledByDefault: false,
  description: 'A channel parameter that is only sent to or only received from could be declared chan<- T or <-chan T.',
  help:
    'Declare the parameter with its direction (chan<- T for an output, <-chan T for an input) so that the compiler rejects misuse; callers passing a chan T need no change.',
  triggers: /\bchan\s/,
  run(pass) {
    let valueUses: Map<string, number> | undefined;
    for (const fc of pass.functions()) {
      if (fc.decl.type !== 'function_declaration') continue;
      const nameNode = field(fc.decl, 'name');
      const fname = nameNode ? fc.text(nameNode) : '';
      if (!/^[a-z_]/.test(fname) || fname === 'init' || fname === 'main' || fname === '_') continue;
      const params = field(fc.decl, 'parameters');
      if (!params) continue;
      const candidates = named(params).filter((p) => p.type === 'parameter_declaration' && isBidiChan(fc, field(p, 'type')));
      if (candidates.length === 0) continue;
      valueUses ??= countValueUses(pass);
      if ((valueUses.get(fname) ?? 0) > 0) continue;
      for (const p of candidates) {
        const typeNode = field(p, 'type') as Node;
        const names = fields(p, 'name');
        const dirs = names.map((n) => {
          const v = fc.res.defs.get(n);
          return v ? direction(fc, v) : undefined;
        });
        names.forEach((n, i) => {
          const d = dirs[i];
          if (!d) return;
          const v = fc.res.defs.get(n) as LocalVar;
          const elem = field(typeNode, 'value');
          const elemText = elem ? fc.text(elem) : '?';
          const newType = d.dir === 'send' ? `chan<- ${elemText}` : `<-chan ${elemText}`;
          const sameForAll = dirs.every((x) => x?.dir === d.dir);
          const lines = [...new Set(d.at.map((x) => fc.file.line(x.start)))].slice(0, 3).join(', ');
          const sole = names.length === 1;
          pass.report({
            node: n,
            file: fc.file,
            message: `channel parameter "${v.name}" of ${fname} is only ${d.dir === 'send' ? 'sent to' : 'received from'} (line${d.at.length > 1 ? 's' : ''} ${lines}) and could be declared ${newType}, so that the compiler rejects ${d.dir === 'send' ? 'a receive from it' : 'a send on it or closing it'}`,
            fixHint: sameForAll ? `change the parameter type to ${newType}` : `declare "${v.name}" in its own parameter group with type ${newType}`,
            fix:
              sameForAll && elem
                ? {
                    description: `Change the type of ${sole ? `"${v.name}"` : names.map((x) => `"${fc.text(x)}"`).join(', ')} to ${newType}`,
                    edits: [{ range: fc.file.range(typeNode), newText: newType }],
                  }
                : undefined,
          });
        });
      }
    }
  },
});

/** `chan T` (not `chan<- T`, not `<-chan T`, not variadic). */
function isBidiChan(fc: FuncCtx, t: Node | undefined): boolean {
  if (t?.type !== 'channel_type') return false;
  return !t.children.some((c) => !c.named && fc.text(c) === '<-');
}

/**
 * The only direction in which the body uses the parameter, with the operations, or
 * undefined when it uses both, none, or hands the channel on (argument, assignment,
 * comparison, capture into a goroutine are fine only as plain sends/receives).
 */
function direction(fc: FuncCtx, v: LocalVar): { dir: Dir; at: Node[] } | undefined {
  const at: Node[] = [];
  let dir: Dir | undefined;
  for (const u of chanUses(fc, v)) {
    let d: Dir | undefined;
    switch (u.kind) {
      case 'send':
      case 'guarded-send':
      case 'close':
        d = 'send';
        break;
      case 'recv':
      case 'range':
        d = 'recv';
        break;
      case 'lencap':
        continue;
      default:
        return undefined;
    }
    if (dir && dir !== d) return undefined;
    dir = d;
    at.push(u.op);
  }
  return dir ? { dir, at } : undefined;
}

/**
 * For every identifier in the package's files (comments and string literals removed),
 * how often it appears other than as a call (`name(` or `name[T](`) or as the name in
 * `func name`: a function used as a value must keep its type. Text-based and
 * conservative: a same-named local variable also counts.
 */
function countValueUses(pass: Pass): Map<string, number> {
  const out = new Map<string, number>();
  const re = /(?<![\w.])([a-z_]\w*)\b(?!\s*(?:\(|\[[^\]\n]*\]\s*\())/g;
  for (const f of pass.pkg.files) {
    const text = f.text.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\/|"(?:[^"\\\n]|\\.)*"|`[^`]*`|'(?:[^'\\\n]|\\.)*'/g, ' ');
    for (const m of text.matchAll(re)) {
      const name = m[1] as string;
      const at = m.index;
      if (/func\s+$/.test(text.slice(Math.max(0, at - 6), at))) continue;
      out.set(name, (out.get(name) ?? 0) + 1);
    }
  }
  return out;
}
