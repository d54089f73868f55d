/**
 * @fileoverview A Go scanner over a JavaScript string, following go/scanner
 * (scanner.go) token by token: automatic semicolon insertion (Go spec, "Semicolons"),
 * every literal form, comments (collected, not returned), `//line` directives (kept,
 * see `LineDirective`) and the same lexical errors at the same positions.
 *
 * Offsets are UTF-16 code units of the string, so `text.slice(start, end)` is a token's
 * source. The text is what the file's UTF-8 bytes decode to; where the bytes were not
 * valid UTF-8, the decoder put one U+FFFD per bad byte and the caller passes those
 * offsets in `invalid` (see `decodeUtf8`), so that they are reported as Go does.
 */
import { KEYWORDS, T, TOKEN_STRING } from './token.js';

/** A lexical or syntax error at an offset of the text. */
export interface SyntaxError {
  offset: number;
  message: string;
}

/** A comment: [start, end) offsets (a line comment ends before its newline). */
export interface CommentSpan {
  start: number;
  end: number;
}

/**
 * A `//line filename:line[:col]` or `/*line ...*\/` directive (go/scanner
 * updateLineInfo): positions after it are reported by the Go toolchain relative to the
 * file and line it names. Kept so that consumers can map positions as the compiler does.
 */
export interface LineDirective {
  /** Offset where the directive takes effect (just after the comment). */
  offset: number;
  filename: string;
  line: number;
  column: number;
}

/** Keyword token by (length, first letter, second letter): no two Go keywords share all three. */
const KEYWORD_TABLE = new Uint8Array(12 * 26 * 26);
for (const [kw, t] of KEYWORDS) {
  const key = (kw.length * 26 + kw.charCodeAt(0) - 97) * 26 + kw.charCodeAt(1) - 97;
  if (KEYWORD_TABLE[key] !== 0) throw new Error(`keyword table collision: ${kw}`);
  KEYWORD_TABLE[key] = t;
}

const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;
const BOM = 0xfeff;

/** ASCII identifier characters: 1 = may start an identifier, 2 = may continue one. */
const IDENT_ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_]/.test(ch)) IDENT_ASCII[c] = 3;
  else if (/[0-9]/.test(ch)) IDENT_ASCII[c] = 2;
}

/**
 * The scanner. Call `next()` to advance; the current token is `tok` at [start, end).
 * For SEMICOLON, `newline` tells an inserted one (at a newline or EOF, go/scanner's
 * literal "\n") from one written in the source.
 */
export class Scanner {
  readonly src: string;
  private readonly n: number;
  /** Read offset. */
  private i = 0;
  private insertSemi = false;
  private readonly invalid: ReadonlySet<number> | undefined;
  /** Whether the text holds a NUL, a BOM past the start or bad UTF-8 (only then are comments checked character by character). */
  private readonly suspicious: boolean;
  tok: T = T.ILLEGAL;
  start = 0;
  end = 0;
  newline = false;
  /** Tokens returned so far (inserted semicolons included): the parser's work, for its linearity tests. */
  count = 0;
  readonly comments: CommentSpan[] = [];
  readonly lineDirectives: LineDirective[] = [];
  /** Called for each lexical error. */
  private readonly onError: (offset: number, message: string) => void;

  constructor(src: string, onError: (offset: number, message: string) => void, invalid?: readonly number[]) {
    this.src = src;
    this.n = src.length;
    this.onError = onError;
    this.invalid = invalid && invalid.length > 0 ? new Set(invalid) : undefined;
    if (this.n > 0 && src.charCodeAt(0) === BOM) this.i = 1;
    this.suspicious = this.invalid !== undefined || src.includes('\0') || src.includes('\ufeff', 1);
  }

  /**
   * Continues scanning from `offset` (a line start) as if the file began there: comments
   * and line directives at or after it are forgotten, since they will be scanned again.
   */
  restartAt(offset: number): void {
    this.i = offset;
    this.insertSemi = false;
    while (this.comments.length > 0 && (this.comments[this.comments.length - 1] as CommentSpan).start >= offset) this.comments.pop();
    while (this.lineDirectives.length > 0 && (this.lineDirectives[this.lineDirectives.length - 1] as LineDirective).offset > offset) this.lineDirectives.pop();
  }

  private error(offset: number, msg: string): void {
    this.onError(offset, msg);
  }

