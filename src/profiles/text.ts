/**
 * @fileoverview Small text helpers shared by the text parsers: Go string
 * unquoting (for pprof labels), string flattening (so parsed strings do not pin
 * the large chunk they were sliced from), and stack-line parsing shared by the
 * debug=1 and heap text formats.
 */

/**
 * Returns a copy of `s` that does not reference the (possibly huge) string it
 * was sliced from. V8 represents `s.slice()` of >= 13 chars as a view that keeps
 * the whole parent alive; concatenating and re-slicing forces a flat copy. The
 * streaming parsers rely on this so memory stays proportional to the result,
 * not to the text read.
 */
export function flat(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/**
 * Parses a Go double-quoted string starting at `s[start] === '"'`.
 * Handles the escapes produced by `strconv.Quote` (`%q`, runtime/pprof/label.go)
 * and by the runtime's `printquoted` (runtime/print.go): `\n \r \t \\ \" \xHH
 * \uHHHH \UHHHHHHHH` plus the C escapes `\a \b \f \v` and octal `\NNN`.
 * Returns the value and the index just past the closing quote, or null.
 */
export function parseGoQuoted(s: string, start: number): [string, number] | null {
  if (s.charCodeAt(start) !== 34) return null;
  let out = '';
  let i = start + 1;
  let runStart = i;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 34) {
      out += s.slice(runStart, i);
      return [out, i + 1];
    }
    if (c !== 92) {
      i++;
      continue;
    }
    out += s.slice(runStart, i);
    const e = s[i + 1];
    let adv = 2;
    switch (e) {
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'a': out += '\x07'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'v': out += '\v'; break;
      case '\\': out += '\\'; break;
      case '"': out += '"'; break;
      case "'": out += "'"; break;
      case 'x':
      case 'u':
      case 'U': {
        const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = s.slice(i + 2, i + 2 + n);
        if (hex.length !== n || !/^[0-9a-fA-F]+$/.test(hex)) return null;
        const cp = parseInt(hex, 16);
        if (cp > 0x10ffff) return null;
        out += String.fromCodePoint(cp);
        adv = 2 + n;
        break;
      }
      default: {
        const oct = s.slice(i + 1, i + 4);
        if (/^[0-7]{3}$/.test(oct)) {
          out += String.fromCharCode(parseInt(oct, 8));
          adv = 4;
          break;
        }
        return null;
      }
    }
    i += adv;
    runStart = i;
  }
  return null;
}

/**
 * Parses a label set `{"k": "v", "k2": "v2"}` (debug=2 header, runtime/traceback.go)
 * or `{"k":"v", "k2":"v2"}` (debug=1 `# labels:` line, runtime/pprof/label.go).
 * `s` starts at `{`. Returns null when the syntax is broken.
 */
export function parseLabelSet(s: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  let i = s.indexOf('{');
  if (i < 0) return null;
  i++;
  for (;;) {
    while (s.charCodeAt(i) === 32) i++;
    if (s.charCodeAt(i) === 125) return out; // '}'
    const k = parseGoQuoted(s, i);
    if (!k) return null;
    i = k[1];
    if (s.charCodeAt(i) !== 58) return null; // ':'
    i++;
    while (s.charCodeAt(i) === 32) i++;
    const v = parseGoQuoted(s, i);
    if (!v) return null;
    i = v[1];
    out[k[0]] = v[0];
    if (s.charCodeAt(i) === 44) {
      i++; // ','
      continue;
    }
    if (s.charCodeAt(i) === 125) return out;
    return null;
  }
}

/**
 * Parses a `file:line` location, as printed after a tab in debug=2 frames
 * (`\t/src/x.go:12 +0x1d fp=.. sp=.. pc=..`, runtime/traceback.go) or at the
 * end of a debug=1 `#` line. Returns null unless `:<digits>` is found.
 */
export function splitFileLine(s: string): { file: string; line: number; end: number } | null {
  let end = s.indexOf(' +0x');
  if (end < 0) end = s.indexOf(' fp=');
  if (end < 0) end = s.length;
  const colon = s.lastIndexOf(':', end - 1);
  if (colon < 0 || colon === end - 1) return null;
  let line = 0;
  for (let i = colon + 1; i < end; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return null;
    line = line * 10 + c;
  }
  return { file: s.slice(0, colon), line, end };
}
