/**
 * @fileoverview `leakscope test [packages] [-- go test flags]`: runs `go test -json` with
 * an injected goroutine-leak check and reports leaks and deadlocks as findings (see
 * docs/test.md). Exit codes: 0 clean, 1 leaks, deadlocks or failed tests, 2 when `go`
 * is missing, the packages do not build, or the options are wrong.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { findConfigFile, loadConfig } from '../analysis/config.js';
import { UsageError } from '../go/loader.js';
import { formatReport, isOutputFormat, OUTPUT_FORMATS } from '../report/index.js';
import { relativePath } from '../report/paths.js';
import { ALL_RULES } from '../rules/index.js';
import {
  creatingSitesText,
  exitCodeOf,
  failedOutputText,
  GoToolError,
  randomSeed,
  resultFindings,
  resultNotices,
  RUNTIME_RULES,
  runTests,
  summaryText,
  isRunningState,
  type ShakeOptions,
} from '../testrun/index.js';
import { VERSION } from '../version.js';
import { cachedSourceReader, useColor } from './output.js';
import type { CliIO } from './main.js';
import { addAdoptionOptions, applyAdoption, prepareAdoption, type AdoptOptions } from './adopt.js';

interface TestOptions extends AdoptOptions {
  format: string;
  count?: number;
  shake?: boolean;
  seed?: string;
  cpu?: string;
  allRuns?: boolean;
  timeout: string;
  isolate?: boolean;
  ignoreTop?: string[];
  ignoreCreatedBy?: string[];
  config?: string | false;
  explain: boolean;
}

function repeat(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * Splits the command's operands into package patterns and go test flags. Commander drops
 * the `--` separator, so the raw argv decides: everything after `--` (or from the first
 * operand that starts with `-`) goes to go test.
 */
export function splitOperands(operands: string[], rawArgs: readonly string[]): { packages: string[]; goFlags: string[] } {
  const dd = rawArgs.indexOf('--');
  if (dd >= 0) {
    const after = rawArgs.length - dd - 1;
    const cut = Math.max(0, operands.length - after);
    return { packages: operands.slice(0, cut), goFlags: operands.slice(cut) };
  }
  const i = operands.findIndex((o) => o.startsWith('-'));
  return i < 0 ? { packages: operands, goFlags: [] } : { packages: operands.slice(0, i), goFlags: operands.slice(i) };
}

/** Registers `leakscope test` on `program`; `setCode` receives the exit code. */
export function registerTestCommand(program: Command, io: CliIO, setCode: (code: number) => void): void {
  program
    .command('test')
    .description('run go test with a goroutine-leak check injected into every package; report leaks and deadlocks')
    .argument('[packages...]', 'package patterns (default ./...), then -- and go test flags')
    .addOption(new Option('-f, --format <format>', 'output format').choices([...OUTPUT_FORMATS]).default('text'))
    .option('--count <n>', 'run each test n times (go test -count; with --shake: rounds, default 20)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`--count expects a positive integer, got "${v}"`);
      return n;
    })
    .option('--shake', 'perturb the schedule at the concurrency operations of the module\'s code (seeded), run --count rounds across -cpu variants, stop a package at its first leak')
    .option('--seed <n>', 'seed of the first --shake round (round r uses seed+r; default: random, printed)', (v) => {
      if (!/^\d{1,19}$/.test(v) || BigInt(v) > 2n ** 63n) throw new UsageError(`--seed expects a non-negative integer below 2^63, got "${v}"`);
      return v;
    })
    .option('--cpu <list>', 'GOMAXPROCS values each --shake round runs the tests with (go test -cpu)', (v) => {
      if (!/^\d+(,\d+)*$/.test(v) || v.split(',').some((x) => Number(x) < 1)) throw new UsageError(`--cpu expects a comma-separated list of positive integers such as 1,2,4, got "${v}"`);
      return v;
    })
    .option('--all-runs', 'with --shake, run every round even after a package\'s leak showed')
    .option('--timeout <duration>', 'per test binary timeout (go test -timeout)', '60s')
    .option('--isolate', 're-run packages with leaks one test at a time (-run ^TestX$) to attribute each leak')
    .option('--ignore-top <func>', 'ignore goroutines with this function on top of the stack (repeatable, goleak IgnoreTopFunction)', repeat)
    .option('--ignore-created-by <func>', 'ignore goroutines created by this function (repeatable, goleak IgnoreCreatedBy)', repeat)
    .option('-c, --config <file>', 'configuration file (default: .leakscope.yaml searched upward)')
    .option('--no-config', 'ignore .leakscope.yaml files')
    .option('--no-explain', 'do not attach static findings to the reported lines')
    .action(async (operands: string[], opts: TestOptions) => {
      // commander keeps the argv it parsed in the untyped `rawArgs` (lib/command.js parse()).
      const raw = (program as unknown as { rawArgs?: string[] }).rawArgs ?? [];
      setCode(await runTestCommand(operands, opts, raw, io));
    });
  addAdoptionOptions(program.commands.find((c) => c.name() === 'test')!, 'test');
}

