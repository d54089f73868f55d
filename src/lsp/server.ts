/**
 * @fileoverview `leakscope lsp`: a Language Server Protocol server (LSP 3.17, through
 * `vscode-languageserver`) that shows leakscope's findings in an editor.
 *
 * - Diagnostics for open Go files, as you type: a change schedules its package directory
 *   (debounced, `debounceMs`, default 300 ms); only that directory is analysed, from the
 *   in-memory text of the open documents and the disk for the rest, on a long-lived
 *   analysis thread (see `worker.ts`).
 * - Never on stale text: each analysis records the version of every open document of
 *   the directory it read. Its result is published only when none of them has changed
 *   meanwhile (otherwise the newer analysis that the change scheduled publishes), and
 *   `publishDiagnostics` carries the document version it describes. Hovers and code
 *   actions use the findings only while the document is still at that version.
 * - Code actions: a finding's suggested fix (a quick fix, preferred) and a
 *   `//leakscope:ignore` directive for its rule. Hover: the rule's description and help.
 *
 * Syntax errors (`syntax` findings) are not published: the Go language server already
 * reports them while you type, and two squiggles for every typo are noise.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Connection, Diagnostic, Hover, InitializeResult } from 'vscode-languageserver/node';
import { CodeActionKind, DiagnosticSeverity, MarkupKind, TextDocumentEdit, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Range as FRange, Severity } from '../analysis/finding.js';
import { SYNTAX_RULE_ID } from '../analysis/finding.js';
import type { RuleMeta } from '../analysis/meta.js';
import { ALL_RULES } from '../rules/index.js';
import { VERSION } from '../version.js';
import { runAnalysis, type AnalysisReply, type AnalysisRequest } from './analysis.js';

/** Server options (also accepted as `initializationOptions` from the client). */
export interface LspOptions {
  /** Quiet period after the last change before a package is analysed (ms). */
  debounceMs?: number;
}

/** LSP position/range (0-based) from leakscope's 1-based range. */
function lspRange(r: FRange): { start: { line: number; character: number }; end: { line: number; character: number } } {
  return {
    start: { line: Math.max(0, r.start.line - 1), character: Math.max(0, r.start.column - 1) },
    end: { line: Math.max(0, r.end.line - 1), character: Math.max(0, r.end.column - 1) },
  };
}

function lspSeverity(s: Severity): DiagnosticSeverity {
  return s === 'error' ? DiagnosticSeverity.Error : s === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information;
}

/** Where the compiled analysis worker lives; undefined when running from sources. */
function workerPath(): string | undefined {
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith('.js')) return undefined;
  const p = path.join(path.dirname(here), 'worker.js');
  return fs.existsSync(p) ? p : undefined;
}

/** Runs analyses one at a time on a worker thread (or inline when there is none). */
class Analyzer {
  private worker: Worker | undefined;
  private nextId = 1;
  private waiting = new Map<number, (r: AnalysisReply) => void>();

  constructor() {
    const p = workerPath();
    if (p) {
      this.worker = new Worker(p);
      this.worker.on('message', (r: AnalysisReply) => {
        this.waiting.get(r.id)?.(r);
        this.waiting.delete(r.id);
      });
      this.worker.on('error', (e) => {
        // A crashed worker: answer everything pending with the error, fall back to inline.
        for (const [id, done] of this.waiting) done({ id, error: `analysis thread failed: ${e.message}` });
        this.waiting.clear();
        this.worker = undefined;
      });
    }
  }

  run(dir: string, overlay: Array<[string, string]>): Promise<AnalysisReply> {
    const req: AnalysisRequest = { id: this.nextId++, dir, overlay };
    if (!this.worker) return runAnalysis(req);
    return new Promise((resolve) => {
      this.waiting.set(req.id, resolve);
      this.worker!.postMessage(req);
    });
  }

  async stop(): Promise<void> {
    await this.worker?.terminate();
  }
}

/** Per package directory: the debounce timer and whether an analysis runs or is due. */
interface DirState {
  timer?: NodeJS.Timeout;
  running: boolean;
  again: boolean;
}

