// @ts-check
/**
 * The leakscope VS Code extension: starts `leakscope lsp` for Go files and hands it the
 * editor's documents through vscode-languageclient. Everything else (diagnostics as you
 * type, quick fixes, hover) is the server's; see docs/ci.md ("In the editor").
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

/** @type {import('vscode-languageclient/node').LanguageClient | undefined} */
let client;

/** The leakscope executable: the setting, the workspace's local install, or PATH. */
function serverCommand() {
  const configured = vscode.workspace.getConfiguration('leakscope').get('path', '');
  if (configured) return configured;
  const exe = process.platform === 'win32' ? 'leakscope.cmd' : 'leakscope';
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const local = path.join(folder.uri.fsPath, 'node_modules', '.bin', exe);
    if (fs.existsSync(local)) return local;
  }
  return exe;
}

async function start() {
  const command = serverCommand();
  const debounceMs = vscode.workspace.getConfiguration('leakscope').get('debounceMs', 300);
  // TransportKind.stdio makes the client append --stdio: `leakscope lsp --stdio`.
  const run = { command, args: ['lsp'], transport: TransportKind.stdio };
  client = new LanguageClient(
    'leakscope',
    'leakscope',
    { run, debug: run },
    {
      documentSelector: [{ scheme: 'file', language: 'go' }],
      initializationOptions: { debounceMs },
      synchronize: {
        // Files changed outside the editor (a checkout, the configuration) re-analyse what is open.
        fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.go,go.mod,.leakscope.yaml,.leakscope.yml}'),
      },
    },
  );
  try {
    await client.start();
  } catch (e) {
    void vscode.window.showErrorMessage(`leakscope: cannot start "${command} lsp" (${e instanceof Error ? e.message : String(e)}). Install leakscope (npm install -g leakscope) or set leakscope.path.`);
  }
}

/** @param {import('vscode').ExtensionContext} context */
async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('leakscope.restart', async () => {
      await client?.stop();
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration('leakscope')) {
        await client?.stop();
        await start();
      }
    }),
  );
  await start();
}

async function deactivate() {
  await client?.stop();
}

module.exports = { activate, deactivate };
