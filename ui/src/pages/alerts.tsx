/**
 * Alerts: firing, pending and resolved, with silences; one alert with its evidence bundle
 * rendered (summary, top group, series, source and static findings) and downloadable.
 */
import { useState } from 'preact/hooks';
import { del, get, getText, post, type Alert, type Silence, type Target } from '../api';
import { ErrorBox, Grid, Loaded, Notice, PageHead, useData } from '../components';
import { Markdown } from '../markdown';
import { pushQuery, useRoute } from '../router';
import { fmtTime } from '../util';

function AlertRow({ a, targets }: { a: Alert; targets: Map<number, Target> }) {
  const t = targets.get(a.targetId);
  return (
    <tr>
      <td>
        <span class={`badge ${a.state}`}>{a.state}</span>
        {a.silencedBy !== null && <span class="badge silenced">silenced</span>}
      </td>
      <td>
        <a href={`/alerts/${a.id}`}>{a.rule}</a>
      </td>
      <td>{t ? <a href={`/targets/${t.id}`}>{t.job}/{t.instance}</a> : a.targetId}</td>
      <td>{a.summary}</td>
      <td class="ts">{fmtTime(a.firedAt ?? a.startedAt)}</td>
      <td>{a.resolvedAt ? <span class="ts">{fmtTime(a.resolvedAt)}</span> : '—'} {a.reason && `(${a.reason})`}</td>
    </tr>
  );
}