  /**
   * Checks a non-ASCII or NUL character the way go/scanner's `next` does, for characters
   * inside literals and comments: NUL, bad UTF-8 and a byte order mark past the start are
   * errors. Returns the number of UTF-16 units the character takes.
   */
  private checkChar(c: number, at: number): number {
    if (c === 0) this.error(at, 'illegal character NUL');
    else if (c === 0xfffd && this.invalid?.has(at)) this.error(at, 'illegal UTF-8 encoding');
    else if (c === BOM && at > 0) this.error(at, 'illegal byte order mark');
    else if (c >= 0xd800 && c <= 0xdbff) return 2;
    return 1;
  }

  /** Advances to the next token. */
  next(): void {
    this.count++;
    const s = this.src;
    const n = this.n;
    for (;;) {
      // skipWhitespace
      let i = this.i;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c === 32 || c === 9 || c === 13 || (c === 10 && !this.insertSemi)) continue;
        break;
      }
      this.i = i;
      this.start = i;
      this.newline = false;
      if (i >= n) {
        this.end = n;
        if (this.insertSemi) {
          this.insertSemi = false;
          this.tok = T.SEMICOLON;
          this.newline = true;
          return;
        }
        this.tok = T.EOF;
        return;
      }
      const c = s.charCodeAt(i);
      let insertSemi = false;
      if (c < 128 ? (IDENT_ASCII[c] as number) & 1 : c !== BOM && c !== 0xfffd && LETTER.test(String.fromCodePoint(s.codePointAt(i) as number))) {
        this.scanIdentifier();
        return;
      }
      if ((c >= 48 && c <= 57) || (c === 46 && i + 1 < n && s.charCodeAt(i + 1) >= 48 && s.charCodeAt(i + 1) <= 57)) {
        this.scanNumber();
        this.insertSemi = true;
        return;
      }
      this.i = i + 1;
      const c1 = i + 1 < n ? s.charCodeAt(i + 1) : -1;
      let tok: T;
      switch (c) {
        case 10:
          // Only reached when insertSemi was set.
          this.insertSemi = false;
          this.tok = T.SEMICOLON;
          this.end = i + 1;
          this.newline = true;
          return;
        case 34: // "
          insertSemi = true;
          tok = T.STRING;
          this.scanString();
          break;
        case 39: // '
          insertSemi = true;
          tok = T.CHAR;
          this.scanRune();
          break;
        case 96: // `
          insertSemi = true;
          tok = T.STRING;
          this.scanRawString();
          break;
        case 58: // :
          tok = this.pick(c1 === 61, T.DEFINE, T.COLON);
          break;
        case 46: // .
          if (c1 === 46 && i + 2 < n && s.charCodeAt(i + 2) === 46) {
            this.i += 2;
            tok = T.ELLIPSIS;
          } else tok = T.PERIOD;
          break;
        case 44:
          tok = T.COMMA;
          break;
        case 59:
          tok = T.SEMICOLON;
          break;
        case 40:
          tok = T.LPAREN;
          break;
        case 41:
          insertSemi = true;
          tok = T.RPAREN;
          break;
        case 91:
          tok = T.LBRACK;
          break;
        case 93:
          insertSemi = true;
          tok = T.RBRACK;
          break;
        case 123:
          tok = T.LBRACE;
          break;
        case 125:
          insertSemi = true;
          tok = T.RBRACE;
          break;
        case 43: // +
          if (c1 === 61) tok = this.take(T.ADD_ASSIGN);
          else if (c1 === 43) {
            tok = this.take(T.INC);
            insertSemi = true;
          } else tok = T.ADD;
          break;
        case 45: // -
          if (c1 === 61) tok = this.take(T.SUB_ASSIGN);
          else if (c1 === 45) {
            tok = this.take(T.DEC);
            insertSemi = true;
          } else tok = T.SUB;
          break;
        case 42: // *
          tok = this.pick(c1 === 61, T.MUL_ASSIGN, T.MUL);
          break;
        case 47: // /
          if (c1 === 47 || c1 === 42) {
            const nl = this.scanComment(i);
            if (this.insertSemi && nl >= 0) {
              // A general comment containing a newline acts like one: `;` at that newline.
              this.insertSemi = false;
              this.tok = T.SEMICOLON;
              this.start = nl;
              this.end = nl + 1;
              this.newline = true;
              return;
            }
            continue; // comments are not tokens here
          }
          tok = this.pick(c1 === 61, T.QUO_ASSIGN, T.QUO);
          break;
        case 37:
          tok = this.pick(c1 === 61, T.REM_ASSIGN, T.REM);
          break;
        case 94:
          tok = this.pick(c1 === 61, T.XOR_ASSIGN, T.XOR);
          break;
        case 60: // <
          if (c1 === 45) tok = this.take(T.ARROW);
          else if (c1 === 61) tok = this.take(T.LEQ);
          else if (c1 === 60) {
            this.i++;
            if (s.charCodeAt(this.i) === 61) tok = this.take(T.SHL_ASSIGN);
            else tok = T.SHL;
          } else tok = T.LSS;
          break;
        case 62: // >
          if (c1 === 61) tok = this.take(T.GEQ);
          else if (c1 === 62) {
            this.i++;
            if (s.charCodeAt(this.i) === 61) tok = this.take(T.SHR_ASSIGN);
            else tok = T.SHR;
          } else tok = T.GTR;
          break;
        case 61:
          tok = this.pick(c1 === 61, T.EQL, T.ASSIGN);
          break;
        case 33:
          tok = this.pick(c1 === 61, T.NEQ, T.NOT);
          break;
        case 38: // &
          if (c1 === 94) {
            this.i++;
            if (s.charCodeAt(this.i) === 61) tok = this.take(T.AND_NOT_ASSIGN);
            else tok = T.AND_NOT;
          } else if (c1 === 61) tok = this.take(T.AND_ASSIGN);
          else if (c1 === 38) tok = this.take(T.LAND);
          else tok = T.AND;
          break;
        case 124: // |
          if (c1 === 61) tok = this.take(T.OR_ASSIGN);
          else if (c1 === 124) tok = this.take(T.LOR);
          else tok = T.OR;
          break;
        case 126:
          tok = T.TILDE;
          break;
        default: {
          // An illegal character; go/scanner's next() has already complained about NUL,
          // bad UTF-8 and a misplaced BOM, Scan about anything else.
          const w = c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
          this.i = i + w;
          if (c === 0 || c === BOM || (c === 0xfffd && this.invalid?.has(i))) this.checkChar(c, i);
          else if (c === 0x201c || c === 0x201d) this.error(i, `curly quotation mark '${String.fromCharCode(c)}' (use neutral '"')`);
          else this.error(i, `illegal character ${unicodeName(s.codePointAt(i) as number)}`);
          insertSemi = this.insertSemi;
          tok = T.ILLEGAL;
        }
      }
      this.insertSemi = insertSemi;
      this.tok = tok;
      this.end = this.i;
      return;
    }
  }

  /** `t`, consuming one more character: for two- and three-character operators. */
  private take(t: T): T {
    this.i++;
    return t;
  }

  /** `yes` (consuming one more character) when `cond`, else `no`: for two-character operators. */
  private pick(cond: boolean, yes: T, no: T): T {
    if (!cond) return no;
    this.i++;
    return yes;
  }

  private scanIdentifier(): void {
    const s = this.src;
    const n = this.n;
    const start = this.i;
    let i = start;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 128) {
        if (IDENT_ASCII[c] === 0) break;
        continue;
      }
      const cp = s.codePointAt(i) as number;
      const ch = String.fromCodePoint(cp);
      if (c === BOM || c === 0xfffd || !(LETTER.test(ch) || DIGIT.test(ch))) break;
      if (cp > 0xffff) i++;
    }
    this.i = i;
    this.end = i;
    let tok = T.IDENT;
    const len = i - start;
    if (len > 1 && len < 12) {
      // Keywords by length and first two letters, then one comparison (no string is made).
      const c0 = s.charCodeAt(start) - 97;
      const c1 = s.charCodeAt(start + 1) - 97;
      if (c0 >= 0 && c0 < 26 && c1 >= 0 && c1 < 26) {
        const k = KEYWORD_TABLE[(len * 26 + c0) * 26 + c1] as number;
        if (k !== 0 && s.startsWith(TOKEN_STRING[k] as string, start)) tok = k as T;
      }
    }
    this.tok = tok;
    this.insertSemi = tok === T.IDENT || tok === T.BREAK || tok === T.CONTINUE || tok === T.FALLTHROUGH || tok === T.RETURN;
  }

  /** Offset of the first digit too large for the base in the current number literal, or -1. */
  private invalidDigit = -1;

  /** Accepts { digit | '_' }; returns bit 0 for digits, bit 1 for separators. With `record`, notes the first digit >= base. */
  private digits(base: number, record: boolean): number {
    const s = this.src;
    let ds = 0;
    let i = this.i;
    if (base <= 10) {
      const max = 48 + base;
      for (; i < this.n; i++) {
        const c = s.charCodeAt(i);
        if (c === 95) ds |= 2;
        else if (c >= 48 && c <= 57) {
          ds |= 1;
          if (c >= max && record && this.invalidDigit < 0) this.invalidDigit = i;
        } else break;
      }
    } else {
      for (; i < this.n; i++) {
        const c = s.charCodeAt(i);
        if (c === 95) ds |= 2;
        else if ((c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 102)) ds |= 1;
        else break;
      }
    }
    this.i = i;
    return ds;
  }

  private scanNumber(): void {
    const s = this.src;
    const n = this.n;
    const start = this.i;
    let tok = T.ILLEGAL;
    let base = 10;
    let prefix = 0; // 0 decimal, 48 '0'-octal, 'x', 'o', 'b'
    let digsep = 0;
    this.invalidDigit = -1;
    if (s.charCodeAt(this.i) !== 46) {
      tok = T.INT;
      if (s.charCodeAt(this.i) === 48) {
        this.i++;
        const l = this.i < n ? s.charCodeAt(this.i) | 32 : -1;
        if (l === 120) {
          this.i++;
          base = 16;
          prefix = 120;
        } else if (l === 111) {
          this.i++;
          base = 8;
          prefix = 111;
        } else if (l === 98) {
          this.i++;
          base = 2;
          prefix = 98;
        } else {
          base = 8;
          prefix = 48;
          digsep = 1;
        }
      }
      digsep |= this.digits(base, true);
    }
    if (this.i < n && s.charCodeAt(this.i) === 46) {
      tok = T.FLOAT;
      if (prefix === 111 || prefix === 98) this.error(this.i, `invalid radix point in ${litname(prefix)}`);
      this.i++;
      digsep |= this.digits(base, true);
    }
    if ((digsep & 1) === 0) this.error(this.i, `${litname(prefix)} has no digits`);
    const e = this.i < n ? s.charCodeAt(this.i) | 32 : -1;
    if (e === 101 || e === 112) {
      if (e === 101 && prefix !== 0 && prefix !== 48) this.error(this.i, `'${s[this.i]}' exponent requires decimal mantissa`);
      else if (e === 112 && prefix !== 120) this.error(this.i, `'${s[this.i]}' exponent requires hexadecimal mantissa`);
      this.i++;
      tok = T.FLOAT;
      const sign = this.i < n ? s.charCodeAt(this.i) : -1;
      if (sign === 43 || sign === 45) this.i++;
      const ds = this.digits(10, false);
      digsep |= ds;
      if ((ds & 1) === 0) this.error(this.i, 'exponent has no digits');
    } else if (prefix === 120 && tok === T.FLOAT) this.error(this.i, "hexadecimal mantissa requires a 'p' exponent");
    if (this.i < n && s.charCodeAt(this.i) === 105) {
      tok = T.IMAG;
      this.i++;
    }
    if (tok === T.INT && this.invalidDigit >= 0) this.error(this.invalidDigit, `invalid digit '${s[this.invalidDigit]}' in ${litname(prefix)}`);
    if (digsep & 2) {
      const k = invalidSep(s.slice(start, this.i));
      if (k >= 0) this.error(start + k, "'_' must separate successive digits");
    }
    this.tok = tok;
    this.end = this.i;
  }

  /** Scans an escape after `\` (at this.i); go/scanner scanEscape. Returns false on error (not consuming the offending character). */
  private scanEscape(quote: number): boolean {
    const s = this.src;
    const offs = this.i;
    const c = this.i < this.n ? s.charCodeAt(this.i) : -1;
    let n: number;
    let base: number;
    let max: number;
    switch (c) {
      case 97: case 98: case 102: case 110: case 114: case 116: case 118: case 92: // a b f n r t v \
        this.i++;
        return true;
      case 48: case 49: case 50: case 51: case 52: case 53: case 54: case 55:
        n = 3;
        base = 8;
        max = 255;
        break;
      case 120: // x
        this.i++;
        n = 2;
        base = 16;
        max = 255;
        break;
      case 117: // u
        this.i++;
        n = 4;
        base = 16;
        max = 0x10ffff;
        break;
      case 85: // U
        this.i++;
        n = 8;
        base = 16;
        max = 0x10ffff;
        break;
      default:
        if (c === quote) {
          this.i++;
          return true;
        }
        this.error(offs, c < 0 ? 'escape sequence not terminated' : 'unknown escape sequence');
        return false;
    }
    let x = 0;
    for (; n > 0; n--) {
      const d = this.i < this.n ? s.charCodeAt(this.i) : -1;
      const v = d >= 48 && d <= 57 ? d - 48 : (d | 32) >= 97 && (d | 32) <= 102 ? (d | 32) - 87 : 16;
      if (v >= base) {
        if (d < 0) this.error(this.i, 'escape sequence not terminated');
        else {
          this.checkChar(d, this.i);
          this.error(this.i, `illegal character ${unicodeName(s.codePointAt(this.i) as number)} in escape sequence`);
        }
        return false;
      }
      x = x * base + v;
      this.i++;
    }
    if (x > max || (x >= 0xd800 && x < 0xe000)) {
      this.error(offs, 'escape sequence is invalid Unicode code point');
      return false;
    }
    return true;
  }

  private scanRune(): void {
    const s = this.src;
    const offs = this.i - 1;
    let valid = true;
    let n = 0;
    for (;;) {
      const c = this.i < this.n ? s.charCodeAt(this.i) : -1;
      if (c === 10 || c < 0) {
        if (valid) {
          this.error(offs, 'rune literal not terminated');
          valid = false;
        }
        break;
      }
      this.i += c < 128 && c !== 0 ? 1 : this.checkChar(c, this.i);
      if (c === 39) break;
      n++;
      if (c === 92 && !this.scanEscape(39)) valid = false;
    }
    if (valid && n !== 1) this.error(offs, 'illegal rune literal');
  }

  private scanString(): void {
    const s = this.src;
    const offs = this.i - 1;
    for (;;) {
      const c = this.i < this.n ? s.charCodeAt(this.i) : -1;
      if (c === 10 || c < 0) {
        this.error(offs, 'string literal not terminated');
        break;
      }
      this.i += c < 128 && c !== 0 ? 1 : this.checkChar(c, this.i);
      if (c === 34) break;
      if (c === 92) this.scanEscape(34);
    }
  }

  private scanRawString(): void {
    const s = this.src;
    const offs = this.i - 1;
    for (;;) {
      if (this.i >= this.n) {
        this.error(offs, 'raw string literal not terminated');
        break;
      }
      const c = s.charCodeAt(this.i);
      this.i += c < 128 && c !== 0 ? 1 : this.checkChar(c, this.i);
      if (c === 96) break;
    }
  }

  /**
   * Scans a comment starting at `offs` (`//` or `/*`), records it, and returns the
   * offset of the first newline inside a general comment (-1 if none).
   */
  private scanComment(offs: number): number {
    const s = this.src;
    const n = this.n;
    let nl = -1;
    let end: number;
    let valid = true;
    if (s.charCodeAt(offs + 1) === 47) {
      let e = s.indexOf('\n', offs + 2);
      if (e === -1) e = n;
      end = e;
      this.checkRange(offs + 2, e);
    } else {
      const e = s.indexOf('*/', offs + 2);
      if (e === -1) {
        end = n;
        valid = false;
      } else end = e + 2;
      const k = s.indexOf('\n', offs + 2);
      if (k !== -1 && k < end) nl = k;
      this.checkRange(offs + 2, valid ? end - 2 : end);
      if (!valid) this.error(offs, 'comment not terminated');
    }
    this.i = end;
    this.comments.push({ start: offs, end });
    // Line directives: `//line` at the start of a line, or `/*line` anywhere.
    if (valid && s.startsWith('line ', offs + 2) && (s.charCodeAt(offs + 1) === 42 || offs === 0 || s.charCodeAt(offs - 1) === 10)) this.lineDirective(offs, end);
    return nl;
  }

  /** Reports NUL, bad UTF-8 and BOMs in [from, to) (inside comments). */
  private checkRange(from: number, to: number): void {
    if (!this.suspicious) return;
    const s = this.src;
    for (let k = from; k < to; k++) {
      const c = s.charCodeAt(k);
      if (c === 0 || c === BOM || (c === 0xfffd && this.invalid)) this.checkChar(c, k);
    }
  }

  /** go/scanner updateLineInfo, without its error reporting for malformed directives (those are not syntax errors for the compiler's parser either). */
  private lineDirective(offs: number, end: number): void {
    let text = this.src.slice(offs + 7, this.src.charCodeAt(offs + 1) === 42 ? end - 2 : end);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    const m = /^(.*?):(\d+)(?::(\d+))?$/.exec(text);
    if (!m) return;
    let filename = m[1] as string;
    let line = Number(m[2]);
    let column = m[3] === undefined ? 0 : Number(m[3]);
    // `file:line` where the "line" was in fact a column: `file:line:col` needs both numbers.
    if (m[3] !== undefined && !Number.isFinite(column)) column = 0;
    if (line <= 0) return;
    if (filename === '' && m[3] === undefined) filename = '';
    if (!Number.isFinite(line)) line = 0;
    // The directive applies from the next line on (after the newline that follows a //line).
    let at = end;
    if (this.src.charCodeAt(offs + 1) === 47 && at < this.n) at++;
    this.lineDirectives.push({ offset: at, filename, line, column });
  }
}

