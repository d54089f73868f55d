/**
 * @fileoverview `leakscope test` (issues 6 and 18): run a Go test suite with an injected
 * goroutine-leak check and deadlock and crash capture, without changing the user's files.
 *
 * - `inject.ts`: the generated Go check and the `TestMain` rewrite for `go test -overlay`;
 * - `shake.ts`: `--shake`, seeded scheduling perturbations in copies of the module's code;
 * - `run.ts`: the `go list` / `go test -json` driver, `--isolate`, the re-run of tests that
 *   fail only under the injection;
 * - `dump.ts`, `subtests.ts`: filtering, attribution (down to the subtest) and grouping of
 *   the goroutines in the dumps;
 * - `report.ts`: findings (`goroutine-leak`, `deadlock`, `crash`) for the static reporters,
 *   notices and the run summary.
 */
export {
  runTests,
  randomSeed,
  exactRunPattern,
  GoToolError,
  splitJsonStream,
  extractRun,
  type TestRunOptions,
  type TestRunResult,
  type FailedTest,
  type CrashedPackage,
  type ShakeOptions,
  type ShakeReport,
  type TestSummary,
  type StackDependentTest,
} from './run.js';
export {
  leaksFromCheck,
  readCheckFile,
  crashFromOutput,
  deadlockFromOutput,
  attributeBlock,
  goroutineBlocks,
  isFrameworkGoroutine,
  isIgnored,
  isRunningState,
  mergeSites,
  compareSites,
  type GoroutineSite,
  type CrashDump,
  type CheckResult,
} from './dump.js';
export { attributeChain, parseChain, testOfFunction, rewriteSubtestName, sourceSubtestNamer, type SubtestNamer, type ChainAttribution } from './subtests.js';
export {
  checkSource,
  rewriteTestMain,
  injectPackage,
  SETTLE_MS,
  DUMP_DIR_ENV,
  ROUNDS_ENV,
  ALL_RUNS_ENV,
  type IgnoreOptions,
  type ListedPackage,
  type Injection,
  type Uncovered,
  type TestMainInfo,
  type CheckOptions,
} from './inject.js';
export { shakePackage, shakeHelperSource, shakeRuntimeSource, shakeImportPath, isGeneratedGo, fnv64, SHAKE_SEED_ENV, SHAKE_TRACE_ENV, SHAKE_PKG_DIR, type ShakeSite, type ShakeKind } from './shake.js';
export { RUNTIME_RULES, siteFinding, resultFindings, resultNotices, failedOutputText, exitCodeOf, summaryText, creatingSitesText, replayCommand } from './report.js';
