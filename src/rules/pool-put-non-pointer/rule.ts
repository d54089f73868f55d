/**
 * @fileoverview pool-put-non-pointer: `pool.Put(v)` where `v` is not pointer-shaped (a
 * slice, a string, a struct or array value). `Put` takes an `any`; converting a value
 * that does not fit in an interface word copies it to the heap (Go spec "Interface
 * types"; the sync.Pool docs' example stores `*bytes.Buffer`), so every Put allocates
 * — the allocation the pool exists to avoid (staticcheck SA6002).
 *
 * Pointer-shaped values (pointers, maps, channels, funcs) and interfaces (the dynamic
 * value is already boxed) are fine; unknown types are not reported.
 */
import { poolCalls, poolFunctions } from '../../analysis/poolfacts.js';
import { createRule } from '../../analysis/rule.js';
import { unparen } from '../../go/syntax.js';
import { typeString, underlying, type Type } from '../../go/types.js';

export default createRule({
  id: 'pool-put-non-pointer',
  severity: 'warning',
  since: '0.2.0',
  category: 'memory',
  description: 'sync.Pool.Put of a non-pointer value (slice, string, struct or array) allocates on every call.',
  help:
    'Converting a slice, string or struct to the `any` that Put takes copies it to the heap, so each Put allocates. Store pointers in the pool: `*[]byte` (p := &buf; pool.Put(p)) or `*T`.',
  // Puts, and the files declaring pools (see packageHasPool).
  triggers: /\.Put\(|\bsync\.Pool\b/,
  run(pass) {
    for (const fc of poolFunctions(pass)) {
      // A cost rule: the per-Put allocation it reports matters where the code runs for long. A test
      // binary runs fixed inputs once and exits, so no maintainer takes a test's pool as
      // a finding (table-driven test helpers and benchmarks pool buffers freely).
      if (fc.file.path.endsWith('_test.go')) continue;
      for (const pc of poolCalls(fc)) {
        if (pc.kind !== 'Put' || !pc.arg) continue;
        // Constants are converted to interfaces from static data without allocating.
        const argId = unparen(pc.arg);
        const isConst = argId.type === 'identifier' && (fc.res.localOf(argId)?.kind === 'const' || fc.res.pkgObjOf(argId)?.kind === 'const');
        if (isConst || fc.res.constValue(pc.arg) !== undefined || /^(?:"(?:[^"\\\n]|\\.)*"|`[^`]*`)$/.test(fc.text(pc.arg))) continue;
        const t = fc.res.typeOf(pc.arg);
        const what = valueKind(t);
        const ts = typeString(t).replaceAll(`${pass.pkg.importPath}.`, '').replaceAll('uint8', 'byte');
        if (!what) continue;
        const arg = fc.text(pc.arg);
        pass.report({
          node: pc.call,
          file: fc.file,
          message: `${fc.text(pc.pool)}.Put(${arg}) stores ${what} value of type ${ts}, not a pointer: converting it to any copies it to the heap, so this Put allocates on every call (line ${fc.file.line(pc.call.start)})${what === 'a slice' || what === 'a string' ? ` for the ${what === 'a slice' ? '24-byte slice header' : '16-byte string header'}` : ''}, the kind of allocation the pool is there to avoid (staticcheck SA6002)`,
          fixHint: what === 'a slice' ? `keep *${ts} in the pool: Put(&${arg}) and Get().(*${ts})` : `keep *${ts} values in the pool instead of ${ts} values`,
        });
      }
    }
  },
});

/** 'a slice' / 'a string' / 'a struct' / 'an array' for types that are copied when boxed. */
function valueKind(t: Type): string | undefined {
  const u = underlying(t);
  switch (u.kind) {
    case 'slice':
      return 'a slice';
    case 'basic':
      return u.name === 'string' ? 'a string' : undefined;
    case 'struct':
      return u.fields.length > 0 ? 'a struct' : undefined;
    case 'array':
      return u.len !== 0 ? 'an array' : undefined;
    default:
      return undefined;
  }
}