function litname(prefix: number): string {
  switch (prefix) {
    case 120:
      return 'hexadecimal literal';
    case 111:
    case 48:
      return 'octal literal';
    case 98:
      return 'binary literal';
    default:
      return 'decimal literal';
  }
}

/** Index of the first misplaced `_` in a number literal, or -1 (go/scanner invalidSep). */
function invalidSep(x: string): number {
  let x1 = 32;
  let d = 46; // '.'
  let i = 0;
  if (x.length >= 2 && x.charCodeAt(0) === 48) {
    x1 = x.charCodeAt(1) | 32;
    if (x1 === 120 || x1 === 111 || x1 === 98) {
      d = 48;
      i = 2;
    }
  }
  for (; i < x.length; i++) {
    const p = d;
    d = x.charCodeAt(i);
    if (d === 95) {
      if (p !== 48) return i;
    } else if ((d >= 48 && d <= 57) || (x1 === 120 && (d | 32) >= 97 && (d | 32) <= 102)) d = 48;
    else {
      if (p === 95) return i - 1;
      d = 46;
    }
  }
  return d === 95 ? x.length - 1 : -1;
}

/** Go's %#U formatting of a code point: `U+0040 '@'`. */
export function unicodeName(cp: number): string {
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  const printable = cp > 0x20 && cp !== 0x7f && !(cp >= 0x80 && cp < 0xa0) && cp !== 0xfffd;
  return printable ? `U+${hex} '${String.fromCodePoint(cp)}'` : `U+${hex}`;
}

