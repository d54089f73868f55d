/**
 * @fileoverview Path-exclusion globs with gitignore-like semantics on top of minimatch.
 *
 * Why not plain `minimatch(rel, pattern)`: users write `exclude: [vendor, gen/]` and expect
 * whole subtrees to disappear, and `*.pb.go` to match at any depth, the way `.gitignore`
 * works. So:
 * - a pattern without a `/` (after trimming a trailing `/`) is matched against every path
 *   segment (`*.pb.go`, `testdata`, `mocks`), like minimatch's `matchBase` but also for
 *   directory segments;
 * - a pattern with a `/` is anchored at the base directory and matched against the path
 *   and each of its ancestor directories (`internal/gen` excludes everything below it);
 *   a leading `/` or `./` only anchors and is removed;
 * - matching uses `dot: true` so `.cache/**` works, and never treats `!` or `#` specially.
 */
import { Minimatch } from 'minimatch';

/** A compiled exclusion pattern. */
export interface CompiledGlob {
  /** The pattern as written. */
  source: string;
  /** True when the pattern is matched against the whole relative path (it contains `/`). */
  anchored: boolean;
  matcher: Minimatch;
}

/** Returns why `pattern` is unusable, or undefined when it is fine. */
export function globProblem(pattern: string): string | undefined {
  if (pattern.trim() === '') return 'empty pattern';
  if (pattern.startsWith('!')) return 'negated patterns ("!...") are not supported; list only what to exclude';
  if (/^[A-Za-z]:[\\/]/.test(pattern)) return 'patterns must be relative to the config file directory';
  return undefined;
}

/** Compiles one pattern (see the file overview for the semantics). */
export function compileGlob(pattern: string): CompiledGlob {
  let p = pattern.trim().replace(/\\/g, '/');
  let anchored = false;
  while (p.startsWith('./')) {
    p = p.slice(2);
    anchored = true;
  }
  if (p.startsWith('/')) {
    p = p.replace(/^\/+/, '');
    anchored = true;
  }
  p = p.replace(/\/+$/, '');
  if (p.includes('/')) anchored = true;
  const matcher = new Minimatch(p, { dot: true, nonegate: true, nocomment: true });
  return { source: pattern, anchored, matcher };
}

/**
 * True when `relPath` (relative to the patterns' base directory, `/`-separated, not
 * starting with `..`) or one of its ancestor directories matches `glob`.
 */
export function globMatches(glob: CompiledGlob, relPath: string): boolean {
  const segments = relPath.split('/').filter((s) => s !== '' && s !== '.');
  for (let i = 1; i <= segments.length; i++) {
    const candidate = glob.anchored ? segments.slice(0, i).join('/') : (segments[i - 1] ?? '');
    if (glob.matcher.match(candidate)) return true;
  }
  return false;
}
