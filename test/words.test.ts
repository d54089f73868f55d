import { describe, expect, it } from 'vitest';
import { WordIndex } from '../src/analysis/words.js';

describe('WordIndex', () => {
  it('finds whole words only, in text order, with their offsets', () => {
    const idx = new WordIndex(['run', 'stop']);
    const seen: Array<[string, number]> = [];
    const text = 'run(); running := stop; x.run(); _run; run2; stop';
    idx.forEach(text, (w, pos) => seen.push([w, pos]));
    expect(seen).toEqual([
      ['run', 0],
      ['stop', 18],
      ['run', 26],
      ['stop', 45],
    ]);
    // the same as the regular expression it stands for
    const byRe = [...text.matchAll(/[A-Za-z_]\w*/g)].filter((m) => m[0] === 'run' || m[0] === 'stop').map((m) => [m[0], m.index]);
    expect(seen).toEqual(byRe);
  });

  it('tells apart words whose hashes collide', () => {
    // 'Aa' and 'BB' have the same 31-multiplier hash (65*31+97 = 66*31+66)
    const idx = new WordIndex(['Aa']);
    expect(idx.wordsIn('BB + BB')).toEqual([]);
    expect(idx.wordsIn('BB + Aa')).toEqual(['Aa']);
    const both = new WordIndex(['Aa', 'BB']);
    expect(both.wordsIn('BB Aa BB')).toEqual(['BB', 'Aa']);
  });

  it('ends a word at a non-ASCII character, as \\w does', () => {
    const idx = new WordIndex(['go']);
    expect(idx.wordsIn('goé')).toEqual(['go']);
    expect(idx.wordsIn('égo')).toEqual(['go']);
    expect(idx.wordsIn('gopher')).toEqual([]);
  });

  it('reports nothing when no word is indexed', () => {
    const idx = new WordIndex([]);
    expect(idx.empty).toBe(true);
    expect(idx.wordsIn('anything at all')).toEqual([]);
  });
});
