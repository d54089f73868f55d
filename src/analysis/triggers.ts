/**
 * @fileoverview The words a rule's trigger pattern cannot match without, and an index of which
 * declarations of a package spell them: `PackageFacts.functions` tests a trigger only on the
 * declarations that contain the words every match needs, instead of running each of ~20 trigger
 * patterns over the text of every declaration (most patterns start with `\b`, where V8's regular
 * expressions try every position of the text: about 1.5 ns per character and pattern).
 *
 * Sound by construction: a word is required only when every match of the pattern contains it as
 * a whole run of ASCII word characters (`[A-Za-z0-9_]`, what `\b` separates); a declaration
 * without the run cannot match, and every other declaration is still tested with the pattern.
 */
import { isWordCode } from './words.js';

/** One element of a parsed pattern, with its quantifier. */
type Atom =
  /** A literal character; `word` when it is an ASCII word character. */
  | { k: 'char'; ch: string; word: boolean; min: number; max: number }
  /** A character class (`\s`, `[([]`, `.`); `nonWord` when it never matches an ASCII word character. */
  | { k: 'class'; nonWord: boolean; min: number; max: number }
  /** `\b`, `^` or `$`: the match position is at a run's edge (or the text's). */
  | { k: 'edge' }
  /** A zero-width assertion that says nothing about runs (`\B`, look-behinds, negative look-aheads). */
  | { k: 'opaque' }
  /** A group (a positive look-ahead is `look`): its alternatives. */
  | { k: 'group'; alts: Atom[][]; look: boolean; min: number; max: number };

class Unsupported extends Error {}

/** A small parser of the JavaScript pattern syntax (without the `u`/`v` flags) trigger patterns use. */
class PatternParser {
  private i = 0;
  constructor(private readonly s: string) {}

  parse(): Atom[][] {
    const alts = this.alternatives();
    if (this.i !== this.s.length) throw new Unsupported('unbalanced )');
    return alts;
  }

  private alternatives(): Atom[][] {
    const alts: Atom[][] = [[]];
    while (this.i < this.s.length) {
      const c = this.s[this.i] as string;
      if (c === ')') break;
      if (c === '|') {
        this.i++;
        alts.push([]);
        continue;
      }
      (alts[alts.length - 1] as Atom[]).push(this.atom());
    }
    return alts;
  }

  private atom(): Atom {
    const s = this.s;
    const c = s[this.i++] as string;
    let a: Atom;
    switch (c) {
      case '^':
      case '$':
        return { k: 'edge' };
      case '.':
        a = { k: 'class', nonWord: false, min: 1, max: 1 };
        break;
      case '[':
        a = this.charClass();
        break;
      case '(':
        a = this.group();
        if (a.k !== 'group') return a;
        break;
      case '\\':
        a = this.escape();
        if (a.k === 'edge' || a.k === 'opaque') return a;
        break;
      case '*':
      case '+':
      case '?':
      case '{':
      case '}':
      case ']':
        // A quantifier without an atom, or a brace or bracket the pattern means literally: not
        // worth telling apart here.
        throw new Unsupported(`unexpected ${c}`);
      default:
        a = { k: 'char', ch: c, word: isWordCode(c.charCodeAt(0)), min: 1, max: 1 };
    }
    if (a.k === 'edge' || a.k === 'opaque') return a;
    this.quantifier(a);
    return a;
  }

  private quantifier(a: Exclude<Atom, { k: 'edge' } | { k: 'opaque' }>): void {
    const s = this.s;
    const q = s[this.i];
    if (q === '*' || q === '+' || q === '?') {
      this.i++;
      a.min = q === '+' ? 1 : 0;
      a.max = q === '?' ? 1 : Infinity;
    } else if (q === '{') {
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(s.slice(this.i));
      if (!m) throw new Unsupported('literal {');
      this.i += m[0].length;
      a.min = Number(m[1]);
      a.max = m[2] === undefined ? a.min : m[3] === '' ? Infinity : Number(m[3]);
    } else return;
    if (s[this.i] === '?') this.i++; // lazy
  }

