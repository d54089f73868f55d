/**
 * @fileoverview A small schema-driven validator for YAML configuration (the monitor's
 * `monitor.yaml`, file_sd target files and signature catalogs). Every error is a
 * {@link ConfigError} naming the file, line and column (from `yaml`'s `LineCounter`), and an
 * unknown key gets the same "did you mean" suggestion as `.leakscope.yaml`.
 *
 * Keys are kebab-case in YAML and camelCase in the returned values.
 */
import type { Node, Pair } from 'yaml';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { ConfigError, describe, didYouMean } from '../analysis/config.js';

/** Field specification. */
export type Spec =
  | { kind: 'string'; pattern?: RegExp; what?: string }
  | { kind: 'bool' }
  | { kind: 'int'; min?: number; max?: number }
  | { kind: 'number'; min?: number; max?: number }
  | { kind: 'duration'; min?: number }
  | { kind: 'size' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'regex' }
  | { kind: 'url'; schemes?: readonly string[] }
  /** A secret: a literal string, or `{env: NAME}`, or `{file: path}`. */
  | { kind: 'credential' }
  | { kind: 'map'; of: Spec }
  | { kind: 'list'; of: Spec; min?: number }
  | { kind: 'object'; fields: Record<string, Spec>; required?: readonly string[] }
  /** A string, or a list of strings. */
  | { kind: 'strings' };

/** A credential reference: never stored resolved in the config object, so it is never printed. */
export interface CredentialRef {
  env?: string;
  file?: string;
  value?: string;
}

/** Where a value came from, for later messages (`file:line`). */
export interface Located {
  __where?: string;
}

/** Parses a duration (`500ms`, `30s`, `5m`, `1h`, `1d`, or a bare number of seconds) into ms; undefined if invalid. */
export function parseDurationMs(v: string | number): number | undefined {
  if (typeof v === 'number') return v >= 0 ? v * 1000 : undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(v.trim());
  if (!m) return undefined;
  const unit = m[2] ?? 's';
  const mult = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : unit === 'h' ? 3_600_000 : 86_400_000;
  return Number(m[1]) * mult;
}

/** Parses a size (`512`, `16KiB`, `64MiB`, `1GiB`; k/M/G are powers of 1024) into bytes. */
export function parseSizeBytes(v: string | number): number | undefined {
  if (typeof v === 'number') return v >= 0 ? v : undefined;
  const m = /^(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?$/i.exec(v.trim());
  if (!m) return undefined;
  const u = (m[2] ?? 'b').toLowerCase()[0];
  return Math.round(Number(m[1]) * (u === 'k' ? 1024 : u === 'm' ? 1 << 20 : u === 'g' ? 1 << 30 : 1));
}

const camel = (k: string) => k.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());


/** A parsed YAML document with position lookup. */
export interface ParsedYaml {
  root: Node | null;
  where(node: Node | Pair | null | undefined): { line?: number; column?: number };
  fail(node: Node | Pair | null | undefined, detail: string): never;
}

/** Parses YAML (or JSON) text, throwing {@link ConfigError} with a position on syntax errors. */
export function parseYaml(text: string, file: string): ParsedYaml {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const detail = first.code === 'MULTIPLE_DOCS' ? 'a file must contain a single YAML document' : first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    const pos = first.linePos?.[0];
    throw new ConfigError(file, `invalid YAML: ${detail}`, pos?.line, pos?.col);
  }
  const where = (node: Node | Pair | null | undefined) => {
    const range = node && 'range' in node ? node.range : node && 'key' in node && isScalar(node.key) ? node.key.range : undefined;
    if (!range) return {};
    const p = lc.linePos(range[0]);
    return { line: p.line, column: p.col };
  };
  return {
    root: (doc.contents as Node | null) ?? null,
    where,
    fail(node, detail) {
      const w = where(node);
      throw new ConfigError(file, detail, w.line, w.column);
    },
  };
}

/**
 * Validates `node` against `spec` and returns plain values (camelCase keys). Objects get a
 * non-enumerable `__where` with `file:line` for later messages.
 */
