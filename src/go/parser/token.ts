/**
 * @fileoverview Go tokens, as in go/token (token.go): kinds, spellings, keywords and
 * binary operator precedence. Kinds are small integers so the scanner and parser can
 * compare them cheaply.
 */

export const enum T {
  ILLEGAL,
  EOF,
  // literals
  IDENT,
  INT,
  FLOAT,
  IMAG,
  CHAR,
  STRING,
  // operators and delimiters
  ADD, // +
  SUB, // -
  MUL, // *
  QUO, // /
  REM, // %
  AND, // &
  OR, // |
  XOR, // ^
  SHL, // <<
  SHR, // >>
  AND_NOT, // &^
  ADD_ASSIGN, // +=
  SUB_ASSIGN, // -=
  MUL_ASSIGN, // *=
  QUO_ASSIGN, // /=
  REM_ASSIGN, // %=
  AND_ASSIGN, // &=
  OR_ASSIGN, // |=
  XOR_ASSIGN, // ^=
  SHL_ASSIGN, // <<=
  SHR_ASSIGN, // >>=
  AND_NOT_ASSIGN, // &^=
  LAND, // &&
  LOR, // ||
  ARROW, // <-
  INC, // ++
  DEC, // --
  EQL, // ==
  LSS, // <
  GTR, // >
  ASSIGN, // =
  NOT, // !
  NEQ, // !=
  LEQ, // <=
  GEQ, // >=
  DEFINE, // :=
  ELLIPSIS, // ...
  LPAREN, // (
  LBRACK, // [
  LBRACE, // {
  COMMA, // ,
  PERIOD, // .
  RPAREN, // )
  RBRACK, // ]
  RBRACE, // }
  SEMICOLON, // ;
  COLON, // :
  TILDE, // ~
  // keywords
  BREAK,
  CASE,
  CHAN,
  CONST,
  CONTINUE,
  DEFAULT,
  DEFER,
  ELSE,
  FALLTHROUGH,
  FOR,
  FUNC,
  GO,
  GOTO,
  IF,
  IMPORT,
  INTERFACE,
  MAP,
  PACKAGE,
  RANGE,
  RETURN,
  SELECT,
  STRUCT,
  SWITCH,
  TYPE,
  VAR,
}

/** Spelling of each token kind (go/token's `tokens` table). */
export const TOKEN_STRING: readonly string[] = [
  'ILLEGAL', 'EOF', 'IDENT', 'INT', 'FLOAT', 'IMAG', 'CHAR', 'STRING',
  '+', '-', '*', '/', '%', '&', '|', '^', '<<', '>>', '&^',
  '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>=', '&^=',
  '&&', '||', '<-', '++', '--', '==', '<', '>', '=', '!', '!=', '<=', '>=', ':=', '...',
  '(', '[', '{', ',', '.', ')', ']', '}', ';', ':', '~',
  'break', 'case', 'chan', 'const', 'continue', 'default', 'defer', 'else', 'fallthrough', 'for', 'func', 'go', 'goto',
  'if', 'import', 'interface', 'map', 'package', 'range', 'return', 'select', 'struct', 'switch', 'type', 'var',
];

/** Keyword kinds by spelling. */
export const KEYWORDS: ReadonlyMap<string, T> = new Map(TOKEN_STRING.map((s, i) => [s, i as T] as const).filter(([, k]) => k >= T.BREAK));

/** Binary operator precedence (go/token Precedence): 0 for non-operators. */
export function precedence(t: T): number {
  switch (t) {
    case T.LOR:
      return 1;
    case T.LAND:
      return 2;
    case T.EQL:
    case T.NEQ:
    case T.LSS:
    case T.LEQ:
    case T.GTR:
    case T.GEQ:
      return 3;
    case T.ADD:
    case T.SUB:
    case T.OR:
    case T.XOR:
      return 4;
    case T.MUL:
    case T.QUO:
    case T.REM:
    case T.SHL:
    case T.SHR:
    case T.AND:
    case T.AND_NOT:
      return 5;
    default:
      return 0;
  }
}

/** Whether `t` is one of the assignment operators (`=`, `:=`, `+=`...). */
export function isAssignOp(t: T): boolean {
  return t === T.ASSIGN || t === T.DEFINE || (t >= T.ADD_ASSIGN && t <= T.AND_NOT_ASSIGN);
}
