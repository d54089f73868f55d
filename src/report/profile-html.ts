/**
 * @fileoverview One self-contained HTML file per profile command (`--format
 * html`): inline CSS, inline SVG flame graphs and a few lines of inline script
 * for filtering tables; no external stylesheet, script, font or image, so the
 * file opens offline and can be attached to a bug report. Every piece of
 * profile text is escaped: a dump is untrusted input (function names, labels
 * and panic messages come from the program).
 */
import type { HeapProfile, HeapTop, GoroutineProfile, TrendResult, ProfileDiff, DiffChange } from '../profiles/index.js';
import { escapeXml, flameGraphSvg, type WeightedStack } from './flamegraph.js';
import { displayPath, formatValue, formatWait, shortLocation, type AnnotatedReport } from './profile-text.js';
import { VERSION } from '../version.js';

const CSS = `
:root{color-scheme:light;--bad:#b3261e;--ok:#1e7b34;--mut:#666}
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#1b1b1b;background:#fff}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.meta{color:var(--mut)}.bad{color:var(--bad);font-weight:600}.ok{color:var(--ok);font-weight:600}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eee;vertical-align:top}
th{background:#f6f6f6;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
code,pre,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px}
pre{background:#f7f7f7;padding:8px;overflow-x:auto;margin:4px 0}
details{margin:2px 0}summary{cursor:pointer}
tr.suspect td:first-child{border-left:4px solid var(--bad)}tr.healthy td:first-child{border-left:4px solid #cfd8cf}
.static{background:#fff6e5;border-left:3px solid #e0a000;padding:4px 8px;margin:4px 0}
input.filter{width:320px;padding:4px 6px;margin:4px 0}
.spark{vertical-align:middle}
`;

/** Hides table rows not containing the filter text (the only script; the report reads fine without it). */
const SCRIPT = `document.querySelectorAll('input.filter').forEach(function(i){i.addEventListener('input',function(){var q=i.value.toLowerCase();var t=document.getElementById(i.dataset.table);if(!t)return;t.querySelectorAll('tbody tr').forEach(function(r){r.style.display=r.textContent.toLowerCase().indexOf(q)<0?'none':''})})});`;