  private group(): Atom {
    const s = this.s;
    let look = false;
    let opaque = false;
    if (s[this.i] === '?') {
      const kind = s.slice(this.i, this.i + 3);
      if (kind.startsWith('?:')) this.i += 2;
      else if (kind.startsWith('?=')) {
        this.i += 2;
        look = true;
      } else if (kind.startsWith('?!') || kind === '?<=' || kind === '?<!') {
        this.i += kind.startsWith('?!') ? 2 : 3;
        opaque = true;
      } else if (kind.startsWith('?<')) {
        const end = s.indexOf('>', this.i);
        if (end < 0) throw new Unsupported('group name');
        this.i = end + 1;
      } else throw new Unsupported(`group ${kind}`);
    }
    const alts = this.alternatives();
    if (s[this.i] !== ')') throw new Unsupported('unclosed group');
    this.i++;
    if (opaque) return { k: 'opaque' };
    return { k: 'group', alts, look, min: 1, max: 1 };
  }

  private escape(): Atom {
    const e = this.s[this.i++];
    if (e === undefined) throw new Unsupported('trailing \\');
    switch (e) {
      case 'b':
        return { k: 'edge' };
      case 'B':
        return { k: 'opaque' };
      case 's':
      case 'W':
        return { k: 'class', nonWord: true, min: 1, max: 1 };
      case 'S':
      case 'w':
      case 'd':
      case 'D':
        return { k: 'class', nonWord: false, min: 1, max: 1 };
      case 'n':
      case 't':
      case 'r':
      case 'f':
      case 'v':
        return { k: 'char', ch: '', word: false, min: 1, max: 1 };
    }
    // Other letters and digits escape something else (\x41, \u0041, \cJ, \k<n>, \p{L},
    // back-references): patterns that use them get no required words.
    if (isWordCode(e.charCodeAt(0))) throw new Unsupported(`\\${e}`);
    return { k: 'char', ch: e, word: false, min: 1, max: 1 };
  }

  private charClass(): Atom {
    const s = this.s;
    let nonWord = true;
    if (s[this.i] === '^') {
      nonWord = false;
      this.i++;
    }
    let first = true;
    for (;;) {
      const c = s[this.i++];
      if (c === undefined) throw new Unsupported('unclosed [');
      if (c === ']' && !first) break;
      first = false;
      if (c === '\\') {
        const e = s[this.i++];
        if (e === undefined) throw new Unsupported('trailing \\');
        // \s, \W, \b (backspace) and escaped punctuation match no word character; \n etc. neither.
        if (!'sWbntrfv'.includes(e) && isWordCode(e.charCodeAt(0))) nonWord = false;
        continue;
      }
      if (c === '-' || isWordCode(c.charCodeAt(0))) nonWord = false; // ranges: not worth reading
    }
    return { k: 'class', nonWord, min: 1, max: 1 };
  }
}

/** An atom that matches only non-word characters (any number of them, zero included). */
function nonWordOnly(a: Atom): boolean {
  return (a.k === 'char' && !a.word) || (a.k === 'class' && a.nonWord);
}

/**
 * True when, before atom `at` of `seq`, the text is at a run's start: the atoms before it back to
 * an edge (`\b`, `^`) match only non-word characters, or at least one of them matches one.
 */
function boundedBefore(seq: Atom[], at: number): boolean {
  for (let k = at - 1; k >= 0; k--) {
    const a = seq[k] as Atom;
    if (a.k === 'edge') return true;
    if (!nonWordOnly(a)) return false;
    if ((a as { min: number }).min >= 1) return true;
  }
  return false; // the sequence's start: what comes before it is not known here
}

