/**
 * Fleet: every target with status, goroutine and heap sparklines, leak badge and last scrape
 * error; filter by label (`job=api team=~pay.*` or free text), sort by growth.
 */
import { get, type Alert, type Point, type Target } from '../api';
import { Grid, Loaded, Notice, PageHead, useData } from '../components';
import { replaceQuery, useRoute } from '../router';
import { matchesFilter } from '../logic';
import { ago, fmtBytes, fmtNum } from '../util';

interface Row {
  t: Target;
  gor: Point[];
  heap: Point[];
  alerts: Alert[];
  growth: number;
}

/** A tiny SVG line (no library: 24 points, no axes). */
export function Sparkline({ points, label }: { points: Point[]; label: string }) {
  if (points.length < 2) return <span class="spark-empty">no data</span>;
  const w = 120;
  const h = 28;
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  const y0 = Math.min(...ys);
  const y1 = Math.max(...ys);
  const d = points.map((p, i) => `${i ? 'L' : 'M'}${(((p[0] - x0) / (x1 - x0 || 1)) * w).toFixed(1)},${(h - 2 - ((p[1] - y0) / (y1 - y0 || 1)) * (h - 4)).toFixed(1)}`).join('');
  return (
    <svg class="spark" width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={label}>
      <path d={d} />
    </svg>
  );
}

function status(t: Target): { cls: string; text: string } {
  const g = t.lastScrape.goroutine;
  if (t.goneAt) return { cls: 'gone', text: 'gone' };
  if (!g) return { cls: 'unknown', text: 'no scrape yet' };
  return g.ok ? { cls: 'up', text: 'up' } : { cls: 'down', text: 'down' };
}

/** The fleet page. */
export function FleetPage() {
  const r = useRoute();
  const filter = r.q.get('filter') ?? '';
  const sort = r.q.get('sort') ?? 'growth';
  const d = useData(async () => {
    const [fleet, { alerts }] = await Promise.all([
      get<{ targets: { target: Target; goroutines: Point[]; heap: Point[]; growth: number }[] }>(`/api/v1/fleet?from=${Date.now() - 3_600_000}`),
      get<{ alerts: Alert[] }>('/api/v1/alerts?state=active'),
    ]);
    return fleet.targets.map((x): Row => ({ t: x.target, gor: x.goroutines, heap: x.heap, alerts: alerts.filter((a) => a.targetId === x.target.id), growth: x.growth }));
  }, []);
  return (
    <main id="main">
      <PageHead title="Fleet">
        <label for="fleet-filter">Filter by label</label>
        <input id="fleet-filter" type="search" placeholder="job=api team=~pay.*" value={filter} onInput={(e) => replaceQuery({ filter: (e.target as HTMLInputElement).value })} />
        <label for="fleet-sort">Sort</label>
        <select id="fleet-sort" value={sort} onChange={(e) => replaceQuery({ sort: (e.target as HTMLSelectElement).value })}>
          <option value="growth">by growth (last hour)</option>
          <option value="name">by name</option>
          <option value="goroutines">by goroutines</option>
        </select>
      </PageHead>
      <Loaded d={d} what="the fleet">
        {(rows) => {
          if (rows.length === 0) return <Notice title="No targets yet">Give `leakscope monitor` a URL (`leakscope monitor http://127.0.0.1:6060`) or a `targets:` list in monitor.yaml.</Notice>;
          const shown = rows.filter((x) => matchesFilter(x.t, filter));
          shown.sort((a, b) => (sort === 'name' ? a.t.key.localeCompare(b.t.key) : sort === 'goroutines' ? (b.t.lastScrape.goroutine?.total ?? 0) - (a.t.lastScrape.goroutine?.total ?? 0) : b.growth - a.growth));
          return (
            <>
              <p class="count">
                {shown.length} of {rows.length} targets
              </p>
              <Grid cols={['Target', 'Status', 'Goroutines (1 h)', 'Heap in use (1 h)', 'Growth', 'Leak', 'Last scrape']} className="fleet">
                {shown.map(({ t, gor, heap, alerts, growth }) => {
                  const st = status(t);
                  const g = t.lastScrape.goroutine;
                  const firing = alerts.filter((a) => a.state === 'firing');
                  return (
                    <tr key={t.id}>
                      <th scope="row">
                        <a href={`/targets/${t.id}`}>
                          {t.job}/{t.instance}
                        </a>
                        <div class="labels">
                          {Object.entries(t.labels).map(([k, v]) => (
                            <span class="label" key={k}>
                              {k}={v}
                            </span>
                          ))}
                        </div>
                      </th>
                      <td>
                        <span class={`status ${st.cls}`}>{st.text}</span>
                      </td>
                      <td>
                        <Sparkline points={gor} label={`goroutines of ${t.job}/${t.instance}, now ${fmtNum(g?.total)}`} /> <span class="num">{fmtNum(g?.total)}</span>
                      </td>
                      <td>
                        <Sparkline points={heap} label={`heap in use of ${t.job}/${t.instance}`} /> <span class="num">{fmtBytes(t.lastScrape.heap?.total)}</span>
                      </td>
                      <td class="num">{growth > 0 ? `+${fmtNum(growth)}` : fmtNum(growth)}</td>
                      <td>
                        {firing.length ? (
                          <a class="badge leak" href={`/alerts/${firing[0]!.id}`}>
                            leaking ({firing.length})
                          </a>
                        ) : alerts.length ? (
                          <span class="badge pending">pending</span>
                        ) : (
                          <span class="badge ok">none</span>
                        )}
                      </td>
                      <td>
                        {g ? <span class="ts">{ago(g.ts)}</span> : 'never'}
                        {g && !g.ok && <div class="scrape-error">{g.error}</div>}
                        {!g && <div class="scrape-error">The target has not answered yet.</div>}
                      </td>
                    </tr>
                  );
                })}
              </Grid>
            </>
          );
        }}
      </Loaded>
    </main>
  );
}
