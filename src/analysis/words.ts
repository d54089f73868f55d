/**
 * @fileoverview Whole-word search for a fixed set of Go identifiers in source text, shared by
 * the program model (which declarations mention a relevant name) and the blocking-state search
 * (where a package's unexported functions are mentioned).
 */

/** Bit 1: the ASCII character may start a word (`[A-Za-z_]`); bit 2: it may continue one (`[A-Za-z0-9_]`). */
export const WORD_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_]/.test(ch)) WORD_CHAR[c] = 3;
  else if (/[0-9]/.test(ch)) WORD_CHAR[c] = 2;
}

/** `/\w/` of one UTF-16 code unit: `[A-Za-z0-9_]`. */
export function isWordCode(c: number): boolean {
  return c < 128 && (WORD_CHAR[c] as number) !== 0;
}

/** A hash of the identifier `s[from, to)` (the one WordIndex and the lock analysis's identifier index use): equal words hash equally. */
export function wordHash(s: string, from: number, to: number): number {
  let h = 0;
  for (let i = from; i < to; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** Entries of `WordIndex`'s hash filter (a power of two). */
const FILTER_SIZE = 4096;

/**
 * Finds which of a fixed set of words occur in texts as whole `[A-Za-z_]\w*` runs (what
 * `text.match(/[A-Za-z_]\w*\/g)` would list), without making a string per identifier of
 * the text: runs are hashed while scanned and compared only on a hash hit. Non-ASCII
 * letters end a run (as `\w` does), so a word is never matched inside a Unicode identifier's
 * ASCII tail only by accident of the hash: the comparison is on the text itself.
 */
export class WordIndex {
  private readonly byHash = new Map<number, string[]>();
  /**
   * One byte per value of a hash's low 12 bits, set for the indexed words' hashes: most of a
   * text's identifiers are not indexed and fail this test, without the hash lookup in `byHash`.
   */
  private readonly filter = new Uint8Array(FILTER_SIZE);

  constructor(words: Iterable<string>) {
    for (const w of words) {
      const h = wordHash(w, 0, w.length);
      this.filter[h & (FILTER_SIZE - 1)] = 1;
      const l = this.byHash.get(h);
      if (!l) this.byHash.set(h, [w]);
      else if (!l.includes(w)) l.push(w);
    }
  }

  /** True when no word is indexed. */
  get empty(): boolean {
    return this.byHash.size === 0;
  }

  /** Calls `found` for each whole-word occurrence of an indexed word in `text`, in text order. */
  forEach(text: string, found: (word: string, pos: number) => void): void {
    if (this.byHash.size === 0) return;
    const n = text.length;
    const filter = this.filter;
    let i = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c >= 128 || !((WORD_CHAR[c] as number) & 1)) {
        i++;
        continue;
      }
      const start = i;
      let h = 0;
      for (; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d >= 128 || !(WORD_CHAR[d] as number)) break;
        h = (Math.imul(h, 31) + d) | 0;
      }
      if (filter[h & (FILTER_SIZE - 1)] === 0) continue;
      const l = this.byHash.get(h);
      if (!l) continue;
      for (const w of l) {
        if (w.length === i - start && text.startsWith(w, start)) {
          found(w, start);
          break;
        }
      }
    }
  }

  /** The indexed words that occur in `text` (each once, in order of first occurrence). */
  wordsIn(text: string): string[] {
    const out: string[] = [];
    this.forEach(text, (w) => {
      if (!out.includes(w)) out.push(w);
    });
    return out;
  }
}
