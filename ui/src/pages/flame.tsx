/**
 * Flame graphs of the goroutine and heap profiles at a moment (search, focus, sample type in
 * the URL: `?kind=heap&si=inuse_space&q=regex&focus=frame`), and the diff between points A and
 * B as a red/blue flame graph with a legend, plus the table of new, grown, shrunk and gone
 * groups.
 */
import { useEffect, useMemo, useRef } from 'preact/hooks';
import { get } from '../api';
import { ErrorBox, Grid, Loaded, Notice, PageHead, useData } from '../components';
import { DIFF_COLORS, diffTree, drawFlame, focusTree, type FNode } from '../flame';
import { pushQuery, replaceQuery, useRoute } from '../router';
import { fmtBytes, fmtNum, fmtTime, frameLabel, qTime, safeRegex } from '../util';
import { changes, type MomentGroup } from '../logic';

interface Flame {
  at: number;
  kind: 'goroutine' | 'heap';
  unit: string;
  sampleTypes: string[];
  sampleType: string;
  root: FNode;
}

function Graph({ root, diff, search, unit, onPick }: { root: FNode; diff?: boolean; search?: string; unit?: string; onPick?: (n: string) => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current!;
    return drawFlame(el, root, { width: Math.max(320, Math.min(el.clientWidth || 1000, 1600)), diff, search, unit, onPick });
  }, [root, diff, search]);
  return <div ref={ref} class="flame" />;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function FocusBar({ focus, search }: { focus: string; search: string }) {
  return (
    <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
      <label for="fl-q">Search (regex)</label>
      <input id="fl-q" type="search" value={search} onInput={(e) => replaceQuery({ q: (e.target as HTMLInputElement).value })} placeholder="main\." />
      <label for="fl-focus">Focus (regex)</label>
      <input id="fl-focus" type="search" value={focus} onInput={(e) => replaceQuery({ focus: (e.target as HTMLInputElement).value })} placeholder="click a frame" />
      {focus && (
        <button type="button" onClick={() => pushQuery({ focus: null })}>
          Clear focus
        </button>
      )}
    </form>
  );
}

/** One profile's flame graph. */
export function FlamePage({ id }: { id: string }) {
  const r = useRoute();
  const kind = r.q.get('kind') === 'heap' ? 'heap' : 'goroutine';
  const at = qTime(r.q.get('at'));
  const si = r.q.get('si') ?? '';
  const search = r.q.get('q') ?? '';
  const focus = r.q.get('focus') ?? '';
  const d = useData(() => get<Flame>(`/api/v1/targets/${id}/flame?kind=${kind}${at ? `&at=${at}` : ''}${si ? `&si=${encodeURIComponent(si)}` : ''}`), [id, kind, at, si]);
  const fre = safeRegex(focus);
  const sre = safeRegex(search);
  const root = useMemo(() => (d.data ? (fre instanceof RegExp ? focusTree(d.data.root, fre) : d.data.root) : undefined), [d.data, focus]);
  return (
    <main id="main">
      <PageHead title={`${kind === 'heap' ? 'Heap' : 'Goroutine'} flame graph`}>
        <a href={`/targets/${id}`}>Back to the target</a>
        <a href={`/targets/${id}/flame?${new URLSearchParams({ ...Object.fromEntries(r.q), kind: kind === 'heap' ? 'goroutine' : 'heap', si: '' }).toString()}`}>{kind === 'heap' ? 'Goroutine' : 'Heap'} profile</a>
      </PageHead>
      <Loaded d={d} what="the profile">
        {(f) => (
          <>
            <p class="sub">
              Profile at <span class="ts">{fmtTime(f.at)}</span> · total {f.unit === 'bytes' ? fmtBytes(f.root.value) : fmtNum(f.root.value)} {f.unit === 'bytes' ? '' : f.unit}
            </p>
            <FocusBar focus={focus} search={search} />
            {kind === 'heap' && (
              <p>
                <label for="fl-si">Sample type</label>{' '}
                <select id="fl-si" value={f.sampleType} onChange={(e) => pushQuery({ si: (e.target as HTMLSelectElement).value })}>
                  {f.sampleTypes.map((s) => (
                    <option key={s}>{s}</option>
                  ))}
                </select>
              </p>
            )}
            {typeof fre === 'string' && <ErrorBox error={new Error(fre)} title="Focus" />}
            {typeof sre === 'string' && <ErrorBox error={new Error(sre)} title="Search" />}
            {root && root.value === 0 ? <Notice>Nothing in this profile{focus ? ' matches the focus' : ''}.</Notice> : root && <Graph root={root} search={sre instanceof RegExp ? search : ''} unit={f.unit} onPick={(n) => n !== 'all' && pushQuery({ focus: '^' + escapeRe(n) + '$' })} />}
            <p class="hint">Click a frame to focus on the stacks through it (the URL keeps it; Back undoes it). Widths are {f.unit}; root at the bottom.</p>
          </>
        )}
      </Loaded>
    </main>
  );
}

