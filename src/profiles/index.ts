/**
 * @fileoverview Public API of leakscope's profile readers (issue 5): read any
 * goroutine, heap or race profile Go emits, group and classify goroutines,
 * rank allocation sites, diff two snapshots and fit trends over several.
 *
 * Pure library: no process, filesystem or network access; the CLI fetches
 * bytes and hands them to {@link readProfile} / {@link readProfileStream}.
 */
export * from './model.js';
export { UnrecognizedFormatError, MalformedProfileError, isProfileError } from './errors.js';
export { readProfile, readGoroutineProfile, readProfileStream, type ReadOptions } from './read.js';
export { DEFAULT_MAX_DECOMPRESSED_BYTES, maybeGunzip, isGzip } from './input.js';
export {
  parseGoroutineDump,
  parseGoroutineDumpStream,
  GoroutineDumpParser,
  parseHeaderBracket,
  DEBUG2_CAP_BYTES,
  type GoroutineDumpOptions,
  type HeaderInfo,
} from './debug2.js';
export { parseGoroutineText } from './debug1.js';
export { parseHeapText, scaleHeapSample } from './heap-text.js';
export { parsePprof, looksBinary } from './pprof.js';
export { decodeProfile, type RawProfile, type RawSample } from './proto.js';
export { parseRaceReports } from './race.js';
export { inferState, STATE_BY_FRAME } from './state.js';
export {
  groupGoroutines,
  groupKey,
  blockingSite,
  isStdlib,
  userFrames,
  packageOf,
  frameString,
  type GoroutineGroup,
  type Similarity,
  type GroupOptions,
} from './group.js';
export {
  classifyGroup,
  classifyGroups,
  matchIdler,
  HEALTHY_IDLERS,
  NEVER_WAKES,
  BLOCKING_STATES,
  type Verdict,
  type ClassifyOptions,
  type ClassifiedGroup,
  type ProfileContext,
  type IdlerRule,
  type GroupEvidence,
} from './classify.js';
export {
  waitGraph,
  waitTarget,
  argWords,
  describeCycle,
  type WaitGraph,
  type WaitTarget,
  type WaitEdge,
  type LockCycle,
  type LockFact,
  type FrameLockFacts,
  type LockModel,
} from './waitfor.js';
export { goroutineReport, type GoroutineReport, type GoroutineReportGroup, type JsonFrame } from './report.js';
export { topAllocationSites, sampleIndex, siteKey, type HeapTop, type HeapSite, type HeapTopOptions, type HeapSampleType } from './heap.js';
export { diffProfiles, goroutineCounts, heapCounts, sameEncoding, type ProfileDiff, type DiffChange, type DiffOptions } from './diff.js';
export { trendProfiles, linearFit, type Snapshot, type TrendResult, type TrendSeries, type TrendVerdict, type TrendOptions } from './trend.js';