/** Like `boundedBefore`, after atom `at`. */
function boundedAfter(seq: Atom[], at: number): boolean {
  for (let k = at + 1; k < seq.length; k++) {
    const a = seq[k] as Atom;
    if (a.k === 'edge') return true;
    if (!nonWordOnly(a)) return false;
    if ((a as { min: number }).min >= 1) return true;
  }
  return false;
}

/** The words every match of the sequence contains as whole runs. */
function sequenceWords(seq: Atom[], out: Set<string>): void {
  let runStart = -1;
  let run = '';
  const close = (end: number): void => {
    if (runStart >= 0 && boundedBefore(seq, runStart) && boundedAfter(seq, end - 1)) out.add(run);
    runStart = -1;
    run = '';
  };
  for (let k = 0; k < seq.length; k++) {
    const a = seq[k] as Atom;
    if (a.k === 'char' && a.word && a.min === 1 && a.max === 1) {
      if (runStart < 0) runStart = k;
      run += a.ch;
      continue;
    }
    close(k);
    // A group that must match once, with one alternative (a positive look-ahead included: its
    // text is in the subject too): its own words are required.
    if (a.k === 'group' && a.min >= 1 && a.alts.length === 1) {
      sequenceWords(a.alts[0] as Atom[], out);
    }
  }
  close(seq.length);
}

/**
 * The words a match of `re` must contain, as whole runs of ASCII word characters: one set per
 * top-level alternative (a match contains every word of at least one set). Undefined when the
 * pattern does not allow such a statement (an alternative without a required word, flags that
 * change what `\b` or a letter means, syntax this reader does not know).
 */
export function requiredWords(re: RegExp): string[][] | undefined {
  if (/[iuvgy]/.test(re.flags)) return undefined;
  let alts: Atom[][];
  try {
    alts = new PatternParser(re.source).parse();
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
  const out: string[][] = [];
  for (const alt of alts) {
    const words = new Set<string>();
    sequenceWords(alt, words);
    if (words.size === 0) return undefined;
    out.push([...words]);
  }
  return out;
}

/**
 * The words asked for so far, each with its bit (one vocabulary per thread: the trigger patterns
 * are the same for every package, so after the first packages it no longer grows and each
 * package's texts are scanned once). At most 31 words get a bit; a required word without one is
 * simply not used to rule declarations out.
 */
const vocabulary = new Map<string, number>();
/** A pattern matching any vocabulary word as a whole run, and the vocabulary size it was made for. */
let anyWord: RegExp | undefined;
let anyWordSize = -1;

/** The bit of `word`, adding it to the vocabulary if there is room (0: none). */
export function wordBit(word: string): number {
  let b = vocabulary.get(word);
  if (b !== undefined) return b;
  if (vocabulary.size >= 31 || !/^\w+$/.test(word)) return 0;
  b = 1 << vocabulary.size;
  vocabulary.set(word, b);
  return b;
}

/** The vocabulary's current bits (for telling whether an index is out of date). */
export function vocabularyBits(): number {
  return vocabulary.size === 0 ? 0 : (1 << vocabulary.size) - 1;
}

/**
 * For each text, the bits of the vocabulary words it contains as whole runs of ASCII word
 * characters: one pass of one pattern (`\b(?:w1|w2|...)\b`, whose `\b` is the runs' edge) over
 * every text, about twice as fast as a scan of the runs in JavaScript.
 */
export function wordBits(texts: readonly string[]): Int32Array {
  const out = new Int32Array(texts.length);
  if (vocabulary.size === 0) return out;
  if (anyWordSize !== vocabulary.size) {
    anyWord = new RegExp(`\\b(?:${[...vocabulary.keys()].join('|')})\\b`, 'g');
    anyWordSize = vocabulary.size;
  }
  const re = anyWord as RegExp;
  for (let t = 0; t < texts.length; t++) {
    const text = texts[t] as string;
    let bits = 0;
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) bits |= vocabulary.get(m[0]) as number;
    out[t] = bits;
  }
  return out;
}