async function runTestCommand(operands: string[], opts: TestOptions, rawArgs: readonly string[], io: CliIO): Promise<number> {
  if (!isOutputFormat(opts.format)) throw new UsageError(`unknown format "${opts.format}"`);
  if (!/^\d+(\.\d+)?(ns|us|µs|ms|s|m|h)([\d.]+(ns|us|µs|ms|s|m|h))*$/.test(opts.timeout) && opts.timeout !== '0') {
    throw new UsageError(`--timeout expects a Go duration such as 30s or 2m, got "${opts.timeout}"`);
  }
  const { packages, goFlags } = splitOperands(operands, rawArgs);
  if (!opts.shake && (opts.seed !== undefined || opts.cpu !== undefined || opts.allRuns)) {
    throw new UsageError(`${opts.seed !== undefined ? '--seed' : opts.cpu !== undefined ? '--cpu' : '--all-runs'} only applies with --shake`);
  }
  if (opts.shake && goFlags.some((f) => /^--?(test\.)?(count|cpu)(=|$)/.test(f))) {
    throw new UsageError('with --shake, give --count and --cpu to leakscope, not -count/-cpu to go test (they become the rounds)');
  }
  const shake: ShakeOptions | undefined = opts.shake ? { seed: opts.seed ?? randomSeed(), cpu: opts.cpu ?? '1,2,4', allRuns: !!opts.allRuns } : undefined;
  const ignoreTop = [...(opts.ignoreTop ?? [])];
  const ignoreCreatedBy = [...(opts.ignoreCreatedBy ?? [])];
  if (opts.config !== false) {
    const file = typeof opts.config === 'string' ? opts.config : findConfigFile(io.cwd);
    if (file) {
      const cfg = loadConfig(file, new Set([...ALL_RULES.map((r) => r.meta.id), ...RUNTIME_RULES.map((r) => r.id)]));
      ignoreTop.push(...cfg.ignoreTop);
      ignoreCreatedBy.push(...cfg.ignoreCreatedBy);
    }
  }
  // Checked before go runs: a bad baseline is a usage error, not a wasted test run.
  const adoption = prepareAdoption(opts, io, 'test');
  let result;
  try {
    result = await runTests({
      cwd: io.cwd,
      packages,
      goFlags,
      count: opts.count ?? (shake ? 20 : 1),
      timeout: opts.timeout,
      ...(shake ? { shake } : {}),
      isolate: !!opts.isolate,
      ignore: { ignoreTop, ignoreCreatedBy },
      // io.env overrides the process environment (tests pass a partial one); go needs HOME, PATH...
      env: { ...process.env, ...io.env },
    });
  } catch (e) {
    if (e instanceof GoToolError) {
      io.stderr(`leakscope: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const readSource = cachedSourceReader();

  // A baseline accepts known leaking sites: the rest of the command sees only the new ones.
  const adopted = applyAdoption(adoption, await resultFindings(result, readSource, opts.explain), readSource, io);
  const all = result;
  result = { ...all, sites: adopted.keptIndices.map((i) => all.sites[i]!) };
  if (adopted.wrote !== undefined) {
    io.stderr(adopted.wrote);
    return exitCodeOf(result);
  }
  const findings = adopted.findings;
  const notices = [...resultNotices(result), ...adopted.notices];
  const report = formatReport(opts.format, {
    findings,
    rules: RUNTIME_RULES,
    baseDir: io.cwd,
    readSource,
    color: useColor(io, {}),
    toolVersion: VERSION,
    notices,
  });
  if (opts.format === 'json') {
    // The JSON report also carries the structured sites and the kept output of failed tests.
    const doc = JSON.parse(report) as Record<string, unknown>;
    doc.test = {
      packagesRun: result.packagesRun,
      durationMs: Math.round(result.durationMs),
      summary: { ...result.summary, failed: result.summary.failed - result.stackDependent.length, durationMs: Math.round(result.summary.durationMs) },
      shake: result.shake ?? null,
      stackDependent: result.stackDependent,
      sites: result.sites.map((s) => ({
        kind: s.kind,
        package: s.importPath,
        state: s.state,
        file: relativePath(io.cwd, s.site.file),
        line: s.site.line,
        function: s.site.function,
        count: s.count,
        running: isRunningState(s.state),
        tests: s.tests,
        attribution: s.attribution,
        ...(s.message !== undefined ? { message: s.message } : {}),
        ...(s.shake ? { shake: s.shake } : {}),
        createdBy: s.createdBy ? { function: s.createdBy.function, file: relativePath(io.cwd, s.createdBy.file), line: s.createdBy.line } : null,
      })),
      crashed: result.crashed,
      failedTests: result.failedTests,
      failedPackages: result.failedPackages,
      uncovered: result.uncovered,
    };
    io.stdout(JSON.stringify(doc, null, 2) + '\n');
  } else {
    io.stdout(report.endsWith('\n') || report === '' ? report : report + '\n');
    const summary = summaryText(result);
    if (opts.format === 'text') {
      const bySite = creatingSitesText(result, io.cwd);
      io.stdout((bySite ? `\n${bySite}` : '') + summary);
    } else io.stderr(`leakscope: ${summary}`);
    const failed = failedOutputText(result);
    if (failed) {
      if (opts.format === 'text') io.stdout('\n' + failed);
      else io.stderr(failed);
    }
    if (opts.format !== 'text') for (const n of notices) io.stderr(`leakscope: ${n}\n`);
  }
  return exitCodeOf(result);
}
