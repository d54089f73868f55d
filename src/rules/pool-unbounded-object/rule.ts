/**
 * @fileoverview pool-unbounded-object: a growable buffer (`*bytes.Buffer`,
 * `*strings.Builder`, a slice or `*[]T` that is appended to) put back into a sync.Pool
 * with no check of its capacity. One large request grows a buffer to megabytes; the
 * pool then keeps handing out and retaining that buffer, and the live heap stays at
 * the high-water mark (golang/go#23199; fmt and encoding/json drop buffers above 64 KiB
 * for this reason).
 *
 * A Put is accepted when the function that Puts compares the buffer's capacity or
 * length (`cap(b)`, `b.Cap()`, `b.Len() >`), which is the documented fix. Slices are
 * reported only when the same declaration appends to them (a fixed-size scratch
 * buffer cannot grow).
 */
import { boundedWrites, poolCalls, poolFunctions } from '../../analysis/poolfacts.js';
import { createRule } from '../../analysis/rule.js';
import { field, unparen, type Node } from '../../go/syntax.js';
import { deref, isNamed, underlying, type Type } from '../../go/types.js';

export default createRule({
  id: 'pool-unbounded-object',
  severity: 'warning',
  since: '0.2.0',
  category: 'memory',
  description: 'A growable buffer is put back into a sync.Pool without a capacity limit, so the pool retains the largest buffers ever used.',
  help:
    'Drop oversized buffers instead of pooling them: `if b.Cap() > maxPooled { return }` before Put (fmt uses 64 KiB). Otherwise one large input keeps a huge buffer alive in the pool (golang/go#23199).',
  // Puts, and the files declaring pools (see packageHasPool).
  triggers: /\.Put\(|\bsync\.Pool\b/,
  run(pass) {
    for (const fc of poolFunctions(pass)) {
      // A cost rule: the memory retention it reports matters where the code runs for long. A test
      // binary runs fixed inputs once and exits, so no maintainer takes a test's pool as
      // a finding (table-driven test helpers and benchmarks pool buffers freely).
      if (fc.file.path.endsWith('_test.go')) continue;
      for (const pc of poolCalls(fc)) {
        if (pc.kind !== 'Put' || !pc.arg) continue;
        const arg = unparen(pc.arg);
        const t = fc.res.typeOf(arg);
        const kind = growable(t);
        if (!kind) continue;
        // A slice Put by value is pool-put-non-pointer's finding (one finding per line).
        if (kind === 'slice' && t.kind !== 'pointer') continue;
        // The name of the buffer as written (`b`, `*bp` → `bp`, `&buf` → `buf`, `p.buf`).
        const name = fc.text(arg.type === 'unary_expression' ? (field(arg, 'operand') ?? arg) : arg).replace(/\s+/g, '');
        if (!/^[\w.]+$/.test(name)) continue;
        const fn = fc.res.enclosingFunc(pc.call);
        const body = fc.file.text.slice(fn.start, fn.end);
        const q = name.replace(/\./g, '\\.');
        const bounded = new RegExp(`\\bcap\\(\\s*\\(?\\*?\\s*${q}\\b|\\b${q}\\.(?:Cap\\(\\)|Len\\(\\)\\s*>)|\\blen\\(\\s*\\(?\\*?${q}\\)?\\s*\\)\\s*>`).test(body);
        if (bounded) continue;
        // Everything written into it has a bounded length: it cannot grow with input.
        if (boundedWrites(fc, fn, arg)) continue;
        if (kind === 'slice' && !new RegExp(`\\bappend\\(\\s*\\(?\\*?${q}\\b`).test(fc.file.text.slice(fc.decl.start, fc.decl.end))) continue;
        const what = kind === 'slice' ? `slice "${name}"` : `buffer "${name}"`;
        pass.report({
          node: pc.call as Node,
          file: fc.file,
          message: `${fc.text(pc.pool)}.Put at line ${fc.file.line(pc.call.start)} returns ${what} to the pool whatever its capacity: after one large input the pool keeps the grown ${kind === 'slice' ? 'backing array' : 'buffer'} alive and hands it out again, so memory stays at the high-water mark (golang/go#23199)`,
          fixHint: `skip the Put for oversized buffers, e.g. \`if ${kind === 'slice' ? `cap(${name})` : `${name}.Cap()`} > 64<<10 { return }\` before it`,
        });
      }
    }
  },
});

/** 'buffer' for *bytes.Buffer / *strings.Builder, 'slice' for []T and *[]T. */
function growable(t: Type): 'buffer' | 'slice' | undefined {
  if (t.kind === 'pointer' && (isNamed(t.elem, 'bytes', 'Buffer') || isNamed(t.elem, 'strings', 'Builder'))) return 'buffer';
  const u = underlying(deref(t));
  return u.kind === 'slice' ? 'slice' : undefined;
}
