/**
 * Target: synced charts of goroutines (total and top groups) and heap in use over a range,
 * restarts marked, alerts as bands; click sets point A, shift-click (or a second click) sets B;
 * from A and B the groups, flame graph and diff are one click away. Range, A and B live in the
 * URL (`?range=6h&a=...&b=...`), so the back button undoes a pick.
 */
import { useEffect, useRef } from 'preact/hooks';
import { get, type Target } from '../api';
import { drawTargetCharts, type ChartData } from '../charts';
import { Loaded, Notice, PageHead, useData } from '../components';
import { pushQuery, useRoute } from '../router';
import { fmtTime, qTime } from '../util';

const RANGES: Record<string, number> = { '15m': 900_000, '1h': 3_600_000, '6h': 21_600_000, '24h': 86_400_000, '7d': 604_800_000 };

interface Overview extends ChartData {
  target: Target;
}

/** `from`/`to` of the URL: `?range=1h` (ending now or at `to`), or explicit `from`/`to`. */
export function rangeOf(q: URLSearchParams): { from: number; to: number; range: string } {
  const range = q.get('range') ?? '1h';
  const to = qTime(q.get('to')) ?? Date.now();
  const from = qTime(q.get('from')) ?? to - (RANGES[range] ?? 3_600_000);
  return { from, to, range };
}

function Charts({ d, a, b }: { d: Overview; a: number | undefined; b: number | undefined }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current!;
    const width = Math.max(320, Math.min(el.clientWidth || 900, 1400));
    return drawTargetCharts(el, { ...d, a, b }, width, (ms, shift) => {
      if (shift || (a !== undefined && b === undefined && ms > a)) pushQuery({ b: ms });
      else pushQuery({ a: ms, b: b !== undefined && b > ms ? b : null });
    });
  }, [d, a, b]);
  return <div ref={ref} class="charts" />;
}

/** The target page. */
export function TargetPage({ id }: { id: string }) {
  const r = useRoute();
  const { from, to, range } = rangeOf(r.q);
  const a = qTime(r.q.get('a'));
  const b = qTime(r.q.get('b'));
  const explicitTo = r.q.get('to');
  const d = useData(() => get<Overview>(`/api/v1/targets/${id}/overview?from=${from}&to=${to}&top=5`), [id, range, r.q.get('from'), explicitTo]);
  const t = d.data?.target;
  return (
    <main id="main">
      <PageHead title={t ? `${t.job}/${t.instance}` : `Target ${id}`}>
        <label for="range">Range</label>
        <select id="range" value={r.q.get('from') ? 'custom' : range} onChange={(e) => pushQuery({ range: (e.target as HTMLSelectElement).value, from: null, to: null })}>
          {Object.keys(RANGES).map((k) => (
            <option key={k} value={k}>
              last {k}
            </option>
          ))}
          {r.q.get('from') && <option value="custom">custom</option>}
        </select>
      </PageHead>
      <Loaded d={d} what="the target">
        {(o) => {
          const last = o.target.lastScrape.goroutine;
          return (
            <>
              <p class="sub">
                <a href={o.target.url}>{o.target.url}</a> · {fmtTime(o.from)} – {fmtTime(o.to)}
                {o.target.source ? ' · source configured' : ' · no source directory'}
              </p>
              {!last && <Notice title="No data yet">This target has never answered a goroutine scrape. leakscope keeps trying with back-off; check that {o.target.url} serves /debug/pprof.</Notice>}
              {last && !last.ok && (
                <div class="msg error" role="alert">
                  <strong>The last scrape failed</strong>
                  <p>{last.error}</p>
                </div>
              )}
              {last && !last.ok && o.goroutines.length === 0 && <Notice title="No data yet">The target has not answered a goroutine scrape in this range; leakscope keeps trying with back-off. Check that {o.target.url} serves /debug/pprof.</Notice>}
              {last && last.ok && o.goroutines.length === 0 && <Notice title="No data in this range">Choose a longer range: the newest goroutine scrape is from {fmtTime(last.ts)}.</Notice>}
              {o.restarts.length > 0 && (
                <Notice title={`The process restarted ${o.restarts.length === 1 ? 'once' : `${o.restarts.length} times`} in this range`}>
                  Dashed lines mark restarts at {o.restarts.map(fmtTime).join(', ')}. Counts before and after a restart are separate series segments; a drop there is not a recovery.
                </Notice>
              )}
              <p class="hint">Click a chart to set point A; shift-click (or click after A) to set point B. Alerts are shaded.</p>
              {o.goroutines.length > 0 && <Charts d={o} a={a} b={b} />}
              <section class="ab" aria-label="Points A and B">
                <h2>Points A and B</h2>
                <form
                  class="inline"
                  onSubmit={(e) => {
                    e.preventDefault();
                    const f = new FormData(e.target as HTMLFormElement);
                    const pa = Date.parse(String(f.get('a')) + 'Z');
                    const pb = Date.parse(String(f.get('b')) + 'Z');
                    pushQuery({ a: Number.isFinite(pa) ? pa : null, b: Number.isFinite(pb) ? pb : null });
                  }}
                >
                  <label for="point-a">A (UTC)</label>
                  <input id="point-a" name="a" type="datetime-local" step="1" value={a ? new Date(a).toISOString().slice(0, 19) : ''} />
                  <label for="point-b">B (UTC)</label>
                  <input id="point-b" name="b" type="datetime-local" step="1" value={b ? new Date(b).toISOString().slice(0, 19) : ''} />
                  <button type="submit">Set</button>
                </form>
                <ul class="links">
                  <li>
                    <a href={`/targets/${id}/goroutines?at=${b ?? a ?? o.to}`}>Goroutine groups at {b ? 'B' : a ? 'A' : 'the end'}</a>
                  </li>
                  <li>
                    <a href={`/targets/${id}/flame?kind=goroutine&at=${b ?? a ?? o.to}`}>Goroutine flame graph</a>
                  </li>
                  <li>
                    <a href={`/targets/${id}/flame?kind=heap&at=${b ?? a ?? o.to}`}>Heap flame graph</a>
                  </li>
                  <li>{a !== undefined && b !== undefined ? <a href={`/targets/${id}/diff?a=${a}&b=${b}`}>Diff A → B</a> : <span class="muted">Diff A → B (set both points)</span>}</li>
                </ul>
              </section>
              <section aria-label="Alerts in range">
                <h2>Alerts in this range</h2>
                {o.alerts.length === 0 ? (
                  <p class="muted">None.</p>
                ) : (
                  <ul>
                    {(o.alerts as unknown as { id: number; rule: string; state: string; summary: string; startedAt: number }[]).map((al) => (
                      <li key={al.id}>
                        <a href={`/alerts/${al.id}`}>
                          <span class={`badge ${al.state}`}>{al.state}</span> {al.rule}
                        </a>{' '}
                        {al.summary} <span class="ts">since {fmtTime(al.startedAt)}</span>
                      </li>
                    ))}
                  </ul>
                )}
                <a href={`/alerts?target=${id}`}>All alerts of this target</a>
              </section>
            </>
          );
        }}
      </Loaded>
    </main>
  );
}
