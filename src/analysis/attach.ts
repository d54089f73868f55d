/**
 * @fileoverview Ties runtime evidence (goroutine stacks from a profile, a test dump) back
 * to the static rules: for each stack frame whose source file exists on this machine,
 * the static findings inside the same top-level function are attached, so a leaked
 * goroutine blocked at `main.go:42` comes with "abandoned-sender: goroutine blocks
 * forever sending on \"ch\" ..." and its fix.
 */
import fs from 'node:fs';
import path from 'node:path';
import { analyze } from './engine.js';
import type { Finding } from './finding.js';
import { SourceFile } from '../go/source.js';

/** A frame to look up (the shape of profile frames). */
export interface FrameRef {
  function: string;
  file: string;
  line: number;
}

/** Static findings that explain a frame. */
export interface FrameExplanation {
  frame: FrameRef;
  /** Findings in the same top-level function as the frame, the one on the frame's line first. */
  findings: Finding[];
  /** The source line of the frame (trimmed), when the file is readable. */
  sourceLine?: string;
}

/** Options for `explainFrames`. */
export interface ExplainOptions {
  /** Map a path from the profile to a local path (e.g. a build path to a checkout). */
  mapPath?: (file: string) => string;
  /** Restrict to these rules (default: all enabled rules). */
  rules?: string[];
}

/**
 * Runs the static analysis over the directories of the frames' files that exist locally
 * and returns, per frame key `file:line`, the findings that lie in the same top-level
 * function. Frames whose files do not exist (stdlib on another machine, vendored code)
 * are skipped. Never throws for unreadable files: they simply explain nothing.
 */
export async function explainFrames(frames: FrameRef[], opts: ExplainOptions = {}): Promise<Map<string, FrameExplanation>> {
  const dirs = [...new Set(localFrames(frames, opts).map(({ local }) => path.dirname(local)))];
  if (dirs.length === 0) return new Map();
  const res = await analyze(dirs, { noConfig: true, only: opts.rules, workers: 0 });
  return attachFindings(frames, res.findings, opts);
}

function localFrames(frames: readonly FrameRef[], opts: ExplainOptions): { local: string; fr: FrameRef }[] {
  const out: { local: string; fr: FrameRef }[] = [];
  for (const fr of frames) {
    const p = path.resolve(opts.mapPath ? opts.mapPath(fr.file) : fr.file);
    if (p.endsWith('.go') && fs.existsSync(p)) out.push({ local: p, fr });
  }
  return out;
}

/**
 * Attaches findings already computed (an `analyze` run over the frames' directories) to
 * the frames, as {@link explainFrames} does: per frame key `file:line`, the findings in
 * the same top-level function, the one on the frame's line first.
 */
export function attachFindings(frames: readonly FrameRef[], findings: readonly Finding[], opts: Pick<ExplainOptions, 'mapPath'> = {}): Map<string, FrameExplanation> {
  const out = new Map<string, FrameExplanation>();
  const local = new Map<string, FrameRef[]>();
  for (const { local: p, fr } of localFrames(frames, opts)) {
    let list = local.get(p);
    if (!list) local.set(p, (list = []));
    list.push(fr);
  }
  if (local.size === 0) return out;
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    if (f.ruleId === 'syntax' || f.ruleId === 'input' || f.ruleId === 'suppression') continue;
    const k = path.resolve(f.file);
    let l = byFile.get(k);
    if (!l) byFile.set(k, (l = []));
    l.push(f);
  }
  for (const [file, refs] of local) {
    let sf: SourceFile | undefined;
    try {
      sf = new SourceFile(file, fs.readFileSync(file, 'utf8'));
    } catch {
      sf = undefined;
    }
    const inFile = byFile.get(file) ?? [];
    for (const fr of refs) {
      const key = `${fr.file}:${fr.line}`;
      if (out.has(key)) continue;
      const span = sf ? declSpan(sf, fr.line) : undefined;
      const inFunc = inFile.filter((f) => (span ? f.range.start.line >= span.start && f.range.start.line <= span.end : f.range.start.line === fr.line));
      inFunc.sort((a, b) => Number(b.range.start.line === fr.line) - Number(a.range.start.line === fr.line) || a.range.start.line - b.range.start.line);
      const ex: FrameExplanation = { frame: fr, findings: inFunc };
      const lineText = sf?.lineText(fr.line).trim();
      if (lineText) ex.sourceLine = lineText;
      out.set(key, ex);
    }
  }
  return out;
}

/** The 1-based line span of the top-level declaration containing `line`. */
function declSpan(sf: SourceFile, line: number): { start: number; end: number } | undefined {
  for (const d of sf.decls) {
    const s = sf.line(d.start);
    const e = sf.line(d.end);
    if (line >= s && line <= e) return { start: s, end: e };
  }
  return undefined;
}
