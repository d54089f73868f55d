// @ts-check
/**
 * `npm prepare`: builds dist/. When the package is installed from a git URL - pre-commit's
 * `language: node` hooks run `npm install -g git+file://...` - npm 11 prepares the clone
 * without its devDependencies, so the TypeScript compiler is installed into the clone
 * first (not globally, without running scripts again). A normal `npm install` / `npm ci`
 * has it already and only compiles.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import process from 'node:process';

const tsc = 'node_modules/typescript/bin/tsc';
if (!existsSync(tsc)) {
  const npm = process.env.npm_execpath;
  const args = ['install', '--no-save', '--global=false', '--ignore-scripts', '--include=dev', '--no-audit', '--no-fund'];
  if (npm) execFileSync(process.execPath, [npm, ...args], { stdio: 'inherit' });
  else execFileSync('npm', args, { stdio: 'inherit' });
}
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
// The web dashboard (ui/, Vite) is built into dist/ui, served by `leakscope monitor`.
execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'ui/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
