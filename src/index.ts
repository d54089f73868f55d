/**
 * @fileoverview The leakscope library API.
 *
 * Static analysis: `analyze(targets, options)` returns findings for Go sources.
 * Reporting: `formatReport(format, input)` renders them as text, JSON, SARIF or GitHub
 * annotations. The CLI (`leakscope`) is a thin layer over these.
 */
export { analyze, AnalysisSetupError, type AnalysisResult, type AnalyzeOptions } from './analysis/engine.js';
export type { Finding, Severity, Range, Position, SuggestedFix, TextEdit, RelatedLocation } from './analysis/finding.js';
export type { RuleMeta } from './analysis/meta.js';
export { createRule, type Rule, type RuleDefinition } from './analysis/rule.js';
export { runFixtures, parseExpectations, type FixtureOutcome } from './analysis/fixtures.js';
export { loadConfig, findConfigFile, ConfigError, type LeakscopeConfig } from './analysis/config.js';
export { ALL_RULES, ruleById } from './rules/index.js';
export { formatReport, type OutputFormat, type ReportInput } from './report/index.js';
export { execute } from './cli/main.js';
export { VERSION } from './version.js';
