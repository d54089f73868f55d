/**
 * The VS Code extension in editors/vscode: its manifest and its code agree (every setting
 * and command it uses is contributed, the entry point exists), it starts the server the
 * tests drive (`leakscope lsp`), and the language client it depends on accepts the VS Code
 * versions the manifest claims. Packaging with @vscode/vsce runs in CI (.ci/run).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../cli/helpers.js';

const DIR = path.join(REPO_ROOT, 'editors', 'vscode');
const manifest = JSON.parse(fs.readFileSync(path.join(DIR, 'package.json'), 'utf8')) as {
  main: string;
  engines: { vscode: string };
  activationEvents: string[];
  dependencies: Record<string, string>;
  contributes: { commands: Array<{ command: string }>; configuration: { properties: Record<string, unknown> } };
};
const code = fs.readFileSync(path.join(DIR, manifest.main), 'utf8');

describe('editors/vscode', () => {
  it('contributes every setting and command the extension uses', () => {
    const settings = [...code.matchAll(/getConfiguration\('leakscope'\)\.get\('([\w.]+)'/g)].map((m) => `leakscope.${m[1]}`);
    expect(settings.sort()).toEqual(Object.keys(manifest.contributes.configuration.properties).sort());
    const commands = [...code.matchAll(/registerCommand\('([\w.]+)'/g)].map((m) => m[1]);
    expect(commands).toEqual(manifest.contributes.commands.map((c) => c.command));
  });

  it('activates on Go files and starts `leakscope lsp` over stdio', () => {
    expect(manifest.activationEvents).toContain('onLanguage:go');
    expect(code).toContain("args: ['lsp'], transport: TransportKind.stdio");
    expect(code).toContain("documentSelector: [{ scheme: 'file', language: 'go' }]");
  });

  it('pins a language client whose engine requirement the manifest satisfies', () => {
    expect(manifest.dependencies['vscode-languageclient']).toBe('9.0.1');
    const lock = JSON.parse(fs.readFileSync(path.join(DIR, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; engines?: Record<string, string> }> };
    const lc = lock.packages['node_modules/vscode-languageclient']!;
    expect(lc.version).toBe('9.0.1');
    // vscode-languageclient 9.0.1 requires vscode ^1.82.0; the manifest must not claim older.
    expect(lc.engines?.vscode).toBe(manifest.engines.vscode);
  });
});
