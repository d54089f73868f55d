/**
 * @fileoverview `leakscope lsp`: the editor server over stdin/stdout (see src/lsp/server.ts).
 * The VS Code extension in editors/vscode starts it; any LSP client can.
 */
import type { Command } from 'commander';
import { UsageError } from '../go/loader.js';

/** Registers `leakscope lsp` on `program`. The command runs until the client ends the session. */
export function registerLspCommand(program: Command): void {
  program
    .command('lsp')
    .description('run the Language Server Protocol server on stdin/stdout (diagnostics as you type, quick fixes, hover)')
    .option('--stdio', 'use stdin/stdout (the default and only transport)')
    .option('--debounce <ms>', 'quiet period after a change before the package is analysed', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new UsageError(`--debounce expects a non-negative integer, got "${v}"`);
      return n;
    })
    .action(async (opts: { debounce?: number }) => {
      // Loaded by this command only: the protocol libraries are of no use to the others.
      const { createConnection, ProposedFeatures } = await import('vscode-languageserver/node');
      const { startLspServer } = await import('../lsp/server.js');
      const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
      // stdout carries the protocol: anything printed goes to the client's log instead.
      console.log = (...a: unknown[]) => connection.console.log(a.map(String).join(' '));
      console.info = console.log;
      console.warn = (...a: unknown[]) => connection.console.warn(a.map(String).join(' '));
      console.error = (...a: unknown[]) => connection.console.error(a.map(String).join(' '));
      startLspServer(connection, { debounceMs: opts.debounce });
      // vscode-languageserver ends the process on `exit` or when stdin closes.
      await new Promise<never>(() => {});
    });
}
