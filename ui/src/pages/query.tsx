/**
 * Query: the read-only SQL of `leakscope query` over the documented views, with the saved
 * example queries; results as a table, and as a chart when the result has a time column.
 * The statement is in the URL (`?sql=`), so a hunt can be linked.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { ApiError, get, post } from '../api';
import { align, PALETTE } from '../charts';
import { ErrorBox, Grid, Loading, Notice, PageHead, useData } from '../components';
import { chartable, type Result } from '../logic';
import { pushQuery, useRoute } from '../router';

function ResultChart({ r }: { r: Result }) {
  const ref = useRef<HTMLDivElement>(null);
  const c = chartable(r);
  useEffect(() => {
    if (!c || !ref.current) return;
    const el = ref.current;
    el.textContent = '';
    const u = new uPlot(
      { width: Math.max(320, Math.min(el.clientWidth || 900, 1400)), height: 260, series: [{}, ...c.series.map((s, i) => ({ label: s.label, stroke: PALETTE[i % PALETTE.length]!, width: 1.5 }))], tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC') },
      align(c.series.map((s) => s.points)),
      el,
    );
    return () => u.destroy();
  }, [r]);
  if (!c) return null;
  return <figure class="chart" ref={ref} aria-label={`Chart of ${r.columns.join(', ')}`} />;
}

/** The query page. */
export function QueryPage() {
  const rt = useRoute();
  const sql = rt.q.get('sql') ?? '';
  const [text, setText] = useState(sql);
  const [state, setState] = useState<{ r?: Result; err?: Error; busy?: boolean; ms?: number }>({});
  const ex = useData(() => get<{ queries: { title: string; sql: string }[] }>('/api/v1/queries/examples'), []);
  useEffect(() => {
    setText(sql);
    if (!sql) return setState({});
    setState({ busy: true });
    const t0 = performance.now();
    post<Result>('/api/v1/query', { sql, maxRows: 5000 }).then(
      (r) => setState({ r, ms: Math.round(performance.now() - t0) }),
      (err: Error) => setState({ err }),
    );
  }, [sql]);
  return (
    <main id="main">
      <PageHead title="Query" />
      <p class="sub">
        Read-only SQL over the views <code>targets</code>, <code>scrapes</code>, <code>goroutine_groups</code>, <code>group_samples</code>, <code>heap_sites</code>, <code>alerts</code>, <code>signature_matches</code>
        {' '}(as <code>leakscope query</code>; times are epoch milliseconds, <code>(SELECT now_ms FROM clock)</code> is now).
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          pushQuery({ sql: text });
        }}
      >
        <label for="sql">SQL</label>
        <textarea id="sql" rows={6} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} spellcheck={false} />
        <button type="submit" class="primary">
          Run
        </button>
      </form>
      {ex.data && (
        <details class="examples">
          <summary>Saved example queries ({ex.data.queries.length})</summary>
          <ul>
            {ex.data.queries.map((q) => (
              <li key={q.title}>
                <a href={`/query?sql=${encodeURIComponent(q.sql)}`}>{q.title}</a>
              </li>
            ))}
          </ul>
        </details>
      )}
      {state.busy && <Loading what="the result" />}
      {state.err && <ErrorBox error={state.err} title={state.err instanceof ApiError && state.err.code === 'query_refused' ? 'Query refused' : 'The query failed'} />}
      {state.r &&
        (state.r.rows.length === 0 ? (
          <Notice>The query returned no rows.</Notice>
        ) : (
          <>
            <p class="count">
              {state.r.rows.length} rows{state.ms !== undefined ? ` in ${state.ms} ms` : ''}
            </p>
            <ResultChart r={state.r} />
            <div class="scroll" tabIndex={0} role="region" aria-label="Query result">
              <Grid cols={state.r.columns}>
                {state.r.rows.slice(0, 1000).map((row, i) => (
                  <tr key={i}>
                    {row.map((v, j) => (
                      <td key={j} class={typeof v === 'number' ? 'num' : ''}>
                        {v === null ? <span class="muted">null</span> : String(v)}
                      </td>
                    ))}
                  </tr>
                ))}
              </Grid>
            </div>
          </>
        ))}
    </main>
  );
}
