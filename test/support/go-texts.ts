/**
 * @fileoverview The Go source of the repository's rule fixtures, examples and accuracy
 * corpus: a few hundred real files for tests that check a property on every one.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Texts of every `.go` file under src/rules, examples and corpus (relative to the repository root). */
export function repoGoTexts(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.go')) out.push(fs.readFileSync(p, 'utf8'));
    }
  };
  for (const d of ['src/rules', 'examples', 'corpus']) if (fs.existsSync(d)) walk(d);
  return out;
}