function Silences({ admin }: { admin: boolean }) {
  const d = useData(() => get<{ silences: Silence[] }>('/api/v1/silences'), []);
  const [matchers, setM] = useState('');
  const [duration, setD] = useState('2h');
  const [comment, setC] = useState('');
  const [err, setErr] = useState<Error | null>(null);
  return (
    <section aria-label="Silences">
      <h2>Silences</h2>
      <Loaded d={d} what="silences">
        {({ silences }) =>
          silences.length === 0 ? (
            <p class="muted">No active silence.</p>
          ) : (
            <Grid cols={['Matchers', 'Until', 'By', 'Comment', admin && 'Action']}>
              {silences.map((s) => (
                <tr key={s.id}>
                  <td>
                    <code>{s.matchers.map((m) => `${m.name}${m.isEqual ? '' : '!'}${m.isRegex ? '=~' : '='}${m.value}`).join(', ')}</code>
                  </td>
                  <td class="ts">{fmtTime(s.endsAt)}</td>
                  <td>{s.createdBy}</td>
                  <td>{s.comment}</td>
                  {admin && (
                    <td>
                      <button type="button" onClick={() => del(`/api/v1/silences/${s.id}`).then(d.reload, setErr)}>
                        Expire
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </Grid>
          )
        }
      </Loaded>
      {admin && (
        <form
          class="inline"
          onSubmit={(e) => {
            e.preventDefault();
            setErr(null);
            post('/api/v1/silences', { matchers: matchers.split(/[\s,]+/).filter(Boolean), duration, comment }).then(() => (setM(''), setC(''), d.reload()), setErr);
          }}
        >
          <label for="sil-m">Matchers</label>
          <input id="sil-m" value={matchers} onInput={(e) => setM((e.target as HTMLInputElement).value)} placeholder="job=api rule=goroutine-growth" required />
          <label for="sil-d">For</label>
          <input id="sil-d" value={duration} onInput={(e) => setD((e.target as HTMLInputElement).value)} size={5} required />
          <label for="sil-c">Comment</label>
          <input id="sil-c" value={comment} onInput={(e) => setC((e.target as HTMLInputElement).value)} />
          <button type="submit">Add silence</button>
        </form>
      )}
      {err && <ErrorBox error={err} title="Silence not changed" />}
    </section>
  );
}

/** The alerts list (`?state=active|firing|resolved`, `?target=`). */
export function AlertsPage() {
  const r = useRoute();
  const state = r.q.get('state') ?? 'active';
  const target = r.q.get('target');
  const d = useData(async () => {
    const qs = new URLSearchParams();
    if (state !== 'all') qs.set('state', state);
    if (target) qs.set('target', target);
    const [{ alerts }, { targets }, me] = await Promise.all([get<{ alerts: Alert[] }>(`/api/v1/alerts?${qs}`), get<{ targets: Target[] }>('/api/v1/targets'), get<{ user: { role: string } | null }>('/api/v1/auth/session')]);
    return { alerts, targets: new Map(targets.map((t) => [t.id, t])), admin: me.user?.role === 'admin' };
  }, [state, target]);
  return (
    <main id="main">
      <PageHead title="Alerts">
        <label for="al-state">Show</label>
        <select id="al-state" value={state} onChange={(e) => pushQuery({ state: (e.target as HTMLSelectElement).value })}>
          <option value="active">pending and firing</option>
          <option value="firing">firing</option>
          <option value="resolved">resolved</option>
          <option value="all">all</option>
        </select>
      </PageHead>
      <Loaded d={d} what="alerts">
        {({ alerts, targets, admin }) => (
          <>
            {alerts.length === 0 ? (
              <Notice>No {state === 'all' ? '' : state + ' '}alerts{target ? ' for this target' : ''}.</Notice>
            ) : (
              <Grid cols={['State', 'Rule', 'Target', 'Summary', 'Fired', 'Resolved']}>
                {alerts.map((a) => (
                  <AlertRow key={a.id} a={a} targets={targets} />
                ))}
              </Grid>
            )}
            <Silences admin={admin} />
          </>
        )}
      </Loaded>
    </main>
  );
}

/** One alert with its evidence. */
export function AlertPage({ id }: { id: string }) {
  const d = useData(async () => {
    const r = await get<{ alert: Alert; evidence: { createdAt: number; bytes: number; summary: string } | null }>(`/api/v1/alerts/${id}`);
    const summary = r.evidence ? await getText(`/api/v1/alerts/${id}/evidence/summary`) : null;
    return { ...r, summary };
  }, [id]);
  return (
    <main id="main">
      <Loaded d={d} what="the alert">
        {({ alert: a, evidence, summary }) => {
          const group = (a.details.group ?? a.details.site) as { hash?: string } | undefined;
          return (
            <>
              <PageHead title={`Alert ${a.id}: ${a.rule}`}>
                <a href={`/targets/${a.targetId}?from=${a.startedAt - 15 * 60_000}&to=${(a.resolvedAt ?? Date.now()) + 60_000}&a=${a.startedAt}&b=${a.resolvedAt ?? a.firedAt ?? a.startedAt}`}>Charts around the alert</a>
                <a href={`/targets/${a.targetId}/diff?a=${a.startedAt}&b=${a.resolvedAt ?? Date.now()}`}>Diff: start → {a.resolvedAt ? 'resolved' : 'now'}</a>
                <a href={`/targets/${a.targetId}/goroutines${a.subject && /^[0-9a-f]{8,64}$/.test(a.subject) ? `?focus=${a.subject}` : ''}`}>Open the group</a>
                {evidence && (
                  <a class="button" href={`/api/v1/alerts/${a.id}/evidence`} download>
                    Download evidence (.tar.gz)
                  </a>
                )}
              </PageHead>
              <p>
                <span class={`badge ${a.state}`}>{a.state}</span> {a.severity} · started <span class="ts">{fmtTime(a.startedAt)}</span>
                {a.firedAt && (
                  <>
                    {' '}
                    · fired <span class="ts">{fmtTime(a.firedAt)}</span>
                  </>
                )}
                {a.resolvedAt && (
                  <>
                    {' '}
                    · resolved <span class="ts">{fmtTime(a.resolvedAt)}</span> ({a.reason})
                  </>
                )}
                {a.silencedBy !== null && ` · silenced by silence ${a.silencedBy}`}
              </p>
              <p class="lead">{a.summary}</p>
              {group?.hash && <p>Group {group.hash}</p>}
              <h2>Evidence</h2>
              {!evidence ? (
                <Notice>{a.evidenceState === 'none' || a.evidenceState === 'requested' ? 'The evidence bundle is written when the alert fires.' : `Evidence: ${a.evidenceState}`}</Notice>
              ) : (
                <article class="evidence" aria-label="Evidence summary">
                  <p class="muted">
                    Bundle of {Math.round(evidence.bytes / 1024)} KiB written <span class="ts">{fmtTime(evidence.createdAt)}</span>.
                  </p>
                  <Markdown text={summary ?? ''} />
                </article>
              )}
              <h2>Labels</h2>
              <p>
                {Object.entries(a.labels).map(([k, v]) => (
                  <span class="label" key={k}>
                    {k}={v}
                  </span>
                ))}
              </p>
            </>
          );
        }}
      </Loaded>
    </main>
  );
}