interface Moment {
  at: number;
  groups: MomentGroup[];
}

const frameNames = (g: MomentGroup) => g.frames.map((f) => frameLabel(f));

/** The A → B diff page. */
export function DiffPage({ id }: { id: string }) {
  const r = useRoute();
  const a = qTime(r.q.get('a'));
  const b = qTime(r.q.get('b'));
  const search = r.q.get('q') ?? '';
  const focus = r.q.get('focus') ?? '';
  const d = useData(async () => {
    if (a === undefined || b === undefined) throw new Error('Set points A and B on the target page first (the URL needs ?a=...&b=...).');
    const [ma, mb] = await Promise.all([get<Moment>(`/api/v1/targets/${id}/moment?at=${a}`), get<Moment>(`/api/v1/targets/${id}/moment?at=${b}`)]);
    return { ma, mb };
  }, [id, a, b]);
  const fre = safeRegex(focus);
  const tree = useMemo(() => {
    if (!d.data) return undefined;
    const t = diffTree(
      d.data.ma.groups.map((g) => ({ frames: frameNames(g), n: g.count })),
      d.data.mb.groups.map((g) => ({ frames: frameNames(g), n: g.count })),
    );
    return fre instanceof RegExp ? focusTree(t, fre) : t;
  }, [d.data, focus]);
  return (
    <main id="main">
      <PageHead title="Diff A → B">
        <a href={`/targets/${id}?a=${a ?? ''}&b=${b ?? ''}`}>Back to the target</a>
      </PageHead>
      <Loaded d={d} what="the two moments">
        {({ ma, mb }) => {
          const ch = changes(ma.groups, mb.groups);
          const total = (m: Moment) => m.groups.reduce((s, g) => s + g.count, 0);
          return (
            <>
              <p class="sub">
                A: <span class="ts">{fmtTime(ma.at)}</span> ({fmtNum(total(ma))} goroutines) → B: <span class="ts">{fmtTime(mb.at)}</span> ({fmtNum(total(mb))} goroutines)
                {ma.at === mb.at && ' · A and B fall on the same scrape: nothing to compare'}
              </p>
              <FocusBar focus={focus} search={search} />
              <div class="legend" aria-label="Legend">
                <span>
                  <i class="sw" data-c="grew" /> grew (more goroutines at B)
                </span>
                <span>
                  <i class="sw" data-c="shrank" /> shrank
                </span>
                <span>
                  <i class="sw" data-c="same" /> unchanged
                </span>
                <span>Width: the larger of A and B, so gone stacks stay visible. Deeper colour = larger change.</span>
              </div>
              {tree && <Graph root={tree} diff search={search} onPick={(n) => n !== 'all' && pushQuery({ focus: '^' + escapeRe(n) + '$' })} />}
              <h2>Groups that changed</h2>
              {ch.length === 0 ? (
                <Notice>No group changed between A and B.</Notice>
              ) : (
                <Grid cols={['Change', 'A', 'B', 'Δ', 'State', 'Blocking frame']} caption="New, grown, shrunk and gone goroutine groups between A and B">
                  {ch.slice(0, 200).map((c) => (
                    <tr key={c.hash}>
                      <td>
                        <span class={`chg ${c.kind}`}>{c.kind}</span>
                      </td>
                      <td class="num">{fmtNum(c.a)}</td>
                      <td class="num">{fmtNum(c.b)}</td>
                      <td class="num">{c.b - c.a > 0 ? '+' : ''}{fmtNum(c.b - c.a)}</td>
                      <td>{c.g.state}</td>
                      <td>
                        <a href={`/targets/${id}/goroutines?at=${c.kind === 'gone' ? ma.at : mb.at}&focus=${c.hash}`}>{frameLabel(c.g.site)}</a>
                      </td>
                    </tr>
                  ))}
                </Grid>
              )}
            </>
          );
        }}
      </Loaded>
    </main>
  );
}

export { DIFF_COLORS };