export function validate(y: ParsedYaml, file: string, node: Node | null, spec: Spec, path: string, parent?: Node | Pair): unknown {
  const at = path || 'the document';
  const empty = node === null || (isScalar(node) && node.value === null);
  const scalar = isScalar(node) ? node.value : undefined;
  switch (spec.kind) {
    case 'string':
    case 'regex':
    case 'url': {
      if (typeof scalar !== 'string' && typeof scalar !== 'number') return y.fail(node ?? parent, `${at} must be a string, found ${describe(node)}`);
      const s = String(scalar);
      if (spec.kind === 'regex') {
        try {
          new RegExp(s);
        } catch (e) {
          return y.fail(node, `${at} is not a valid regular expression: ${(e as Error).message}`);
        }
      }
      if (spec.kind === 'url') {
        let u: URL;
        try {
          u = new URL(s);
        } catch {
          return y.fail(node, `${at} is not a valid URL: "${s}"`);
        }
        const schemes = spec.schemes ?? ['http', 'https'];
        if (!schemes.includes(u.protocol.replace(/:$/, ''))) return y.fail(node, `${at} must be a ${schemes.join(' or ')} URL, found "${s}"`);
      }
      if (spec.kind === 'string' && spec.pattern && !spec.pattern.test(s)) return y.fail(node, `${at} must be ${spec.what ?? `like ${spec.pattern}`}, found "${s}"`);
      return s;
    }
    case 'bool':
      if (typeof scalar !== 'boolean') return y.fail(node ?? parent, `${at} must be true or false, found ${describe(node)}`);
      return scalar;
    case 'int':
    case 'number': {
      const n = typeof scalar === 'number' ? scalar : typeof scalar === 'string' && scalar.trim() !== '' ? Number(scalar) : NaN;
      if (!Number.isFinite(n) || (spec.kind === 'int' && !Number.isInteger(n))) return y.fail(node ?? parent, `${at} must be ${spec.kind === 'int' ? 'an integer' : 'a number'}, found ${describe(node)}`);
      if (spec.min !== undefined && n < spec.min) return y.fail(node, `${at} must be at least ${spec.min}, found ${n}`);
      if (spec.max !== undefined && n > spec.max) return y.fail(node, `${at} must be at most ${spec.max}, found ${n}`);
      return n;
    }
    case 'duration': {
      const ms = typeof scalar === 'string' || typeof scalar === 'number' ? parseDurationMs(scalar) : undefined;
      if (ms === undefined) return y.fail(node ?? parent, `${at} must be a duration like 500ms, 30s, 5m, 1h or 7d, found ${describe(node)}`);
      if (spec.min !== undefined && ms < spec.min) return y.fail(node, `${at} must be at least ${spec.min}ms, found ${String(scalar)}`);
      return ms;
    }
    case 'size': {
      const b = typeof scalar === 'string' || typeof scalar === 'number' ? parseSizeBytes(scalar) : undefined;
      if (b === undefined) return y.fail(node ?? parent, `${at} must be a size like 512KiB or 64MiB, found ${describe(node)}`);
      return b;
    }
    case 'enum':
      if (typeof scalar !== 'string' || !spec.values.includes(scalar)) {
        const hint = typeof scalar === 'string' ? didYouMean(scalar, spec.values) : '';
        return y.fail(node ?? parent, `${at} must be one of ${spec.values.join(', ')}, found ${describe(node)}${hint}`);
      }
      return scalar;
    case 'credential': {
      if (typeof scalar === 'string') return { value: scalar } satisfies CredentialRef;
      if (isMap(node)) {
        const out: CredentialRef = {};
        for (const p of node.items) {
          const k = isScalar(p.key) ? String(p.key.value) : '';
          const v = isScalar(p.value) ? p.value.value : undefined;
          if (k !== 'env' && k !== 'file') return y.fail(p.key as Node, `unknown key "${k}" in ${at}${didYouMean(k, ['env', 'file'])} (a credential is a string, {env: NAME} or {file: PATH})`);
          if (typeof v !== 'string' || v === '') return y.fail((p.value as Node) ?? p, `${at}.${k} must be a non-empty string`);
          out[k] = v;
        }
        if (out.env === undefined && out.file === undefined) return y.fail(node, `${at} must name an env variable or a file`);
        if (out.env !== undefined && out.file !== undefined) return y.fail(node, `${at} must give either env or file, not both`);
        return out;
      }
      return y.fail(node ?? parent, `${at} must be a string, {env: NAME} or {file: PATH}, found ${describe(node)}`);
    }
    case 'strings':
      if (typeof scalar === 'string') return [scalar];
      return validate(y, file, node, { kind: 'list', of: { kind: 'string' } }, path, parent);
    case 'map': {
      if (empty) return {};
      if (!isMap(node)) return y.fail(node ?? parent, `${at} must be a mapping, found ${describe(node)}`);
      const out: Record<string, unknown> = {};
      for (const p of node.items) {
        if (!isScalar(p.key) || (typeof p.key.value !== 'string' && typeof p.key.value !== 'number')) return y.fail(p.key as Node, `keys in ${at} must be plain names`);
        const k = String(p.key.value);
        out[k] = validate(y, file, p.value as Node | null, spec.of, `${path}.${k}`, p);
      }
      return out;
    }
    case 'list': {
      if (empty) {
        if (spec.min) return y.fail(node ?? parent, `${at} must have at least ${spec.min} entr${spec.min === 1 ? 'y' : 'ies'}`);
        return [];
      }
      if (!isSeq(node)) return y.fail(node ?? parent, `${at} must be a list, found ${describe(node)}`);
      if (spec.min && node.items.length < spec.min) return y.fail(node, `${at} must have at least ${spec.min} entr${spec.min === 1 ? 'y' : 'ies'}`);
      return node.items.map((item, i) => validate(y, file, item as Node | null, spec.of, `${path}[${i}]`, node));
    }
    case 'object': {
      if (empty && !(spec.required?.length)) return withWhere({}, y, file, node ?? parent);
      if (!isMap(node)) return y.fail(node ?? parent, `${at} must be a mapping, found ${describe(node)}`);
      const out: Record<string, unknown> = {};
      const known = Object.keys(spec.fields);
      for (const p of node.items) {
        if (!isScalar(p.key) || typeof p.key.value !== 'string') return y.fail(p.key as Node, `keys in ${at} must be plain names, found ${describe(p.key)}`);
        const k = p.key.value;
        const f = spec.fields[k];
        if (!f) return y.fail(p.key as Node, `unknown key "${k}"${path ? ` in ${path}` : ''}${didYouMean(k, known)} (known keys: ${known.join(', ')})`);
        out[camel(k)] = validate(y, file, p.value as Node | null, f, path ? `${path}.${k}` : k, p);
      }
      for (const r of spec.required ?? []) if (!(camel(r) in out)) return y.fail(node, `${at} is missing "${r}"`);
      return withWhere(out, y, file, node);
    }
  }
}

function withWhere<T extends object>(o: T, y: ParsedYaml, file: string, node: Node | Pair | null | undefined): T {
  const w = y.where(node);
  Object.defineProperty(o, '__where', { value: w.line ? `${file}:${w.line}` : file, enumerable: false });
  return o;
}

/** `file:line` of a validated object, or the fallback. */
export function whereOf(o: unknown, fallback: string): string {
  return (o as Located | undefined)?.__where ?? fallback;
}