/**
 * Decodes UTF-8 bytes the way Go reads source: valid sequences become their characters,
 * each byte of an invalid sequence one U+FFFD whose offset is listed in `invalid`
 * (utf8.DecodeRune returns RuneError with width 1). A leading byte order mark is kept in
 * the text (the scanner skips it), so offsets line up with the bytes character for
 * character.
 */
export function decodeUtf8(bytes: Uint8Array): { text: string; invalid: number[] } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), invalid: [] };
  } catch {
    // fall through to the slow path
  }
  const parts: string[] = [];
  const invalid: number[] = [];
  let units = 0;
  let from = 0;
  const dec = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const flush = (to: number): void => {
    if (to > from) {
      const t = dec.decode(bytes.subarray(from, to));
      parts.push(t);
      units += t.length;
    }
  };
  for (let i = 0; i < bytes.length; ) {
    const c = bytes[i] as number;
    const need = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    let ok = need >= 0;
    if (ok && need > 0) {
      // Unicode Table 3-7, "Well-Formed UTF-8 Byte Sequences".
      const b1 = bytes[i + 1] ?? 0;
      const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
      const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
      if (b1 < lo || b1 > hi) ok = false;
      for (let k = 2; ok && k <= need; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) ok = false;
    }
    if (ok) {
      i += need + 1;
      continue;
    }
    flush(i);
    invalid.push(units);
    parts.push('\ufffd');
    units++;
    i++;
    from = i;
  }
  flush(bytes.length);
  return { text: parts.join(''), invalid };
}
