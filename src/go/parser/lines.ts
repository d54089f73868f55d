/**
 * @fileoverview Line starts of a text and the line an offset is on (shared by the
 * parser's one-error-per-line rule and SourceFile positions).
 */

/**
 * Offsets where each line starts (index 0 = line 1), in a typed array of exactly the
 * number of lines: the newlines are counted first. An array grown by push allocated about
 * three times as much (22 MB over a check of the standard library, sampled), and a
 * SourceFile keeps its line starts as long as the file.
 */
export function lineStarts(text: string): Uint32Array {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  const ls = new Uint32Array(n);
  let k = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) ls[k++] = i + 1;
  return ls;
}

/** The 0-based index of the line holding `offset`, given `lineStarts(text)`. */
export function lineIndex(starts: Uint32Array, offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
