/**
 * @fileoverview The editor server's analysis thread. It lives as long as the server, so
 * what the analysis keeps per thread (the parser, the stub packages of the standard
 * library, file contents read from disk) stays warm between keystrokes, and the server's
 * own thread keeps answering hovers and code actions while a package is analysed.
 */
import { parentPort } from 'node:worker_threads';
import { runAnalysis, type AnalysisRequest } from './analysis.js';

parentPort?.on('message', (req: AnalysisRequest) => {
  void runAnalysis(req).then((reply) => parentPort?.postMessage(reply));
});
