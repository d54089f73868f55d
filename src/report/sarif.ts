/**
 * @fileoverview SARIF 2.1.0 reporter (`--format sarif`), shaped for GitHub code scanning.
 *
 * References: the OASIS SARIF 2.1.0 specification (section numbers below) and GitHub's
 * "SARIF support for code scanning" page, which lists the properties GitHub reads:
 * `$schema`, `version`, `runs[].tool.driver.{name,semanticVersion,rules}`, per rule
 * `id`, `name`, `shortDescription`, `fullDescription`, `help`, `helpUri`,
 * `defaultConfiguration.level`, `properties.{tags,precision,problem.severity}`, and per
 * result `ruleId`, `ruleIndex`, `level`, `message.text`, `locations[].physicalLocation`
 * with a relative `artifactLocation.uri` + `uriBaseId`, `region`, `partialFingerprints`,
 * `relatedLocations`.
 *
 * Fingerprints (§3.27.17 `partialFingerprints`): GitHub tracks an alert across commits by
 * `partialFingerprints.primaryLocationLineHash`; when the upload action finds the key
 * already set it keeps ours instead of computing its own. Ours is the finding's identity
 * from `fingerprint.ts`, the same one baselines use (rule, file, enclosing function and the
 * normalised text of the flagged line, no line number, no message), as
 * `<fingerprint>:<occurrence>`, where `occurrence` counts, from 1, the findings earlier in
 * the report with the same fingerprint (so two identical `go work(ch)` lines in one
 * function stay distinct). Inserting or deleting unrelated lines, re-indenting, or
 * rewording a message keeps an alert's identity.
 */
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { TraceLocation, Finding, Range, Severity } from '../analysis/finding.js';
import { INPUT_RULE_ID, SUPPRESSION_RULE_ID, SYNTAX_RULE_ID } from '../analysis/finding.js';
import type { RuleMeta } from '../analysis/meta.js';
import { fingerprintFindings } from './fingerprint.js';
import { isOutside, relativePath } from './paths.js';
import type { ReportInput } from './types.js';

/** Schema URL GitHub's documentation uses for SARIF 2.1.0 (§3.13.3 `$schema`). */
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** The `uriBaseId` every artifact location is relative to (§3.4.4, §3.14.14). */
export const SRCROOT = '%SRCROOT%';
/** Project home page, `tool.driver.informationUri` (§3.19.17). */
export const INFORMATION_URI = 'https://github.com/leakscope/leakscope';
/** The `partialFingerprints` key GitHub code scanning reads. */
export const FINGERPRINT_KEY = 'primaryLocationLineHash';

/** SARIF `level` (§3.27.10) for a leakscope severity. */
export function sarifLevel(s: Severity): 'error' | 'warning' | 'note' {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note';
}

/** GitHub's `problem.severity` rule property: `error`, `warning` or `recommendation`. */
export function problemSeverity(s: Severity): 'error' | 'warning' | 'recommendation' {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'recommendation';
}

/** `lost-cancel` → `LostCancel` (GitHub shows `name`; SARIF §3.49.7 suggests PascalCase). */
export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((p) => p !== '')
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
}

