import { describe, expect, it } from 'vitest';
import { requiredWords, wordBit, wordBits } from '../src/analysis/triggers.js';
import { ALL_RULES } from '../src/rules/index.js';

/** The whole runs of ASCII word characters of a text (what `\b` separates). */
function runs(text: string): Set<string> {
  return new Set(text.match(/[A-Za-z0-9_]+/g) ?? []);
}

/** True when the text spells every word of some alternative. */
function meets(text: string, req: string[][]): boolean {
  const r = runs(text);
  return req.some((alt) => alt.every((w) => r.has(w)));
}

describe('requiredWords', () => {
  it('reads the words every match spells as whole runs', () => {
    expect(requiredWords(/\bchan\s/)).toEqual([['chan']]);
    expect(requiredWords(/\.Wait\(\)/)).toEqual([['Wait']]);
    expect(requiredWords(/\bgo\s+func\b/)).toEqual([['go', 'func']]);
    // positive look-aheads: their text is in the subject too
    expect(requiredWords(/^(?=[\s\S]*?\bmake\(\s*chan\b)(?=[\s\S]*?\bgo\s+(?:func\b|[\w.]+\s*[([]))/)).toEqual([['make', 'chan', 'go']]);
    // one set per top-level alternative
    expect(requiredWords(/\.Put\(|\bsync\.Pool\b/)).toEqual([['Put'], ['sync', 'Pool']]);
    // runs between non-word characters that may be absent, down to an edge
    expect(requiredWords(/\(\s*x\b/)).toEqual([['x']]);
  });

  it('requires nothing it cannot prove', () => {
    // the run may continue: R?Lock matches RLock; With may be WithCancel
    expect(requiredWords(/\.R?Lock\(\)/)).toBeUndefined();
    expect(requiredWords(/\bWith(?:Cancel|Timeout)\w*\(/)).toBeUndefined();
    // a run next to something that may be a word character
    expect(requiredWords(/go.func/)).toBeUndefined();
    expect(requiredWords(/[a-z]go\b/)).toBeUndefined();
    expect(requiredWords(/go\b/)).toBeUndefined(); // what precedes the pattern may be a word character
    // optional or repeated parts, alternatives without a word, negative look-arounds
    expect(requiredWords(/\b(?:go)?\s/)).toBeUndefined();
    expect(requiredWords(/\bgo\b|\s+/)).toBeUndefined();
    expect(requiredWords(/(?!\bgo\b)\s/)).toBeUndefined();
    expect(requiredWords(/\bgo+\b/)).toBeUndefined();
    // flags and escapes that change what a letter or \b means
    expect(requiredWords(/\bgo\b/i)).toBeUndefined();
    expect(requiredWords(/\bgo\b/u)).toBeUndefined();
    expect(requiredWords(/\bgo\b/g)).toBeUndefined();
    expect(requiredWords(/\bg\x6f\b/)).toBeUndefined();
    expect(requiredWords(/(\bgo\b)\1/)).toBeUndefined();
  });

  it('never rules out a text a trigger of a rule matches', () => {
    const texts = [
      'func f() { ch := make(chan int); go func() { ch <- 1 }() }',
      'func f() { ch := make( chan int); go\tworker(ch) }',
      'func f() { var mu sync.Mutex; mu.Lock(); mu.RLock() }',
      'func f() { p := sync.Pool{}; x := p.Get().(*T); p.Put(x) }',
      'func f() { var c chan int; var (a, b chan int); <-c }',
      'func f() { ctx, cancel := context.WithCancel(ctx); t := time.NewTicker(d); <-time.After(d) }',
      'func f() { var wg sync.WaitGroup; wg.Wait(); once.Do(g); for x := range ch {} }',
      'var h = func() { go run() }',
      'func f() { é_go func() {}; xmake(chan int) }',
    ];
    let checked = 0;
    for (const r of ALL_RULES) {
      const req = requiredWords(r.triggers);
      if (!req) continue;
      for (const t of texts) {
        if (r.triggers.test(t)) {
          expect(meets(t, req), `${r.meta.id} on ${t}`).toBe(true);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});

describe('wordBits', () => {
  it('sets the bit of each vocabulary word a text spells as a whole run', () => {
    const a = wordBit('zzalpha');
    const b = wordBit('zzbeta');
    expect(a).not.toBe(0);
    expect(b).not.toBe(a);
    const bits = wordBits(['zzalpha(zzbeta)', 'zzalphax zzbeta_', 'é.zzalpha', '']);
    expect([...bits].map((x) => [(x & a) !== 0, (x & b) !== 0])).toEqual([
      [true, true],
      [false, false],
      [true, false],
      [false, false],
    ]);
    expect(wordBit('zzalpha')).toBe(a);
  });
});
