/**
 * Goroutine groups at a moment: count, state, wait, created-by, verdict and its reason, the
 * monitor's detector condition; regex filters on function and file (`?f=` matches any frame's
 * function, `?file=` any frame's file, `?state=`); the selected group (`?focus=<hash>`) shows
 * its stack with the source lines and the static finding at the blocking frame, and the pprof
 * labels its goroutines share. The list is
 * virtualised (only the rows in view are in the DOM), so 10,000 groups stay responsive.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { get, type Frame, type Target } from '../api';
import { filterGroups, type MomentGroup } from '../logic';
import { ErrorBox, Loaded, Notice, PageHead, useData } from '../components';
import { pushQuery, replaceQuery, useRoute } from '../router';
import { fmtNum, fmtTime, frameLabel, qTime, safeRegex } from '../util';

interface Moment {
  target: Target;
  at: number;
  hasSource: boolean;
  groups: MomentGroup[];
}

export type { MomentGroup };

const ROW = 56;

/** A fixed-row-height virtual list: renders the rows in view plus a margin. */
export function VirtualList<T>({ items, height, row, render, label }: { items: T[]; height: number; row: number; render: (x: T, i: number) => preact.ComponentChildren; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const first = Math.max(0, Math.floor(top / row) - 10);
  const last = Math.min(items.length, Math.ceil((top + height) / row) + 10);
  useEffect(() => {
    if (ref.current) ref.current.scrollTop = 0;
    setTop(0);
  }, [items]);
  return (
    <div ref={ref} class="vlist" style={{ height: `${height}px` }} onScroll={(e) => setTop((e.target as HTMLDivElement).scrollTop)} role="list" aria-label={label} tabIndex={0}>
      <div style={{ height: `${items.length * row}px`, position: 'relative' }}>
        {items.slice(first, last).map((x, k) => (
          <div role="listitem" key={first + k} class="vrow" style={{ top: `${(first + k) * row}px`, height: `${row}px` }}>
            {render(x, first + k)}
          </div>
        ))}
      </div>
    </div>
  );
}

function SourceView({ id, frame }: { id: string; frame: Frame }) {
  const d = useData(
    () => get<{ source: { lines: { n: number; text: string }[]; line: number; findings: { ruleId: string; severity: string; message: string; line: number; fixHint?: string; fix?: string }[] } | null; message?: string }>(`/api/v1/targets/${id}/source?file=${encodeURIComponent(frame.file)}&line=${frame.line}&function=${encodeURIComponent(frame.function)}`),
    [id, frame.file, frame.line],
  );
  return (
    <Loaded d={d} what="the source">
      {(s) =>
        !s.source ? (
          <p class="muted">{s.message}</p>
        ) : (
          <div class="source">
            <pre aria-label={`Source around ${frameLabel(frame)}`} tabIndex={0}>
              {s.source.lines.map((l) => (
                <div key={l.n} class={l.n === s.source!.line ? 'hl' : ''}>
                  <span class="ln">{l.n}</span> {l.text}
                </div>
              ))}
            </pre>
            {s.source.findings.length === 0 ? (
              <p class="muted">No static finding at this function (leakscope check).</p>
            ) : (
              <ul class="findings">
                {s.source.findings.map((f, i) => (
                  <li key={i}>
                    <span class={`sev ${f.severity}`}>{f.severity}</span> <code>{f.ruleId}</code> line {f.line}: {f.message}
                    {(f.fixHint || f.fix) && <div class="fix">Fix: {f.fixHint ?? f.fix}</div>}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )
      }
    </Loaded>
  );
}

function GroupDetail({ id, g }: { id: string; g: MomentGroup }) {
  return (
    <section class="detail" aria-label="Selected group">
      <h2>
        {fmtNum(g.count)} goroutines · {g.state}
      </h2>
      <p class={g.verdict.suspect ? 'verdict suspect' : 'verdict'}>
        <strong>{g.verdict.suspect ? 'Suspect' : 'Not suspect'}</strong> ({g.verdict.rule}): {g.verdict.reason}
      </p>
      {g.condition && (
        <p class="verdict suspect">
          <strong>Monitor: {g.condition.rule}</strong> since {fmtTime(g.condition.since)}: {g.condition.summary}
        </p>
      )}
      <p>Created by: {g.createdBy ? frameLabel(g.createdBy) : 'not recorded in this profile format (debug=0)'}</p>
      {g.labels && Object.keys(g.labels).length > 0 && (
        <p>
          Labels:{' '}
          {Object.entries(g.labels)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, v]) => (
              <code key={k} class="label">
                {k}={v}
              </code>
            ))}
        </p>
      )}
      <h3>Blocking frame</h3>
      <p>
        <code>{frameLabel(g.site)}</code>
      </p>
      <SourceView id={id} frame={g.site} />
      <h3>Stack</h3>
      <ol class="stack">
        {g.frames.map((f, i) => (
          <li key={i} class={f.function === g.site.function && f.line === g.site.line ? 'site' : ''}>
            <code>{f.function}</code>
            <br />
            <span class="file">
              {f.file}:{f.line}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The goroutine groups page. */
export function GoroutinesPage({ id }: { id: string }) {
  const r = useRoute();
  const at = qTime(r.q.get('at'));
  const f = r.q.get('f') ?? '';
  const file = r.q.get('file') ?? '';
  const state = r.q.get('state') ?? '';
  const suspect = r.q.get('suspect') === '1';
  const focus = r.q.get('focus');
  const d = useData(() => get<Moment>(`/api/v1/targets/${id}/moment${at ? `?at=${at}` : ''}`), [id, at]);
  const fr = safeRegex(f);
  const filr = safeRegex(file);
  const shown = useMemo(() => (d.data && typeof fr !== 'string' && typeof filr !== 'string' ? filterGroups(d.data.groups.slice().sort((a, b) => b.count - a.count), fr, filr, state, suspect) : []), [d.data, f, file, state, suspect]);
  const states = useMemo(() => [...new Set((d.data?.groups ?? []).map((g) => g.state))].sort(), [d.data]);
  const sel = d.data?.groups.find((g) => g.hash === focus);
  return (
    <main id="main">
      <PageHead title={d.data ? `Goroutines of ${d.data.target.job}/${d.data.target.instance}` : 'Goroutine groups'}>
        <a href={`/targets/${id}`}>Back to the target</a>
      </PageHead>
      <Loaded d={d} what="the goroutine groups">
        {(m) => (
          <>
            <p class="sub">
              Scrape at <span class="ts">{fmtTime(m.at)}</span> · {fmtNum(m.groups.length)} groups · {fmtNum(m.groups.reduce((s, g) => s + g.count, 0))} goroutines ·{' '}
              <a href={`/targets/${id}/flame?kind=goroutine&at=${m.at}`}>flame graph</a>
            </p>
            <form class="filters" onSubmit={(e) => e.preventDefault()} role="search">
              <label for="flt-f">Function (regex)</label>
              <input id="flt-f" type="search" value={f} onInput={(e) => replaceQuery({ f: (e.target as HTMLInputElement).value })} placeholder="main\.worker" />
              <label for="flt-file">File (regex)</label>
              <input id="flt-file" type="search" value={file} onInput={(e) => replaceQuery({ file: (e.target as HTMLInputElement).value })} placeholder="server\.go" />
              <label for="flt-state">State</label>
              <select id="flt-state" value={state} onChange={(e) => replaceQuery({ state: (e.target as HTMLSelectElement).value })}>
                <option value="">any</option>
                {states.map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </select>
              <label class="check">
                <input type="checkbox" checked={suspect} onChange={(e) => replaceQuery({ suspect: (e.target as HTMLInputElement).checked ? '1' : null })} /> suspects only
              </label>
            </form>
            {typeof fr === 'string' && <ErrorBox error={new Error(fr)} title="Function filter" />}
            {typeof filr === 'string' && <ErrorBox error={new Error(filr)} title="File filter" />}
            <div class="split">
              <div class="list">
                <p class="count" aria-live="polite">
                  {fmtNum(shown.length)} groups shown
                </p>
                {shown.length === 0 ? (
                  <Notice>No group matches the filters.</Notice>
                ) : (
                  <VirtualList
                    items={shown}
                    height={560}
                    row={ROW}
                    label="Goroutine groups"
                    render={(g) => (
                      <a class={`grow ${g.hash === focus ? 'sel' : ''}`} href={`/targets/${id}/goroutines?${new URLSearchParams({ ...Object.fromEntries(r.q), focus: g.hash }).toString()}`} onClick={(e) => (e.preventDefault(), pushQuery({ focus: g.hash }))}>
                        <span class="cnt">{fmtNum(g.count)}</span>
                        <span class="st">{g.state}</span>
                        {(g.verdict.suspect || g.condition) && <span class="badge leak">{g.condition ? g.condition.rule : 'suspect'}</span>}
                        <span class="fn">{frameLabel(g.site)}</span>
                        {g.maxWait > 0 && <span class="wait">{g.maxWait} min</span>}
                      </a>
                    )}
                  />
                )}
              </div>
              <div class="pane">{sel ? <GroupDetail id={id} g={sel} /> : <p class="muted">Select a group to see its stack, verdict and source.</p>}</div>
            </div>
          </>
        )}
      </Loaded>
    </main>
  );
}
