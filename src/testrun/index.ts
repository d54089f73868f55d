/**
 * @fileoverview `leakscope test` (issue 6): run a Go test suite with an injected
 * goroutine-leak check and deadlock capture, without changing the user's files.
 *
 * - `inject.ts`: the generated Go check and the `TestMain` rewrite for `go test -overlay`;
 * - `run.ts`: the `go list` / `go test -json` driver and `--isolate`;
 * - `dump.ts`: filtering, attribution and grouping of the goroutines in the dumps;
 * - `report.ts`: findings (`goroutine-leak`, `deadlock`) for the static reporters.
 */
export { runTests, GoToolError, splitJsonStream, extractRun, type TestRunOptions, type TestRunResult, type FailedTest, type CrashedPackage } from './run.js';
export {
  leaksFromCheck,
  deadlockFromOutput,
  attributeBlock,
  goroutineBlocks,
  testOfFunction,
  isFrameworkGoroutine,
  isIgnored,
  type GoroutineSite,
  type CrashDump,
} from './dump.js';
export { checkSource, rewriteTestMain, injectPackage, SETTLE_MS, DUMP_DIR_ENV, type IgnoreOptions, type ListedPackage, type Injection, type Uncovered, type TestMainInfo } from './inject.js';
export { RUNTIME_RULES, siteFinding, resultFindings, resultNotices, failedOutputText, exitCodeOf } from './report.js';