/** Findings published for a document, at the version they describe. */
interface Published {
  version: number;
  findings: Finding[];
}

/**
 * Wires leakscope into `connection` and starts listening. On the protocol's `exit`
 * notification `vscode-languageserver` ends the process (status 0 after `shutdown`).
 */
export function startLspServer(connection: Connection, options: LspOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  const analyzer = new Analyzer();
  const dirs = new Map<string, DirState>();
  const published = new Map<string, Published>();
  const shownErrors = new Set<string>();
  const metas = new Map<string, RuleMeta>(ALL_RULES.map((r) => [r.meta.id, r.meta]));
  let debounceMs = options.debounceMs ?? 300;
  let shuttingDown = false;

  const goPath = (uri: string): string | undefined => {
    if (!uri.startsWith('file:') || !uri.endsWith('.go')) return undefined;
    try {
      return fileURLToPath(uri);
    } catch {
      return undefined;
    }
  };

  const openInDir = (dir: string): TextDocument[] => documents.all().filter((d) => {
    const p = goPath(d.uri);
    return p !== undefined && path.dirname(p) === dir;
  });

  const toDiagnostic = (f: Finding): Diagnostic => {
    const meta = metas.get(f.ruleId);
    const d: Diagnostic = {
      range: lspRange(f.range),
      severity: lspSeverity(f.severity),
      source: 'leakscope',
      code: f.ruleId,
      message: f.fixHint ? `${f.message}\nhint: ${f.fixHint}` : f.message,
    };
    if (meta) d.codeDescription = { href: meta.docsUrl };
    if (f.related?.length) {
      d.relatedInformation = f.related.map((r) => ({ location: { uri: pathToFileURL(r.file).href, range: lspRange(r.range) }, message: r.message }));
    }
    return d;
  };

  const analyse = async (dir: string): Promise<void> => {
    const st = dirs.get(dir);
    if (!st || shuttingDown) return;
    if (st.running) {
      st.again = true;
      return;
    }
    st.running = true;
    st.again = false;
    const docs = openInDir(dir);
    const snapshot = new Map(docs.map((d) => [d.uri, d.version]));
    const overlay: Array<[string, string]> = docs.map((d) => [goPath(d.uri) as string, d.getText()]);
    let reply: AnalysisReply;
    try {
      reply = await analyzer.run(dir, overlay);
    } finally {
      st.running = false;
    }
    if (shuttingDown) return;
    const now = openInDir(dir);
    const fresh = now.every((d) => snapshot.get(d.uri) === d.version);
    if (st.again || !fresh) {
      // Something changed while we analysed: the newer text gets its own analysis (the
      // change already set a debounce timer, unless that timer fired during this run).
      if (!st.timer) schedule(dir, 0);
      return;
    }
    if (reply.error !== undefined) {
      if (!shownErrors.has(reply.error)) {
        shownErrors.add(reply.error);
        void connection.window.showErrorMessage(`leakscope: ${reply.error}`);
      }
      for (const d of now) {
        published.set(d.uri, { version: d.version, findings: [] });
        void connection.sendDiagnostics({ uri: d.uri, version: d.version, diagnostics: [] });
      }
      return;
    }
    const byFile = new Map<string, Finding[]>();
    for (const f of reply.findings ?? []) {
      if (f.ruleId === SYNTAX_RULE_ID) continue;
      const key = path.resolve(f.file);
      byFile.set(key, [...(byFile.get(key) ?? []), f]);
    }
    for (const d of now) {
      const findings = byFile.get(goPath(d.uri) as string) ?? [];
      published.set(d.uri, { version: d.version, findings });
      void connection.sendDiagnostics({ uri: d.uri, version: d.version, diagnostics: findings.map(toDiagnostic) });
    }
  };

  function schedule(dir: string, delay = debounceMs): void {
    let st = dirs.get(dir);
    if (!st) dirs.set(dir, (st = { running: false, again: false }));
    if (st.timer) clearTimeout(st.timer);
    if (st.running) st.again = true;
    st.timer = setTimeout(() => {
      st.timer = undefined;
      void analyse(dir);
    }, delay);
  }

  /** Findings for a document, only while it is at the version they were computed for. */
  const current = (uri: string): Finding[] => {
    const doc = documents.get(uri);
    const p = published.get(uri);
    return doc && p && p.version === doc.version ? p.findings : [];
  };

  const overlaps = (f: FRange, line: number, character: number): boolean => {
    const r = lspRange(f);
    const after = (l: number, c: number): boolean => line > l || (line === l && character >= c);
    const before = (l: number, c: number): boolean => line < l || (line === l && character <= c);
    return after(r.start.line, r.start.character) && before(r.end.line, r.end.character);
  };

  connection.onInitialize((params): InitializeResult => {
    const init = params.initializationOptions as LspOptions | undefined;
    if (init && typeof init.debounceMs === 'number' && init.debounceMs >= 0) debounceMs = init.debounceMs;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        hoverProvider: true,
      },
      serverInfo: { name: 'leakscope', version: VERSION },
    };
  });

  documents.onDidOpen((e) => {
    const p = goPath(e.document.uri);
    if (p) schedule(path.dirname(p), 0);
  });
  documents.onDidChangeContent((e) => {
    const p = goPath(e.document.uri);
    if (p) schedule(path.dirname(p));
  });
  documents.onDidClose((e) => {
    published.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    // The file's disk text now counts for the package: refresh the other open files.
    const p = goPath(e.document.uri);
    if (p && openInDir(path.dirname(p)).length > 0) schedule(path.dirname(p));
  });
  connection.onDidChangeWatchedFiles(() => {
    // A file changed on disk (a checkout, .leakscope.yaml): re-analyse what is open.
    shownErrors.clear();
    for (const d of new Set(documents.all().map((x) => goPath(x.uri)).filter((p): p is string => !!p).map((p) => path.dirname(p)))) schedule(d);
  });

  connection.onHover((params): Hover | null => {
    const hits = current(params.textDocument.uri).filter((f) => overlaps(f.range, params.position.line, params.position.character));
    if (hits.length === 0) return null;
    const parts = hits.map((f) => {
      const m = metas.get(f.ruleId);
      const lines = [`**leakscope \`${f.ruleId}\`** (${f.severity}): ${f.message}`];
      if (f.fixHint) lines.push(`*Hint:* ${f.fixHint}`);
      if (m) lines.push(m.description, m.help, `[Rule documentation](${m.docsUrl})`);
      return lines.join('\n\n');
    });
    return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n---\n\n') }, range: lspRange(hits[0]!.range) };
  });

  connection.onCodeAction((params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return [];
    const r = params.range;
    const hits = current(doc.uri).filter((f) => {
      const fr = lspRange(f.range);
      return !(fr.end.line < r.start.line || fr.start.line > r.end.line);
    });
    const actions = [];
    for (const f of hits) {
      const diagnostic = toDiagnostic(f);
      // The edits name the document version they were computed for: a client holding a
      // newer text refuses them instead of editing the wrong place.
      const id = { uri: doc.uri, version: doc.version };
      if (f.fix) {
        actions.push({
          title: `leakscope: ${f.fix.description}`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: true,
          edit: { documentChanges: [TextDocumentEdit.create(id, f.fix.edits.map((e) => ({ range: lspRange(e.range), newText: e.newText })))] },
        });
      }
      const line = f.range.start.line - 1;
      const indent = /^\s*/.exec(doc.getText({ start: { line, character: 0 }, end: { line, character: 10_000 } }))?.[0] ?? '';
      actions.push({
        title: `leakscope: ignore ${f.ruleId} on this line`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit: {
          documentChanges: [
            TextDocumentEdit.create(id, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}//leakscope:ignore ${f.ruleId} TODO: say why this is safe\n` }]),
          ],
        },
      });
    }
    return actions;
  });

  connection.onShutdown(async () => {
    shuttingDown = true;
    for (const st of dirs.values()) if (st.timer) clearTimeout(st.timer);
    await analyzer.stop();
  });

  documents.listen(connection);
  connection.listen();
}