function page(title: string, body: string): string {
  return (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<meta name="generator" content="leakscope ${escapeXml(VERSION)}">\n` +
    `<title>${escapeXml(title)}</title>\n<style>${CSS}</style>\n</head>\n<body>\n${body}\n<script>${SCRIPT}</script>\n</body>\n</html>\n`
  );
}

const e = escapeXml;

function filter(id: string): string {
  return `<input class="filter" type="search" placeholder="filter rows…" data-table="${id}" aria-label="filter table">`;
}

/** Flame-graph stacks of a goroutine profile; suspect groups are tinted. */
export function goroutineStacks(profile: GoroutineProfile, isSuspect: (g: GoroutineProfile['goroutines'][number]) => boolean): WeightedStack[] {
  return profile.goroutines.map((g) => ({ frames: g.frames.map((f) => f.function), weight: g.count, hot: isSuspect(g) }));
}

/** Flame-graph stacks of a heap profile for one sample type. */
export function heapStacks(profile: HeapProfile, sampleIndex: number): WeightedStack[] {
  return profile.samples.map((s) => ({ frames: s.stack.map((f) => f.function), weight: s.values[sampleIndex] ?? 0 }));
}

/** HTML report for `leakscope goroutines`. */
export function renderGoroutinesHtml(report: AnnotatedReport, stacks: WeightedStack[], baseDir: string, options: { healthyLimit?: number } = {}): string {
  const suspects = report.groups.filter((g) => g.suspect);
  const parts: string[] = [];
  parts.push(`<h1>Goroutines: ${e(report.source)}</h1>`);
  parts.push(
    `<p class="meta">${report.total} goroutines (${e(report.format)}${report.leakProfile ? ', runtime leak profile' : ''}) in ${report.groups.length} groups · leakscope ${e(VERSION)}</p>`,
  );
  parts.push(
    suspects.length > 0
      ? `<p class="bad">${report.suspectCount} suspected leaked goroutines in ${suspects.length} groups</p>`
      : '<p class="ok">No suspected leaks</p>',
  );
  if (report.truncated) parts.push('<p class="bad">The dump was truncated; the last incomplete goroutine was dropped.</p>');
  const deadlocks = report.deadlocks ?? [];
  if (deadlocks.length > 0) {
    parts.push('<h2>Deadlocks</h2>');
    for (const d of deadlocks) {
      const who = d.goroutines.length === 1 ? `goroutine ${d.goroutines[0]} waits for itself` : `goroutines ${d.goroutines.join(', ')} wait for each other`;
      const behind = d.behind.length > 0 ? `; ${d.behind.length} more wait behind them (${d.behind.join(', ')})` : '';
      parts.push(`<div class="static"><p class="bad">${e(who + behind)}</p><ul>${d.parts.map((x) => `<li>${e(x)}</li>`).join('')}</ul></div>`);
    }
  }
  parts.push('<h2>Groups</h2>', filter('groups'));
  parts.push('<table id="groups"><thead><tr><th>verdict</th><th class="n">count</th><th>state</th><th>wait</th><th>blocking site</th><th>created by</th><th>details</th></tr></thead><tbody>');
  // Every suspect group, and the largest healthy ones: a server with 10,000
  // distinct idle stacks would otherwise produce a page too large to open.
  const limit = options.healthyLimit ?? 200;
  let healthyShown = 0;
  const hidden = { groups: 0, goroutines: 0 };
  for (const g of report.groups) {
    if (!g.suspect && healthyShown++ >= limit) {
      hidden.groups++;
      hidden.goroutines += g.count;
      continue;
    }
    const loc = `${e(g.location.function)}<br><span class="mono">${e(displayPath(baseDir, g.location.file))}:${g.location.line}</span>`;
    const created = g.createdBy ? `${e(g.createdBy.function)}<br><span class="mono">${e(displayPath(baseDir, g.createdBy.file))}:${g.createdBy.line}</span>` : '';
    const labels = Object.entries(g.labels).map(([k, v]) => `${e(k)}=${e(v)}`).join(', ');
    const statics = g.static
      .map((s) => `<div class="static"><b>${e(s.ruleId)}</b> (${e(s.severity)}) line ${s.line}${s.frame ? ` (frame ${e(s.frame.function)})` : ''}: ${e(s.message)}${s.fixHint ? `<br>fix: ${e(s.fixHint)}` : ''}${s.fix ? `<br>suggested fix: ${e(s.fix)}` : ''}</div>`)
      .join('');
    const stack = g.stack.map((f) => `${e(f.function)}\n    ${e(displayPath(baseDir, f.file))}:${f.line}`).join('\n');
    parts.push(
      `<tr class="${g.suspect ? 'suspect' : 'healthy'}"><td>${g.suspect ? '<span class="bad">suspect</span>' : '<span class="ok">ok</span>'}<br><span class="meta">${e(g.rule)}</span></td>` +
        `<td class="n">${g.count}${g.leaked > 0 ? `<br><span class="bad">${g.leaked} leaked</span>` : ''}</td><td>${e(g.state)}</td><td>${e(formatWait(g.waitMinutes))}</td><td>${loc}</td><td>${created}</td>` +
        `<td>${e(g.reason)}${labels ? `<br>labels: ${labels}` : ''}${g.sourceLine ? `<pre>${g.location.line} | ${e(g.sourceLine)}</pre>` : ''}${statics}` +
        `<details><summary>stack (${g.stack.length} frames)</summary><pre>${stack}</pre></details></td></tr>`,
    );
  }
  parts.push('</tbody></table>');
  if (hidden.groups > 0) parts.push(`<p class="meta">${hidden.groups} smaller healthy groups (${hidden.goroutines} goroutines) not listed; --all lists every group, --format json has them all.</p>`);
  parts.push('<h2>Goroutine stacks (flame graph; red = suspected leaks)</h2>');
  parts.push(flameGraphSvg(stacks, { format: (v) => `${v} goroutine${v === 1 ? '' : 's'}` }));
  return page(`leakscope goroutines: ${report.source}`, parts.join('\n'));
}

/** HTML report for `leakscope heap`. */
export function renderHeapHtml(source: string, top: HeapTop, stacks: WeightedStack[], baseDir: string, lines?: Map<string, string>): string {
  const parts: string[] = [];
  parts.push(`<h1>Heap: ${e(source)}</h1>`);
  parts.push(`<p class="meta">${e(top.sampleType)} total ${e(formatValue(top.total, top.unit))} · leakscope ${e(VERSION)}</p>`);
  parts.push('<h2>Top allocation sites</h2>', filter('sites'));
  parts.push('<table id="sites"><thead><tr><th class="n">flat</th><th class="n">flat%</th><th class="n">cum</th><th class="n">cum%</th><th>function</th><th>location</th></tr></thead><tbody>');
  const pc = (v: number) => (top.total ? ((100 * v) / top.total).toFixed(1) + '%' : '-');
  for (const s of top.sites) {
    const line = lines?.get(`${s.file}:${s.line}`);
    parts.push(
      `<tr><td class="n">${e(formatValue(s.flat, top.unit))}</td><td class="n">${pc(s.flat)}</td><td class="n">${e(formatValue(s.cum, top.unit))}</td><td class="n">${pc(s.cum)}</td>` +
        `<td>${e(s.function)}</td><td><span class="mono">${e(displayPath(baseDir, s.file))}:${s.line}</span>${line ? `<pre>${e(line)}</pre>` : ''}</td></tr>`,
    );
  }
  parts.push('</tbody></table>');
  parts.push(`<h2>Flame graph (${e(top.sampleType)})</h2>`);
  parts.push(flameGraphSvg(stacks, { format: (v) => formatValue(v, top.unit) }));
  return page(`leakscope heap: ${source}`, parts.join('\n'));
}

function changesTable(changes: DiffChange[], unit: string, baseDir: string, threshold: number): string {
  const rows = changes.map(
    (c) =>
      `<tr class="${c.delta > threshold ? 'suspect' : 'healthy'}"><td class="n">${c.delta > 0 ? '+' : ''}${e(formatValue(c.delta, unit))}</td><td class="n">${e(formatValue(c.before, unit))}</td><td class="n">${e(formatValue(c.after, unit))}</td><td class="mono">${e(shortLocation(c.location, baseDir))}</td></tr>`,
  );
  return `<table id="changes"><thead><tr><th class="n">delta</th><th class="n">before</th><th class="n">after</th><th>location</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** HTML report for `leakscope diff`: the change table and a flame graph of the second snapshot. */
export function renderDiffHtml(d: ProfileDiff & { threshold: number; unit: string }, before: string, after: string, afterStacks: WeightedStack[], baseDir: string): string {
  const grew = d.changes.filter((c) => c.delta > d.threshold).length;
  const parts = [
    `<h1>Diff: ${e(before)} → ${e(after)}</h1>`,
    `<p class="meta">${e(d.kind)}${d.sampleType ? ' ' + e(d.sampleType) : ''}: ${e(formatValue(d.totalBefore, d.unit))} → ${e(formatValue(d.totalAfter, d.unit))} · threshold ${e(formatValue(d.threshold, d.unit))} · leakscope ${e(VERSION)}</p>`,
    grew > 0 ? `<p class="bad">${grew} locations grew beyond the threshold</p>` : '<p class="ok">Nothing grew beyond the threshold</p>',
    '<h2>Changes (largest growth first)</h2>',
    filter('changes'),
    changesTable(d.changes, d.unit, baseDir, d.threshold),
    `<h2>Flame graph of ${e(after)}</h2>`,
    flameGraphSvg(afterStacks, { format: (v) => (d.kind === 'goroutine' ? `${v} goroutines` : formatValue(v, d.unit)) }),
  ];
  return page(`leakscope diff: ${before} → ${after}`, parts.join('\n'));
}

/** A small inline SVG line chart of a series. */
export function sparkline(values: readonly number[], w = 120, h = 24): string {
  const max = Math.max(...values);
  const min = Math.min(...values);
  const span = max - min || 1;
  const pts = values.map((v, i) => `${((i * (w - 4)) / Math.max(1, values.length - 1) + 2).toFixed(1)},${(h - 2 - ((v - min) * (h - 4)) / span).toFixed(1)}`);
  return `<svg class="spark" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><polyline fill="none" stroke="#b3261e" stroke-width="1.5" points="${pts.join(' ')}"/></svg>`;
}

/** HTML report for `leakscope trend`: per-location fit, sparkline, and a flame graph of the last snapshot. */
export function renderTrendHtml(t: TrendResult & { unit: string; sources: string[] }, lastStacks: WeightedStack[], baseDir: string): string {
  const growing = t.series.filter((s) => s.verdict === 'sustained-growth').length;
  const rows = t.series.map(
    (s) =>
      `<tr class="${s.verdict === 'sustained-growth' ? 'suspect' : 'healthy'}"><td>${e(s.verdict)}</td><td class="n">${s.slopePerHour > 0 ? '+' : ''}${e(formatValue(Math.round(s.slopePerHour), t.unit))}</td><td class="n">${s.r2.toFixed(3)}</td>` +
      `<td>${sparkline(s.values)} <span class="mono">${e(s.values.map((v) => formatValue(v, t.unit)).join(' → '))}</span></td><td class="mono">${e(shortLocation(s.location, baseDir))}</td></tr>`,
  );
  const parts = [
    `<h1>${e(t.kind)} trend over ${t.times.length} snapshots</h1>`,
    `<p class="meta">${t.sources.map(e).join(', ')} · from ${e(new Date(t.times[0]!).toISOString())} to ${e(new Date(t.times[t.times.length - 1]!).toISOString())} · leakscope ${e(VERSION)}</p>`,
    growing > 0 ? `<p class="bad">${growing} locations grow steadily</p>` : '<p class="ok">No sustained growth</p>',
    '<h2>Series</h2>',
    filter('series'),
    `<table id="series"><thead><tr><th>verdict</th><th class="n">per hour</th><th class="n">R²</th><th>values</th><th>location</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    '<h2>Flame graph of the last snapshot</h2>',
    flameGraphSvg(lastStacks, { format: (v) => (t.kind === 'goroutine' ? `${v} goroutines` : formatValue(v, t.unit)) }),
  ];
  return page(`leakscope trend (${t.kind})`, parts.join('\n'));
}
