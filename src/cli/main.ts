/**
 * @fileoverview The `leakscope` command line: thin commands over the library.
 *
 * `execute(argv)` returns the exit code and never calls `process.exit` (like ESLint's
 * lib/cli.js): 0 clean, 1 findings, 2 usage or fatal errors. Output goes through the
 * `io` streams so tests can capture it.
 */
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { analyze, AnalysisSetupError } from '../analysis/engine.js';
import { ConfigError } from '../analysis/config.js';
import { SEVERITIES, type Severity } from '../analysis/finding.js';
import { UsageError } from '../go/loader.js';
import { formatReport, isOutputFormat, OUTPUT_FORMATS } from '../report/index.js';
import { ALL_RULES } from '../rules/index.js';
import { registerProfileCommands } from './profiles.js';
import { registerTestCommand } from './test.js';
import { registerMonitorCommands } from './monitor.js';
import { registerUserCommands } from './user.js';
import { VERSION } from '../version.js';
import { cachedSourceReader, resolveOutputPath, useColor, writeOutput } from './output.js';
import { addAdoptionOptions, applyAdoption, prepareAdoption, type AdoptOptions } from './adopt.js';
import { registerLspCommand } from './lsp.js';
import { registerInitCommand } from './init.js';
import { registerExplainCommand } from './explain.js';

/** Where the CLI writes; defaults to the process streams. */
export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Whether stdout is a colour-capable terminal. */
  isTTY: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
}

function defaultIO(): CliIO {
  return {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    isTTY: !!process.stdout.isTTY,
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Splits repeated and comma-separated option values: `--rule a,b --rule c`. */
function collectList(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];
}

function parseBool(name: string): (v: string) => boolean {
  return (v) => {
    if (/^(true|1|yes|on)$/i.test(v)) return true;
    if (/^(false|0|no|off)$/i.test(v)) return false;
    throw new UsageError(`--${name} expects true or false, got "${v}"`);
  };
}

/** Runs the CLI with `argv` (without `node` and the script) and returns the exit code. */
export async function execute(argv: string[], io: CliIO = defaultIO()): Promise<number> {
  let code = 0;
  const program = new Command('leakscope')
    .description('Find goroutine leaks, deadlocks and concurrency memory leaks in Go programs.')
    .version(VERSION, '-v, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run "leakscope --help" for usage)');

  const check = program
    .command('check')
    .description('analyse Go source statically (directories, files or ./... patterns)')
    .argument('[paths...]', 'directories, .go files or dir/... patterns', ['./...'])
    .addOption(new Option('-f, --format <format>', 'output format').choices([...OUTPUT_FORMATS]).default('text'))
    .option('--rule <ids>', 'only run these rules (comma-separated, repeatable)', collectList)
    .option('--disable <ids>', 'disable these rules (comma-separated, repeatable)', collectList)
    .addOption(new Option('--severity <level>', 'report findings at or above this severity').choices([...SEVERITIES]).default('info'))
    .option('-c, --config <file>', 'configuration file (default: .leakscope.yaml searched upward)')
    .option('--no-config', 'ignore .leakscope.yaml files')
    .option('--tests <bool>', 'include _test.go files (default true, or `tests` in .leakscope.yaml)', parseBool('tests'))
    .option('--tags <tags>', 'extra build tags, as go build -tags (comma-separated, repeatable; GOOS/GOARCH/CGO_ENABLED come from the environment)', collectList)
    .option('--include-generated', 'also report findings in generated files (// Code generated ... DO NOT EDIT.)')
    .option('--all-files', 'no effect, kept for one release: every file and body is always parsed')
    .option('--report-unused-ignores', 'report //leakscope:ignore directives that suppress nothing')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--color', 'force colour output')
    .option('--no-color', 'disable colour output')
    .option('--workers <n>', 'worker threads (default: one per CPU)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new UsageError(`--workers expects a non-negative integer, got "${v}"`);
      return n;
    })
    .action(async (paths: string[], opts: CheckOptions) => {
      code = await runCheck(paths, opts, io);
    });
  addAdoptionOptions(check, 'check');

  program
    .command('rules')
    .description('list the rules')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      if (opts.json) io.stdout(JSON.stringify(ALL_RULES.map((r) => r.meta), null, 2) + '\n');
      else for (const r of ALL_RULES) io.stdout(`${r.meta.id.padEnd(30)} ${r.meta.severity.padEnd(8)} ${r.meta.enabledByDefault ? '' : '(opt-in) '}${r.meta.description}\n`);
    });

  registerInitCommand(program, io, (c) => {
    code = c;
  });
  registerLspCommand(program);
  registerExplainCommand(program, io, (c) => {
    code = c;
  });
  registerProfileCommands(program, io, (c) => {
    code = c;
  });
  registerTestCommand(program, io, (c) => {
    code = c;
  });
  registerMonitorCommands(program, io, (c) => {
    code = c;
  });
  registerUserCommands(program, io, (c) => {
    code = c;
  });

  try {
    if (argv.length === 0) {
      io.stdout(program.helpInformation());
      return 2;
    }
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end with exitCode 0; parse errors have already been printed.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UsageError || e instanceof AnalysisSetupError || e instanceof ConfigError) {
      io.stderr(`leakscope: ${e.message}\n`);
      return 2;
    }
    io.stderr(`leakscope: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 2;
  }
}

interface CheckOptions extends AdoptOptions {
  format: string;
  rule?: string[];
  disable?: string[];
  severity: Severity;
  config?: string | false;
  tests?: boolean;
  reportUnusedIgnores?: boolean;
  /** Accepted and ignored (see the option's help). */
  allFiles?: boolean;
  tags?: string[];
  includeGenerated?: boolean;
  output?: string;
  color?: boolean;
  workers?: number;
}

async function runCheck(paths: string[], opts: CheckOptions, io: CliIO): Promise<number> {
  if (!isOutputFormat(opts.format)) throw new UsageError(`unknown format "${opts.format}"`);
  const out = resolveOutputPath(io, opts.output);
  const adoption = prepareAdoption(opts, io, 'check');
  const result = await analyze(paths, {
    cwd: io.cwd,
    tests: opts.tests,
    only: opts.rule,
    disable: opts.disable,
    minSeverity: opts.severity,
    configFile: typeof opts.config === 'string' ? path.resolve(io.cwd, opts.config) : undefined,
    noConfig: opts.config === false,
    reportUnusedIgnores: opts.reportUnusedIgnores,
    workers: opts.workers,
    tags: opts.tags,
    includeGenerated: opts.includeGenerated,
    env: io.env,
  });
  const readSource = cachedSourceReader();
  const adopted = applyAdoption(adoption, result.findings, readSource, io);
  if (adopted.wrote !== undefined) {
    io.stderr(adopted.wrote);
    return 0;
  }
  const notices = [...result.notices, ...adopted.notices];
  const report = formatReport(opts.format, {
    findings: adopted.findings,
    rules: result.rules,
    baseDir: io.cwd,
    readSource,
    color: useColor(io, opts),
    toolVersion: VERSION,
    notices,
    stats: { files: result.stats.files, packages: result.stats.packages, durationMs: result.stats.durationMs },
  });
  writeOutput(io, out, opts.output, report);
  if (opts.format !== 'text') for (const n of notices) io.stderr(`leakscope: ${n}\n`);
  return adopted.findings.length > 0 ? 1 : 0;
}
