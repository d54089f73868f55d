/**
 * @fileoverview What the editor server runs for one package directory: `analyze` on the
 * directory with the unsaved text of open documents in place of the files on disk. The
 * same function runs in the server's analysis worker and, when no compiled worker exists
 * (tests from sources), on the server's own thread.
 *
 * Files on disk are read once and kept while their size and modification time stay the
 * same, so re-analysing a package after a keystroke reads only what changed.
 */
import fs from 'node:fs';
import { analyze } from '../analysis/engine.js';
import type { Finding } from '../analysis/finding.js';

/** A request: analyse `dir` with `overlay` (absolute path → text of an open document). */
export interface AnalysisRequest {
  id: number;
  dir: string;
  overlay: Array<[string, string]>;
}

/** The reply: findings of every file in the directory, or an error message to show. */
export interface AnalysisReply {
  id: number;
  findings?: Finding[];
  error?: string;
}

const disk = new Map<string, { mtimeMs: number; size: number; bytes: Uint8Array }>();

function readDisk(p: string): Uint8Array {
  const st = fs.statSync(p);
  const have = disk.get(p);
  if (have && have.mtimeMs === st.mtimeMs && have.size === st.size) return have.bytes;
  const bytes = fs.readFileSync(p);
  disk.set(p, { mtimeMs: st.mtimeMs, size: st.size, bytes });
  return bytes;
}

/** Runs the analysis of one request; never throws (problems come back as `error`). */
export async function runAnalysis(req: AnalysisRequest): Promise<AnalysisReply> {
  const overlay = new Map(req.overlay);
  try {
    const result = await analyze([req.dir], {
      cwd: req.dir,
      readFile: (p) => {
        const text = overlay.get(p);
        return text !== undefined ? Buffer.from(text, 'utf8') : readDisk(p);
      },
    });
    return { id: req.id, findings: result.findings };
  } catch (e) {
    return { id: req.id, error: (e as Error).message };
  }
}
