/**
 * @fileoverview Errors of the server that the CLI recognises (`cliError`), in a module of
 * their own so that recognising them does not load the server stack (fastify and its
 * plugins) into commands that never serve, such as `leakscope check`.
 */

/** A listen address that is not acceptable, with the reason. */
export class ListenError extends Error {
  override readonly name = 'ListenError';
}
