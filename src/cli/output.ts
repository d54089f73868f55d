/**
 * @fileoverview Output helpers shared by the CLI commands: where a report goes (stdout or
 * an `-o` file written atomically), whether to colour it, and a cached source reader for
 * code frames.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../go/loader.js';
import type { CliIO } from './main.js';

/**
 * Resolves and checks an `-o` path before any work is done: a directory, or a path whose
 * directory does not exist, is a usage error naming the path the user gave.
 */
export function resolveOutputPath(io: CliIO, given: string | undefined): string | undefined {
  if (!given) return undefined;
  const abs = path.resolve(io.cwd, given);
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(abs);
  } catch {
    st = undefined;
  }
  if (st?.isDirectory()) throw new UsageError(`cannot write the report to ${given}: it is a directory`);
  const dir = path.dirname(abs);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`cannot write the report to ${given}: directory ${path.dirname(given) || '.'} does not exist`);
  return abs;
}

/**
 * Prints a report to stdout, or writes it to `abs` through a temporary file beside it
 * and a rename, so an interrupted or failed write never leaves half a report (the
 * temporary file is removed on failure).
 */
export function writeOutput(io: CliIO, abs: string | undefined, given: string | undefined, text: string): void {
  if (!abs) {
    io.stdout(text.endsWith('\n') || text === '' ? text : text + '\n');
    return;
  }
  const tmp = `${abs}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, abs);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw new UsageError(`cannot write the report to ${given ?? abs}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Colour when forced, never into a file, otherwise on a terminal unless NO_COLOR (no-color.org) is set. */
export function useColor(io: CliIO, opts: { output?: string; color?: boolean }): boolean {
  if (opts.output) return false;
  if (opts.color !== undefined) return opts.color;
  if (io.env.FORCE_COLOR && io.env.FORCE_COLOR !== '0') return true;
  return io.isTTY && !io.env.NO_COLOR;
}

/**
 * Text of a file for a code frame, or undefined when it is not text: a NUL byte (binary
 * content) or bytes that are not valid UTF-8. Decoding those with replacement
 * characters would print the file's raw bytes to the terminal; the finding itself
 * already says what is wrong with the file.
 */
export function sourceText(bytes: Uint8Array): string | undefined {
  if (bytes.indexOf(0) !== -1) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** A reader of source files for code frames, reading each file at most once; binary and invalid UTF-8 files read as undefined (no frame). */
export function cachedSourceReader(): (file: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  return (file) => {
    if (!cache.has(file)) {
      try {
        cache.set(file, sourceText(fs.readFileSync(file)));
      } catch {
        cache.set(file, undefined);
      }
    }
    return cache.get(file);
  };
}
