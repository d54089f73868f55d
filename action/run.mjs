// @ts-check
/**
 * The script of the leakscope GitHub Action (action.yml, a composite action). It runs
 * `leakscope check` once per requested output format, from the repository root so every
 * path in annotations and SARIF is repository-relative, and never fails itself on
 * findings: it records the outcome in the step outputs (`exit-code`, `findings`,
 * `sarif-file`), so the SARIF upload step can run before the action's last step fails the
 * job. Inputs arrive as INPUT_* environment variables set by action.yml.
 *
 * Outside GitHub (tests, other CI systems) the same environment variables work:
 * GITHUB_WORKSPACE (default: the working directory), GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY (files; optional), LEAKSCOPE_BIN (a leakscope.js to run with node
 * instead of `npx leakscope@<version>`).
 *
 * GitHub's documentation: "Metadata syntax for GitHub Actions" (composite actions, inputs
 * as environment variables), "Workflow commands" (::error etc., GITHUB_OUTPUT's
 * `name=value` lines, GITHUB_STEP_SUMMARY markdown).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const env = process.env;
const input = (/** @type {string} */ name, def = '') => {
  const v = env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`];
  return v === undefined || v.trim() === '' ? def : v.trim();
};

/** Formats whose report goes to a file (and their file names); the others print to the log. */
const FILE_FORMATS = /** @type {Record<string, string>} */ ({ sarif: 'leakscope.sarif', json: 'leakscope.json', gitlab: 'gl-code-quality-report.json' });
const ALL_FORMATS = ['github', 'text', ...Object.keys(FILE_FORMATS)];

/** Appends `name=value` to GITHUB_OUTPUT (values here never contain newlines). */
function setOutput(/** @type {string} */ name, /** @type {string} */ value) {
  if (env.GITHUB_OUTPUT) fs.appendFileSync(env.GITHUB_OUTPUT, `${name}=${value}\n`);
}

function fail(/** @type {string} */ message) {
  process.stdout.write(`::error title=leakscope::${message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`);
  setOutput('exit-code', '2');
  process.exitCode = 0; // the action's last step fails the job, after the SARIF upload
}

function main() {
  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd());
  const wd = input('working-directory', '.');
  const formats = input('format', 'github').split(/[\s,]+/).filter(Boolean);
  for (const f of formats) if (!ALL_FORMATS.includes(f)) return fail(`unknown format "${f}" (use ${ALL_FORMATS.join(', ')}, comma-separated)`);

  // Targets and files are given relative to working-directory; leakscope runs from the
  // workspace root so report paths are repository-relative (GitHub resolves them so).
  const rel = (/** @type {string} */ p) => (path.isAbsolute(p) || wd === '.' ? p : path.join(wd, p));
  const paths = input('paths', './...').split(/\s+/).filter(Boolean).map((p) => {
    const r = rel(p);
    return p.endsWith('/...') && !r.startsWith('.') && !path.isAbsolute(r) ? `./${r}` : r;
  });
  const common = [];
  const baseline = input('baseline');
  if (baseline) common.push('--baseline', rel(baseline));
  const severity = input('severity');
  if (severity) common.push('--severity', severity);
  const rev = input('new-from-rev');
  if (rev) common.push('--new-from-rev', rev);
  const mergeBase = input('new-from-merge-base');
  if (mergeBase) common.push('--new-from-merge-base', mergeBase);
  const extra = input('args');
  if (extra) common.push(...extra.split(/\s+/).filter(Boolean));

  let command;
  let prefix;
  if (env.LEAKSCOPE_BIN) {
    command = process.execPath;
    prefix = [env.LEAKSCOPE_BIN];
  } else {
    let version = input('version');
    if (!version) {
      // The action's own version: the package.json next to this script's directory.
      const pkg = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'package.json');
      version = /** @type {{version: string}} */ (JSON.parse(fs.readFileSync(pkg, 'utf8'))).version;
    }
    command = 'npx';
    prefix = ['--yes', `leakscope@${version}`];
  }

  let worst = 0;
  let findings = -1;
  let sarifFile = '';
  const outputs = [];
  for (const format of formats) {
    const out = FILE_FORMATS[format];
    const args = [...prefix, 'check', '--format', format, ...(out ? ['-o', out] : []), ...common, '--', ...paths];
    process.stdout.write(`::group::leakscope check --format ${format}\n$ ${[command, ...args].join(' ')}\n::endgroup::\n`);
    const r = spawnSync(command, args, { cwd: workspace, env: { ...env, NO_COLOR: '1' }, encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.error) return fail(`cannot run leakscope (${command}): ${r.error.message}`);
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    const code = r.status ?? 2;
    if (code === 2) {
      const msg = r.stderr.split('\n').filter((l) => l.startsWith('leakscope: ')).join('\n') || `leakscope exited with status ${code}`;
      return fail(msg.replace(/^leakscope: /gm, ''));
    }
    worst = Math.max(worst, code);
    if (format === 'github') findings = r.stdout.split('\n').filter((l) => /^::(error|warning|notice) file=/.test(l)).length;
    if (format === 'sarif') {
      sarifFile = path.join(workspace, out ?? 'leakscope.sarif');
      const log = JSON.parse(fs.readFileSync(sarifFile, 'utf8'));
      findings = log.runs[0].results.length;
    }
    if (out) outputs.push(path.join(workspace, out));
  }
  setOutput('exit-code', String(worst));
  setOutput('findings', String(Math.max(findings, worst === 1 ? 1 : 0)));
  setOutput('sarif-file', sarifFile);
  setOutput('reports', outputs.join(' '));
  if (env.GITHUB_STEP_SUMMARY) {
    const what = rev ? ` on lines changed since \`${rev}\`` : mergeBase ? ` on lines changed since the merge base with \`${mergeBase}\`` : '';
    const base = baseline ? ` not in the baseline \`${baseline}\`` : '';
    const n = findings >= 0 ? String(findings) : worst === 1 ? 'some' : '0';
    fs.appendFileSync(env.GITHUB_STEP_SUMMARY, `### leakscope\n\n${n} finding${n === '1' ? '' : 's'}${base}${what}.\n`);
  }
}

main();