/** Percent-encodes each path segment of a relative, `/`-separated path (RFC 3986; SARIF §3.10.2). */
export function encodeRelativeUri(rel: string): string {
  return rel
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

/** Descriptors for the pseudo rules that are not in the rule registry. */
const PSEUDO_RULES: Record<string, { severity: Severity; description: string; help: string }> = {
  [SYNTAX_RULE_ID]: {
    severity: 'error',
    description: 'The Go file could not be parsed.',
    help: 'leakscope analyses the parts of the file it can parse; fix the syntax error so the whole file is checked.',
  },
  [INPUT_RULE_ID]: {
    severity: 'error',
    description: 'An input file could not be read or is not valid UTF-8 Go source.',
    help: 'Check that the file exists, is readable and is UTF-8 encoded Go source.',
  },
  [SUPPRESSION_RULE_ID]: {
    severity: 'warning',
    description: 'A //leakscope:ignore or //leakscope:file-ignore directive is malformed or unused.',
    help: 'Directives need a known rule id and a reason, e.g. `//leakscope:ignore lost-cancel cancelled by the caller`. Remove directives that no longer suppress anything.',
  },
};

function pseudoMeta(id: string): RuleMeta {
  const p = PSEUDO_RULES[id] ?? {
    severity: 'warning' as Severity,
    description: `Diagnostic ${id}.`,
    help: `Diagnostic ${id} reported by leakscope.`,
  };
  return {
    id,
    severity: p.severity,
    since: '0.1.0',
    description: p.description,
    help: p.help,
    docsUrl: INFORMATION_URI,
    enabledByDefault: true,
    category: 'diagnostic',
  };
}

/** Builds a `reportingDescriptor` (§3.49) for one rule. */
export function ruleDescriptor(meta: RuleMeta): Sarif.ReportingDescriptor {
  return {
    id: meta.id,
    name: pascalCase(meta.id),
    shortDescription: { text: meta.description },
    fullDescription: { text: meta.help },
    help: {
      text: `${meta.description}\n\n${meta.help}\n\nDocumentation: ${meta.docsUrl}`,
      markdown: `**${meta.description}**\n\n${meta.help}\n\n[Rule documentation](${meta.docsUrl})`,
    },
    helpUri: meta.docsUrl,
    defaultConfiguration: { level: sarifLevel(meta.severity), enabled: meta.enabledByDefault },
    properties: {
      tags: ['go', 'concurrency', meta.category],
      precision: 'high',
      'problem.severity': problemSeverity(meta.severity),
    },
  };
}

/** A SARIF region (§3.30) from a range; `widenEmpty` turns an empty range into one character. */
function region(r: Range, widenEmpty: boolean): Sarif.Region {
  const empty = r.end.line === r.start.line && r.end.column <= r.start.column;
  return {
    startLine: r.start.line,
    startColumn: r.start.column,
    endLine: Math.max(r.end.line, r.start.line),
    endColumn: empty ? r.start.column + (widenEmpty ? 1 : 0) : r.end.column,
  };
}

/**
 * Computes `primaryLocationLineHash` values for `findings` (same order): the shared
 * fingerprint (see `fingerprint.ts`) and an occurrence counter.
 */
export function computeFingerprints(input: Pick<ReportInput, 'findings' | 'baseDir' | 'readSource'>): string[] {
  const seen = new Map<string, number>();
  return fingerprintFindings(input.findings, input.baseDir, input.readSource).map(({ fingerprint }) => {
    const n = (seen.get(fingerprint) ?? 0) + 1;
    seen.set(fingerprint, n);
    return `${fingerprint}:${n}`;
  });
}

/** An `artifactLocation` (§3.4): relative to `%SRCROOT%`, or an absolute file URI when outside it. */
function artifactLocation(baseDir: string, file: string): Sarif.ArtifactLocation {
  const rel = relativePath(baseDir, file);
  if (isOutside(rel)) return { uri: pathToFileURL(file).href };
  return { uri: encodeRelativeUri(rel), uriBaseId: SRCROOT };
}

/**
 * A witness trace as a code flow (§3.36): one thread flow (§3.37) per goroutine, each
 * location carrying its global `executionOrder` (§3.38.12) so a viewer can interleave the
 * goroutines back into the schedule the engine found.
 */
export function codeFlow(baseDir: string, trace: TraceLocation[]): Sarif.CodeFlow {
  const threads = new Map<number, Sarif.ThreadFlow>();
  trace.forEach((t, i) => {
    let tf = threads.get(t.goroutine);
    if (!tf) threads.set(t.goroutine, (tf = { id: `goroutine-${t.goroutine}`, message: { text: `#${t.goroutine} ${t.name}` }, locations: [] }));
    tf.locations.push({
      location: { physicalLocation: { artifactLocation: artifactLocation(baseDir, t.file), region: region(t.range, true) }, message: { text: t.message } },
      executionOrder: i + 1,
    });
  });
  return { message: { text: `a schedule of ${threads.size} goroutine${threads.size === 1 ? '' : 's'} that ends in this block` }, threadFlows: [...threads.values()] };
}

/** Builds the SARIF log object (exported for tests and library users). */
export function buildSarif(input: ReportInput): Sarif.Log {
  const metas: RuleMeta[] = [...input.rules];
  const index = new Map<string, number>();
  metas.forEach((m, i) => index.set(m.id, i));
  for (const f of input.findings) {
    if (!index.has(f.ruleId)) {
      index.set(f.ruleId, metas.length);
      metas.push(pseudoMeta(f.ruleId));
    }
  }

  const fingerprints = computeFingerprints(input);
  const results: Sarif.Result[] = input.findings.map((f: Finding, i): Sarif.Result => {
    const result: Sarif.Result = {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId) ?? 0,
      level: sarifLevel(f.severity),
      message: { text: f.fixHint ? `${f.message}\nHint: ${f.fixHint}` : f.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: artifactLocation(input.baseDir, f.file),
            region: region(f.range, true),
          },
        },
      ],
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprints[i] ?? '' },
    };
    if (f.related && f.related.length > 0) {
      // §3.27.22: relatedLocations; each carries a unique integer id (§3.28.2).
      result.relatedLocations = f.related.map((r, j) => ({
        id: j + 1,
        physicalLocation: { artifactLocation: artifactLocation(input.baseDir, r.file), region: region(r.range, true) },
        message: { text: r.message },
      }));
    }
    if (f.trace && f.trace.length > 0) result.codeFlows = [codeFlow(input.baseDir, f.trace)];
    if (f.fix) {
      // §3.55 fix → §3.56 artifactChange → §3.57 replacement. An empty deletedRegion is
      // an insertion point (§3.30.2), so empty ranges are not widened here.
      result.fixes = [
        {
          description: { text: f.fix.description },
          artifactChanges: [
            {
              artifactLocation: artifactLocation(input.baseDir, f.file),
              replacements: f.fix.edits.map((e) => ({
                deletedRegion: region(e.range, false),
                insertedContent: { text: e.newText },
              })),
            },
          ],
        },
      ];
    }
    return result;
  });

  const baseUri = pathToFileURL(input.baseDir).href;
  const run: Sarif.Run = {
    tool: {
      driver: {
        name: 'leakscope',
        informationUri: INFORMATION_URI,
        version: input.toolVersion,
        semanticVersion: input.toolVersion,
        rules: metas.map(ruleDescriptor),
      },
    },
    // §3.14.14: a uriBaseId's uri must end with a slash to act as a directory.
    originalUriBaseIds: { [SRCROOT]: { uri: baseUri.endsWith('/') ? baseUri : `${baseUri}/` } },
    // §3.14.23: our columns are UTF-16 code units (see finding.ts), which is also the default.
    columnKind: 'utf16CodeUnits',
    results,
    invocations: [
      {
        executionSuccessful: true,
        toolExecutionNotifications: (input.notices ?? []).map((n) => ({ level: 'note', message: { text: n } })),
      },
    ],
  };
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
}

/** Formats the SARIF log, pretty-printed with a trailing newline. */
export function formatSarif(input: ReportInput): string {
  return JSON.stringify(buildSarif(input), null, 2) + '\n';
}
