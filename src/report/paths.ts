/**
 * @fileoverview Path helpers shared by the reporters: every format shows paths relative
 * to the report's base directory with forward slashes, so output is identical on
 * Windows and POSIX and can be diffed or uploaded (GitHub resolves annotation and SARIF
 * paths relative to the repository root).
 */
import path from 'node:path';

/**
 * Returns `file` relative to `baseDir` with forward slashes. A relative `file` is first
 * resolved against the working directory (that is how the analyser reports them).
 * Files outside `baseDir` keep a `../` prefix; the base directory itself becomes `.`.
 */
export function relativePath(baseDir: string, file: string): string {
  const rel = path.relative(path.resolve(baseDir), path.resolve(file));
  if (rel === '') return '.';
  return toSlash(rel);
}

/** Converts platform separators to `/`. */
export function toSlash(p: string): string {
  return path.sep === '\\' ? p.replace(/\\/g, '/') : p;
}

/** True when `rel` (as returned by {@link relativePath}) points outside the base directory. */
export function isOutside(rel: string): boolean {
  return rel === '..' || rel.startsWith('../') || path.isAbsolute(rel) || /^[A-Za-z]:\//.test(rel);
}
