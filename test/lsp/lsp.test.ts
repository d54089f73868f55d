/**
 * `leakscope lsp` driven by a real LSP client over stdio: open, change, diagnostics from
 * the unsaved text, hover with the rule's help, a quick fix applied by the client, the
 * ignore action, versions that never describe stale text, close, and a clean exit.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLEAN, GO_MOD, LOST_CANCEL, removeTempDirs, tempTree } from '../cli/helpers.js';
import { LspClient } from './client.js';

let dir: string;
let client: LspClient;

beforeAll(async () => {
  dir = tempTree({ 'go.mod': GO_MOD, 'app/app.go': CLEAN, 'app/other.go': 'package app\n\nfunc Other() {}\n' });
  client = new LspClient(30);
  await client.initialize(dir);
});
afterAll(async () => {
  await client.stop();
  removeTempDirs();
});

describe('leakscope lsp', () => {
  const file = (): string => path.join(dir, 'app', 'app.go');

  it('publishes diagnostics for the unsaved text as it changes, and applies a quick fix', async () => {
    const uri = await client.open(file(), CLEAN);
    expect(await client.diagnostics(uri, 1)).toEqual([]);

    // The leak exists only in the editor: the file on disk stays clean.
    const v2 = await client.replaceAll(uri, LOST_CANCEL);
    const diags = await client.diagnostics(uri, v2);
    expect(diags.map((d) => `${d.code} ${d.range.start.line + 1}:${d.range.start.character + 1}`)).toEqual(['lost-cancel 6:7']);
    expect(diags[0]).toMatchObject({ source: 'leakscope', severity: 2 });
    expect(diags[0]!.codeDescription?.href).toMatch(/lost-cancel/);
    expect(diags[0]!.relatedInformation?.[0]?.location.range.start.line).toBe(7);
    expect(fs.readFileSync(file(), 'utf8')).toBe(CLEAN);

    const hover = await client.hover(uri, 5, 8);
    const md = (hover?.contents as { value: string }).value;
    expect(md).toContain('**leakscope `lost-cancel`**');
    expect(md).toContain('The cancel function returned by context.WithCancel');
    expect(await client.hover(uri, 0, 0)).toBeNull();

    const actions = await client.codeActions(uri, diags[0]!.range, diags);
    expect(actions.map((a) => a.title)).toEqual(['leakscope: Insert "defer cancel()" after line 6', 'leakscope: ignore lost-cancel on this line']);
    expect(actions[0]!.isPreferred).toBe(true);
    expect(await client.apply(actions[0]!)).toBe(true);
    const v3 = client.docs.get(uri)!.version;
    expect(client.docs.get(uri)!.getText()).toContain('context.WithCancel(parent)\n\tdefer cancel()\n');
    expect(await client.diagnostics(uri, v3)).toEqual([]);
    // An action computed for an older version is refused by the client.
    expect(await client.apply(actions[1]!)).toBe(false);
  });

  it('offers an ignore directive that silences the finding', async () => {
    const uri = client.docs.keys().next().value as string;
    const v = await client.replaceAll(uri, LOST_CANCEL);
    const diags = await client.diagnostics(uri, v);
    const ignore = (await client.codeActions(uri, diags[0]!.range, diags)).find((a) => a.title.includes('ignore'))!;
    expect(await client.apply(ignore)).toBe(true);
    const doc = client.docs.get(uri)!;
    expect(doc.getText()).toContain('\t//leakscope:ignore lost-cancel TODO: say why this is safe\n\tctx, cancel :=');
    expect(await client.diagnostics(uri, doc.version)).toEqual([]);
  });

  it('publishes only for the latest version when edits come faster than the analysis', async () => {
    const uri = client.docs.keys().next().value as string;
    const from = client.published.length;
    let last = 0;
    for (let i = 0; i < 8; i++) last = await client.replaceAll(uri, i % 2 === 0 ? LOST_CANCEL : CLEAN);
    // The last text (i = 7) is clean.
    expect(await client.diagnostics(uri, last)).toEqual([]);
    const later = client.published.slice(from).filter((p) => p.uri === uri);
    expect(later.length).toBeLessThan(8);
    for (const p of later) expect(client.sent.get(uri)!.has(p.version!)).toBe(true);
  });

  it('re-analyses the package of another open file, and clears diagnostics on close', async () => {
    const uri = client.docs.keys().next().value as string;
    const v = await client.replaceAll(uri, LOST_CANCEL);
    expect(await client.diagnostics(uri, v)).toHaveLength(1);
    const other = await client.open(path.join(dir, 'app', 'other.go'), 'package app\n\nfunc Other() {}\n');
    expect(await client.diagnostics(other, 1)).toEqual([]);
    const n = client.published.length;
    await client.close(uri);
    await expect.poll(() => client.published.slice(n).some((p) => p.uri === uri && p.diagnostics.length === 0)).toBe(true);
    expect(client.stderr).toBe('');
  });
});

describe('leakscope lsp exit', () => {
  it('exits with status 0 after shutdown and exit', async () => {
    const c = new LspClient();
    await c.initialize(tempTree());
    expect(await c.stop()).toBe(0);
  });
});
