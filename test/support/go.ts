/**
 * @fileoverview Helpers for tests that need a real Go toolchain.
 *
 * Policy (DEVELOPERS.md): under `CI=true` a missing `go` is a failure with a clear
 * message; elsewhere the test is skipped with a visible notice. The static analyser
 * and the profile readers never need Go; only tests that compile and run Go do.
 */
import { execFileSync } from 'node:child_process';

let cached: string | null | undefined;

/** Path-resolved `go` version string, or null when no usable Go is on PATH. */
export function goVersion(): string | null {
  if (cached !== undefined) return cached;
  try {
    cached = execFileSync('go', ['env', 'GOVERSION'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    cached = null;
  }
  return cached;
}

/**
 * Returns true when Go tests can run. When Go is missing: throws under CI=true
 * (so CI fails loudly) and otherwise prints a notice and returns false, which the
 * caller passes to `describe.skipIf(!hasGo)`.
 */
export function requireGo(what: string): boolean {
  if (goVersion() !== null) return true;
  const msg = `leakscope tests: Go toolchain not found on PATH; ${what} needs it (install Go 1.21+).`;
  if (process.env.CI === 'true') throw new Error(msg);
  console.warn(`NOTICE: skipping - ${msg}`);
  return false;
}
