/**
 * @fileoverview Line starts of a text and the line an offset is on (shared by the
 * parser's one-error-per-line rule and SourceFile positions).
 */

/** Offsets where each line starts (index 0 = line 1). */
export function lineStarts(text: string): number[] {
  const ls = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) ls.push(i + 1);
  return ls;
}

/** The 0-based index of the line holding `offset`, given `lineStarts(text)`. */
export function lineIndex(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
