/**
 * @fileoverview `anyTrigger`: the analyser's "may any enabled rule care about this file"
 * test must answer exactly as testing each rule's trigger on its own would, whatever
 * flags, anchors and escapes the triggers use.
 */
import { describe, expect, it } from 'vitest';
import { anyTrigger } from '../src/analysis/rule.js';
import { ALL_RULES } from '../src/rules/index.js';
import { repoGoTexts } from './support/go-texts.js';

describe('anyTrigger', () => {
  it('agrees with testing every rule trigger separately, on every Go file in the repository and on each rule alone', () => {
    const texts = repoGoTexts();
    expect(texts.length).toBeGreaterThan(100);
    const triggers = ALL_RULES.map((r) => r.triggers);
    const any = anyTrigger(triggers);
    const seen = { yes: 0, no: 0 };
    for (const t of texts) {
      // Whole files, and declaration-sized pieces (most of which match no trigger).
      for (const piece of [t, ...t.split(/\n(?=func )/)]) {
        const want = triggers.some((r) => r.test(piece));
        expect(any(piece)).toBe(want);
        seen[want ? 'yes' : 'no']++;
      }
    }
    expect(seen.yes).toBeGreaterThan(100);
    expect(seen.no).toBeGreaterThan(100);
  });

  it('keeps each trigger’s own flags, anchors, property escapes and back-references', () => {
    const any = anyTrigger([/^(?=[\s\S]*\bneedle\b)(?=[\s\S]*\bthread\b)/, /shout/i, /\p{Lu}{3}ß/u, /(["'])quoted\1/]);
    expect(any('a needle and a thread')).toBe(true);
    expect(any('thread only, then a needle')).toBe(true);
    expect(any('needle only')).toBe(false);
    expect(any('SHOUT')).toBe(true);
    expect(any('ÄÖÜß')).toBe(true);
    expect(any('äöüß')).toBe(false);
    expect(any('"quoted"')).toBe(true);
    expect(any('"quoted\'')).toBe(false);
    expect(anyTrigger([])('anything')).toBe(false);
  });
});
