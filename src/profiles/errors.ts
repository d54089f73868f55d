/**
 * @fileoverview Errors raised by the profile readers.
 *
 * Follows google/pprof `profile.ParseData`: a parser that does not recognise its
 * input throws {@link UnrecognizedFormatError} so the dispatcher tries the next
 * parser; any other failure is a {@link MalformedProfileError}, which stops the
 * search and names the source (and the line, for text formats) so the CLI can
 * print one clear line and exit 2.
 */

/** "Not my format": the dispatcher should try the next parser. */
export class UnrecognizedFormatError extends Error {
  override readonly name = 'UnrecognizedFormatError';
  constructor(
    readonly sourceName: string,
    message: string,
  ) {
    super(`${sourceName}: ${message}`);
  }
}

/**
 * The input is (or claims to be) a profile of a known format but cannot be
 * read: corrupt protobuf, a broken goroutine header, a gzip bomb, empty input.
 * `line` is 1-based and present for text formats.
 */
export class MalformedProfileError extends Error {
  override readonly name = 'MalformedProfileError';
  constructor(
    readonly sourceName: string,
    readonly reason: string,
    readonly line?: number,
  ) {
    super(line === undefined ? `${sourceName}: ${reason}` : `${sourceName}:${line}: ${reason}`);
  }
}

/** True for the two errors the readers are allowed to throw. */
export function isProfileError(e: unknown): e is UnrecognizedFormatError | MalformedProfileError {
  return e instanceof UnrecognizedFormatError || e instanceof MalformedProfileError;
}
