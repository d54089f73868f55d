/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser), and what the
 * dashboard's end-to-end test checks on every page: console errors (CSP violations included),
 * an axe-core WCAG 2 A/AA scan with zero violations, and screenshots compared with goldens
 * (fixed viewport, UTC, reduced motion, timestamps and live data masked, keyed to the Chromium
 * major version, pixelmatch with a tolerance). Missing goldens for this Chromium are written
 * (first run on a new browser version) and reported, not compared.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { REPO } from '../monitor/helpers.js';

/** Where Debian installs Chromium (`apt-get install chromium`). */
export const CHROMIUM = process.env.LEAKSCOPE_CHROMIUM ?? '/usr/bin/chromium';

/**
 * True when the browser tests can run. Under CI=true a missing Chromium is a failure (.ci/run
 * installs it); elsewhere the tests are skipped with a notice.
 */
export function requireChromium(): boolean {
  if (fs.existsSync(CHROMIUM)) return true;
  const msg = `leakscope browser tests: ${CHROMIUM} not found; install Debian's chromium (apt-get install chromium).`;
  if (process.env.CI === 'true') throw new Error(msg);
  console.warn(`NOTICE: skipping - ${msg}`);
  return false;
}

/** Chromium's major version (goldens are kept per major version). */
export function chromiumMajor(): string {
  const v = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return /(\d+)\.\d+\.\d+/.exec(v)?.[1] ?? 'unknown';
}

/** Launches Chromium headless with the flags of node20-pins.md. */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--font-render-hinting=none'],
  });
}

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** One axe violation, flattened for messages. */
export interface AxeProblem {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core (WCAG 2 A and AA) in the page. The script is evaluated through the DevTools
 * protocol, so the page keeps its CSP (no `bypassCSP`).
 */
export async function axeScan(page: Page): Promise<AxeProblem[]> {
  await page.evaluate(AXE);
  const res = await page.evaluate(async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const g = globalThis as any;
    const r = await g.axe.run(g.document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return (r.violations as { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[]).map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
  return res;
}

/** Result of a golden comparison. */
export interface GoldenResult {
  name: string;
  status: 'match' | 'created' | 'differs';
  diffRatio: number;
}

/**
 * Screenshots the page with `mask` painted over and compares it with
 * `test/e2e/goldens/chromium-<major>/<name>.png`. A copy goes to `docs/img/dashboard/` when
 * `docsName` is given (unmasked: the documentation shows real data).
 */
export async function golden(page: Page, name: string, mask: Locator[], opts: { tolerance?: number; docsName?: string; clip?: { x: number; y: number; width: number; height: number } } = {}): Promise<GoldenResult> {
  const dir = path.join(REPO, 'test', 'e2e', 'goldens', `chromium-${chromiumMajor()}`);
  fs.mkdirSync(dir, { recursive: true });
  if (opts.docsName && process.env.LEAKSCOPE_UPDATE_DOCS_SCREENSHOTS === '1') {
    const docs = path.join(REPO, 'docs', 'img', 'dashboard');
    fs.mkdirSync(docs, { recursive: true });
    await page.screenshot({ path: path.join(docs, opts.docsName + '.png'), animations: 'disabled', fullPage: false });
  }
  const shot = await page.screenshot({ animations: 'disabled', mask, maskColor: '#ff00ff', fullPage: false, caret: 'hide', ...(opts.clip ? { clip: opts.clip } : {}) });
  const file = path.join(dir, name + '.png');
  if (!fs.existsSync(file) || process.env.LEAKSCOPE_UPDATE_GOLDENS === '1') {
    fs.writeFileSync(file, shot);
    return { name, status: 'created', diffRatio: 0 };
  }
  const a = PNG.sync.read(fs.readFileSync(file));
  const b = PNG.sync.read(shot);
  if (a.width !== b.width || a.height !== b.height) return { name, status: 'differs', diffRatio: 1 };
  const diff = pixelmatch(a.data, b.data, undefined, a.width, a.height, { threshold: 0.2 });
  const ratio = diff / (a.width * a.height);
  if (ratio > (opts.tolerance ?? 0.02)) {
    fs.writeFileSync(path.join(dir, name + '.actual.png'), shot);
    return { name, status: 'differs', diffRatio: ratio };
  }
  return { name, status: 'match', diffRatio: ratio };
}
