/**
 * @fileoverview A real LSP client for the tests: `leakscope lsp` is started as a child
 * process (the built CLI, as an editor starts it) and driven over stdio with
 * `vscode-languageserver-protocol`'s JSON-RPC connection, the library VS Code's own
 * client is built on. Documents are kept with `vscode-languageserver-textdocument`, which
 * applies incremental changes and workspace edits the way an editor does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShowMessageNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type CodeAction,
  type Diagnostic,
  type Hover,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { REPO_ROOT } from '../cli/helpers.js';

/** A running server and a client connected to it. */
export class LspClient {
  readonly child: ChildProcess;
  readonly conn: ProtocolConnection;
  /** Every publishDiagnostics notification, in arrival order. */
  readonly published: PublishDiagnosticsParams[] = [];
  readonly messages: string[] = [];
  readonly docs = new Map<string, TextDocument>();
  /** Text of every version sent, per uri. */
  readonly sent = new Map<string, Map<number, string>>();
  stderr = '';
  private waiters: Array<() => void> = [];

  constructor(debounceMs = 30) {
    this.child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'leakscope.js'), 'lsp', '--stdio', '--debounce', String(debounceMs)], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (b: Buffer) => void (this.stderr += b.toString()));
    this.conn = createProtocolConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.published.push(p);
      for (const w of this.waiters.splice(0)) w();
    });
    this.conn.onNotification(ShowMessageNotification.type, (p) => void this.messages.push(p.message));
    this.conn.listen();
  }

  async initialize(rootDir: string): Promise<void> {
    const r = await this.conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: pathToFileURL(rootDir).href, capabilities: {}, workspaceFolders: null });
    if (!r.capabilities.codeActionProvider || !r.capabilities.hoverProvider) throw new Error('server lacks code actions or hover');
    await this.conn.sendNotification(InitializedNotification.type, {});
  }

  private record(doc: TextDocument): void {
    let m = this.sent.get(doc.uri);
    if (!m) this.sent.set(doc.uri, (m = new Map()));
    m.set(doc.version, doc.getText());
  }

  async open(file: string, text: string): Promise<string> {
    const uri = pathToFileURL(file).href;
    const doc = TextDocument.create(uri, 'go', 1, text);
    this.docs.set(uri, doc);
    this.record(doc);
    await this.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'go', version: 1, text } });
    return uri;
  }

  /** Sends incremental edits (applied in order, as an editor does) and returns the new version. */
  async change(uri: string, edits: Array<{ range: Range; text: string }>): Promise<number> {
    const doc = this.docs.get(uri)!;
    TextDocument.update(doc, edits, doc.version + 1);
    this.record(doc);
    await this.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: doc.version }, contentChanges: edits });
    return doc.version;
  }

  /** Replaces the whole text (as one incremental change over the full range). */
  replaceAll(uri: string, text: string): Promise<number> {
    const doc = this.docs.get(uri)!;
    return this.change(uri, [{ range: { start: { line: 0, character: 0 }, end: doc.positionAt(doc.getText().length) }, text }]);
  }

  async close(uri: string): Promise<void> {
    this.docs.delete(uri);
    await this.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Waits for diagnostics of `uri` at `version` (or any version when undefined). */
  async diagnostics(uri: string, version?: number, timeoutMs = 60_000): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = [...this.published].reverse().find((p) => p.uri === uri && (version === undefined || p.version === version));
      if (hit) return hit.diagnostics;
      if (Date.now() > deadline) throw new Error(`no diagnostics for ${uri} at version ${version}; got ${JSON.stringify(this.published.filter((p) => p.uri === uri).map((p) => p.version))}; stderr: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 200);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  hover(uri: string, line: number, character: number): Promise<Hover | null> {
    return this.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } });
  }

  async codeActions(uri: string, range: Range, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    return ((await this.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics } })) ?? []) as CodeAction[];
  }

  /**
   * Applies a code action's workspace edit as an editor does: refused (returns false)
   * when it names a document version other than the current one.
   */
  async apply(action: CodeAction): Promise<boolean> {
    for (const dc of action.edit?.documentChanges ?? []) {
      if (!('textDocument' in dc)) return false;
      const doc = this.docs.get(dc.textDocument.uri);
      if (!doc || dc.textDocument.version !== doc.version) return false;
      const edits = dc.edits as TextEdit[];
      const next = TextDocument.applyEdits(doc, edits);
      await this.replaceAll(doc.uri, next);
    }
    return true;
  }

  /** shutdown + exit; resolves with the server's exit code. */
  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.child.on('exit', (code) => resolve(code)));
    if (this.child.exitCode !== null) return this.child.exitCode;
    await this.conn.sendRequest(ShutdownRequest.type);
    await this.conn.sendNotification(ExitNotification.type);
    const code = await exited;
    this.conn.dispose();
    return code;
  }
}
