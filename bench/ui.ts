/**
 * @fileoverview Dashboard benchmark (issue 17), figures not assertions: the gzip size of the
 * shipped JavaScript (dist/ui, target < 150 KB for the main bundle); in Debian's Chromium, the
 * time to draw the target page's charts with 24 h of 30-second points for 20 groups (target
 * < 200 ms) against a baseline of 1 h for one group in the same run; and the goroutine list
 * with 10,000 groups (first render, a regex filter, one scroll step: it stays responsive when
 * each is well under a 100 ms interaction budget). The in-browser half is ui/src/bench.tsx,
 * built here into a temporary directory with Vite and served from 127.0.0.1.
 *
 * `npm run bench` runs it after the others; `node dist/bench/ui.js` runs it alone.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(here, '..', '..');
const CHROMIUM = process.env.LEAKSCOPE_CHROMIUM ?? '/usr/bin/chromium';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Gzip sizes of the built app's JavaScript and CSS. */
export function bundleSizes(dir = path.join(REPO, 'dist', 'ui', 'assets')): { file: string; bytes: number; gzip: number }[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /\.(js|css)$/.test(f))
    .map((f) => {
      const b = fs.readFileSync(path.join(dir, f));
      return { file: f, bytes: b.length, gzip: zlib.gzipSync(b, { level: 9 }).length };
    });
}

/** Runs the dashboard benchmark and returns report lines. */
export async function benchUi(): Promise<string[]> {
  const out: string[] = ['dashboard (ui/, measured in Debian Chromium; figures, not assertions)'];
  const sizes = bundleSizes();
  if (!sizes.length) return [...out, '  skipped: dist/ui is not built (npm run build)'];
  for (const s of sizes) out.push(`  ${s.file}: ${(s.bytes / 1024).toFixed(1)} KB, ${(s.gzip / 1024).toFixed(1)} KB gzip${s.file.endsWith('.js') ? ' (target < 150 KB gzip)' : ''}`);
  if (!fs.existsSync(CHROMIUM)) return [...out, `  browser figures skipped: ${CHROMIUM} not found`];

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'leakscope-uibench-'));
  const { build } = await import('vite');
  const preact = (await import('@preact/preset-vite')).default;
  await build({ configFile: false, root: path.join(REPO, 'ui'), plugins: [preact()], logLevel: 'warn', build: { outDir: tmp, emptyOutDir: true, rollupOptions: { input: path.join(REPO, 'ui', 'bench.html') } } });
  const server = http.createServer((req, res) => {
    const p = path.join(tmp, decodeURIComponent((req.url ?? '/').split('?')[0]!).replace(/^\/$/, '/bench.html'));
    if (!p.startsWith(tmp) || !fs.existsSync(p)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': p.endsWith('.js') ? 'text/javascript' : p.endsWith('.css') ? 'text/css' : 'text/html' }).end(fs.readFileSync(p));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run'] });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as { port: number }).port}/bench.html`);
    await page.waitForFunction(() => (globalThis as unknown as { document: { title: string } }).document.title === 'ready');
    const runs = Number(process.env.BENCH_RUNS ?? 5);
    const base: number[] = [];
    const big: number[] = [];
    await page.evaluate(() => (globalThis as unknown as { benchTarget: (p: number, g: number) => Promise<number> }).benchTarget(2880, 20)); // warm-up
    for (let i = 0; i < runs; i++) {
      base.push(await page.evaluate(() => (globalThis as unknown as { benchTarget: (p: number, g: number) => Promise<number> }).benchTarget(120, 1)));
      big.push(await page.evaluate(() => (globalThis as unknown as { benchTarget: (p: number, g: number) => Promise<number> }).benchTarget(2880, 20)));
    }
    out.push(`  target page, 24 h of 30-s points (2,880) for 20 groups + total + heap: ${median(big).toFixed(0)} ms to draw (median of ${runs}; target < 200 ms); baseline 1 h for 1 group: ${median(base).toFixed(0)} ms; ratio ${(median(big) / median(base)).toFixed(1)}`);
    type G = { render: number; filter: number; scroll: number; rows: number };
    const gs: G[] = [];
    for (let i = 0; i < runs; i++) gs.push(await page.evaluate(() => (globalThis as unknown as { benchGroups: (n: number) => Promise<G> }).benchGroups(10_000)));
    out.push(
      `  goroutine list, 10,000 groups: first render ${median(gs.map((g) => g.render)).toFixed(0)} ms, regex filter ${median(gs.map((g) => g.filter)).toFixed(0)} ms, scroll step ${median(gs.map((g) => g.scroll)).toFixed(0)} ms; ${gs[0]!.rows} rows in the DOM (virtualised)`,
    );
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.stdout.write((await benchUi()).join('\n') + '\n');
}
