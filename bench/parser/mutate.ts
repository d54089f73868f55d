/**
 * @fileoverview Seeded mutations of real Go files for the parser's broken-input tests
 * (issue 12, "Broken input"): delete or duplicate a token, truncate, unbalance a
 * bracket, insert a NUL byte or a byte that is not UTF-8. Deterministic for a seeded `rand`,
 * so a failure can be replayed.
 */
import { Scanner } from '../../src/go/parser/scanner.js';
import { T } from '../../src/go/parser/token.js';

/** Token spans of a Go text (inserted semicolons left out). */
export function tokenSpans(text: string): Array<[number, number, T]> {
  const sc = new Scanner(text, () => undefined);
  const out: Array<[number, number, T]> = [];
  for (sc.next(); sc.tok !== T.EOF; sc.next()) if (!(sc.tok === T.SEMICOLON && sc.newline)) out.push([sc.start, sc.end, sc.tok]);
  return out;
}

export const MUTATIONS = ['delete-token', 'duplicate-token', 'truncate', 'insert-bracket', 'delete-bracket', 'insert-nul', 'insert-invalid-utf8'] as const;
export type Mutation = (typeof MUTATIONS)[number];

const BRACKETS = ['(', ')', '[', ']', '{', '}'];

/** One mutation of `text` (as UTF-8 bytes), chosen by `rand`. */
export function mutate(text: string, rand: () => number): { kind: Mutation; bytes: Buffer } {
  const pick = <X>(xs: readonly X[]): X => xs[Math.floor(rand() * xs.length)] as X;
  const kind = pick(MUTATIONS);
  const toks = tokenSpans(text);
  const tok = toks.length > 0 ? pick(toks) : ([0, 0, T.EOF] as [number, number, T]);
  const enc = (s: string): Buffer => Buffer.from(s, 'utf8');
  switch (kind) {
    case 'delete-token':
      return { kind, bytes: enc(text.slice(0, tok[0]) + text.slice(tok[1])) };
    case 'duplicate-token':
      return { kind, bytes: enc(text.slice(0, tok[1]) + ' ' + text.slice(tok[0], tok[1]) + text.slice(tok[1])) };
    case 'truncate':
      return { kind, bytes: enc(text.slice(0, Math.floor(rand() * text.length))) };
    case 'insert-bracket':
      return { kind, bytes: enc(text.slice(0, tok[0]) + pick(BRACKETS) + text.slice(tok[0])) };
    case 'delete-bracket': {
      const bs = toks.filter(([, , k]) => k === T.LPAREN || k === T.RPAREN || k === T.LBRACK || k === T.RBRACK || k === T.LBRACE || k === T.RBRACE);
      const b = bs.length > 0 ? pick(bs) : tok;
      return { kind, bytes: enc(text.slice(0, b[0]) + text.slice(b[1])) };
    }
    case 'insert-nul':
    case 'insert-invalid-utf8': {
      const bytes = enc(text);
      const at = Math.floor(rand() * (bytes.length + 1));
      const ins = Buffer.from(kind === 'insert-nul' ? [0] : [pick([0xff, 0xc0, 0x80, 0xe2])]);
      return { kind, bytes: Buffer.concat([bytes.subarray(0, at), ins, bytes.subarray(at)]) };
    }
  }
}
