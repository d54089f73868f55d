/**
 * @fileoverview The web dashboard (issue 17) on the monitor server: the built single-page app
 * (`dist/ui`, built by `npm run build` with Vite) served under `/`, and the JSON endpoints the
 * pages need beyond the monitor's API, mounted in the same authenticated `/api/v1` scope:
 *
 * - `GET /targets/:id/overview?from&to&top` — goroutine and heap series, the series of the
 *   top groups at `to`, restarts (segment changes) and the target's alerts in the range: one
 *   request draws the target page.
 * - `GET /targets/:id/moment?at` — the goroutine groups of the scrape at or before `at`, each
 *   with the verdict of `leakscope goroutines` (src/profiles/classify.ts) and the monitor's
 *   active detector condition for it.
 * - `GET /targets/:id/source?file&line&function` — source lines and static findings of a
 *   frame when the target has a source directory (src/monitor/evidence.ts `sourceContext`).
 * - `GET /fleet?from` — every target with thinned goroutine and heap series (sparklines).
 * - `GET /queries/examples` — the documented hunting queries (src/monitor/queries.ts).
 * - `GET /targets/:id/flame?kind=goroutine|heap&at&si` — the stored raw profile nearest
 *   before `at` as a flame-graph tree (root first), or a clear 422 when it does not parse.
 *
 * The app's HTML has no inline script or style, so the server's CSP (`default-src 'self'`)
 * applies unchanged; every asset comes from this origin.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { readProfile } from '../profiles/read.js';
import { groupGoroutines } from '../profiles/group.js';
import { classifyGroup } from '../profiles/classify.js';
import { sampleIndex } from '../profiles/heap.js';
import { isProfileError } from '../profiles/errors.js';
import type { Frame, Goroutine } from '../profiles/model.js';
import { sourceContext } from '../monitor/evidence.js';
import { DOCUMENTED_QUERIES } from '../monitor/queries.js';
import type { GroupInfo, Store } from '../monitor/store/types.js';

/** Where the built app is: `dist/ui` next to `dist/src` (package), or from the TypeScript sources. */
export function uiDir(): string | undefined {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // dist/src/server -> dist/ui; src/server -> dist/ui (not the sources in ui/, which have no assets/).
  for (const c of [path.join(here, '..', '..', 'ui'), path.join(here, '..', '..', 'dist', 'ui')]) {
    if (fs.existsSync(path.join(c, 'index.html')) && fs.existsSync(path.join(c, 'assets'))) return c;
  }
  return undefined;
}

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>leakscope</title></head><body><main><h1>leakscope</h1><p>The dashboard is not built in this copy of leakscope. Run <code>npm run build</code> in the repository (it builds <code>dist/ui</code>), then restart <code>leakscope monitor</code>. The JSON API under <code>/api/v1</code> works without it.</p></main></body></html>`;

/** Paths the app handles itself (deep links are served index.html). */
function isAppPath(url: string): boolean {
  const p = url.split('?')[0]!;
  return !p.startsWith('/api/') && p !== '/metrics' && p !== '/healthz' && !p.startsWith('/assets/') && !/\.[a-z0-9]+$/i.test(p);
}

/**
 * Serves the built app: hashed assets under `/assets/` (cached a year), `index.html` for `/`
 * and every app path. Returns the not-found fallback for `createServer`: it answers app paths
 * with the page (a reload of `/targets/3?a=...` works) and everything else with `undefined`.
 */
export async function registerUi(app: FastifyInstance): Promise<(req: FastifyRequest, reply: FastifyReply) => boolean> {
  const dir = uiDir();
  if (dir) {
    await app.register(fastifyStatic, {
      root: dir,
      prefix: '/',
      index: false,
      wildcard: false,
      cacheControl: false,
      setHeaders: (res, file) => {
        res.setHeader('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  const page = dir ? fs.readFileSync(path.join(dir, 'index.html')) : Buffer.from(NOT_BUILT);
  const serve = (reply: FastifyReply) => reply.status(200).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').send(page);
  app.get('/', async (_req, reply) => serve(reply));
  return (req, reply) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !isAppPath(req.url)) return false;
    void serve(reply);
    return true;
  };
}

interface HttpError extends Error {
  statusCode: number;
  code: string;
}
function httpError(status: number, code: string, message: string): HttpError {
  return Object.assign(new Error(message), { statusCode: status, code });
}

function num(v: unknown, name: string, dflt: number): number {
  if (v === undefined || v === '') return dflt;
  const s = String(v);
  const n = /^\d+$/.test(s) ? Number(s) : Date.parse(s);
  if (!Number.isFinite(n)) throw httpError(400, 'bad_request', `parameter "${name}" must be epoch milliseconds or an ISO date, got "${s.slice(0, 40)}"`);
  return n;
}

/** A node of a flame graph (d3-flame-graph's shape). */
export interface FlameNode {
  name: string;
  value: number;
  children: FlameNode[];
}

/** Adds one stack (innermost frame first, as Go prints them) with weight `v` to a tree. */
export function addStack(root: FlameNode, frames: readonly Frame[], v: number): void {
  root.value += v;
  let node = root;
  for (let i = frames.length - 1; i >= 0; i--) {
    const f = frames[i]!;
    const name = f.line ? `${f.function} ${path.basename(f.file)}:${f.line}` : f.function;
    let c = node.children.find((x) => x.name === name);
    if (!c) {
      c = { name, value: 0, children: [] };
      node.children.push(c);
    }
    c.value += v;
    node = c;
  }
}

/** The verdict of a stored group, as `leakscope goroutines` decides it (classify.ts). */
function verdictOf(g: GroupInfo): { suspect: boolean; rule: string; reason: string } {
  const member: Goroutine = { count: g.count, state: g.state, leaked: g.leaked > 0, lockedToThread: false, scan: false, durable: false, labels: {}, frames: g.frames, elided: false, stackUnavailable: false, ...(g.maxWait ? { waitMinutes: g.maxWait } : {}), ...(g.createdBy ? { createdBy: g.createdBy } : {}) };
  const gg = groupGoroutines([member])[0]!;
  return classifyGroup({ ...gg, count: g.count, leakedCount: g.leaked, location: g.site });
}

/** The dashboard's endpoints (mounted inside the authenticated `/api/v1` scope). */
export async function uiApiRoutes(api: FastifyInstance, store: Store): Promise<void> {
  const target = async (id: string) => {
    const n = Number(id);
    const t = Number.isSafeInteger(n) ? await store.getTarget(n) : undefined;
    if (!t) throw httpError(404, 'not_found', `no target ${id.slice(0, 20)}`);
    return t;
  };

  api.get<{ Querystring: Record<string, string> }>('/fleet', async (req) => {
    const to = Date.now();
    const from = num(req.query.from, 'from', to - 3_600_000);
    // Four queries whatever the fleet's size (the targets, then both totals of every target).
    const [targets, gor, heap] = await Promise.all([store.listTargets(), store.fleetTotals('goroutine', from, to), store.fleetTotals('heap', from, to)]);
    // One request for the fleet page: every target with its last hour, thinned to at most 60
    // points per series for the sparklines.
    const thin = (ps: { ts: number; value: number }[]) => {
      const step = Math.max(1, Math.ceil(ps.length / 60));
      return ps.filter((_p, i) => i % step === 0 || i === ps.length - 1).map((p) => [p.ts, p.value]);
    };
    return {
      from,
      to,
      targets: targets.map((t) => {
        const g = gor.get(t.id) ?? [];
        return { target: t, goroutines: thin(g), heap: thin(heap.get(t.id) ?? []), growth: g.length ? g[g.length - 1]!.value - g[0]!.value : 0 };
      }),
    };
  });

  api.get('/queries/examples', async () => ({ queries: DOCUMENTED_QUERIES }));

  api.get<{ Params: { id: string }; Querystring: Record<string, string> }>('/targets/:id/overview', async (req) => {
    const t = await target(req.params.id);
    const to = num(req.query.to, 'to', Date.now());
    const from = num(req.query.from, 'from', to - 3_600_000);
    if (from >= to) throw httpError(400, 'bad_request', 'the range must start before it ends (from < to)');
    const top = Math.min(Math.max(Number(req.query.top ?? 5) || 5, 0), 20);
    const [gor, heap, alerts, moment] = await Promise.all([
      store.totals(t.id, 'goroutine', from, to),
      store.totals(t.id, 'heap', from, to),
      store.listAlerts({ targetId: t.id, limit: 200 }),
      store.groupsAt(t.id, to),
    ]);
    const groups = (moment?.groups ?? []).slice().sort((a, b) => b.count - a.count).slice(0, top);
    const groupSeries = await Promise.all(
      groups.map(async (g) => ({ hash: g.hash, label: g.site.line ? `${g.site.function} ${path.basename(g.site.file)}:${g.site.line}` : g.site.function, state: g.state, points: (await store.groupSeries(t.id, g.hash, from, to)).map((p) => [p.ts, p.value] as [number, number]) })),
    );
    const restarts: number[] = [];
    for (let i = 1; i < gor.length; i++) if ((gor[i]!.segment ?? 0) !== (gor[i - 1]!.segment ?? 0)) restarts.push(gor[i]!.ts);
    const inRange = alerts.filter((a) => a.startedAt <= to && (a.resolvedAt ?? to) >= from);
    return {
      target: t,
      from,
      to,
      goroutines: gor.map((p) => [p.ts, p.value, p.segment ?? null]),
      heap: heap.map((p) => [p.ts, p.value, p.segment ?? null]),
      groups: groupSeries,
      restarts,
      alerts: inRange.map((a) => ({ id: a.id, rule: a.rule, state: a.state, severity: a.severity, summary: a.summary, subject: a.subject, startedAt: a.startedAt, firedAt: a.firedAt, resolvedAt: a.resolvedAt })),
    };
  });

  api.get<{ Params: { id: string }; Querystring: Record<string, string> }>('/targets/:id/moment', async (req) => {
    const t = await target(req.params.id);
    const at = num(req.query.at, 'at', Date.now());
    const r = await store.groupsAt(t.id, at);
    if (!r) throw httpError(404, 'no_data', `No goroutine profile of ${t.job}/${t.instance} at or before ${new Date(at).toISOString()}: the target has not answered a goroutine scrape by then.`);
    const conds = (await store.listConditions(true)).filter((c) => c.targetId === t.id);
    return {
      target: t,
      at: r.scrapeTs,
      hasSource: !!t.source,
      groups: r.groups.map((g) => {
        const c = conds.find((x) => x.subject === g.hash);
        return { ...g, verdict: verdictOf(g), condition: c ? { rule: c.rule, severity: c.severity, summary: c.summary, since: c.since } : null };
      }),
    };
  });

  api.get<{ Params: { id: string }; Querystring: Record<string, string> }>('/targets/:id/source', async (req) => {
    const t = await target(req.params.id);
    const q = req.query;
    if (!q.file || !q.line || !/^\d+$/.test(q.line)) throw httpError(400, 'bad_request', 'file and line are required');
    if (!t.source) return { source: null, message: `No source directory is configured for ${t.job}: add "source:" to the target or run with --source to see the line and the static findings.` };
    const ctx = await sourceContext({ function: q.function ?? '', file: q.file, line: Number(q.line) }, t.source);
    if (!ctx) return { source: null, message: `${path.basename(q.file)} was not found under the target's source directory.` };
    return { source: { file: ctx.file, line: ctx.line, lines: ctx.lines, findings: ctx.findings } };
  });

  api.get<{ Params: { id: string }; Querystring: Record<string, string> }>('/targets/:id/flame', async (req) => {
    const t = await target(req.params.id);
    const kind = req.query.kind ?? 'goroutine';
    if (kind !== 'goroutine' && kind !== 'heap') throw httpError(400, 'bad_request', `kind must be goroutine or heap, got "${kind.slice(0, 20)}"`);
    const at = num(req.query.at, 'at', Date.now());
    const raw = (await store.rawProfile(t.id, kind, at, true)) ?? (await store.rawProfile(t.id, kind, at, false));
    if (!raw) throw httpError(404, 'no_data', `No stored ${kind} profile of ${t.job}/${t.instance} near ${new Date(at).toISOString()} (raw profiles are kept for the retention.profiles window).`);
    const name = `${t.job}/${t.instance} ${kind} at ${new Date(raw.ts).toISOString()}`;
    let p;
    try {
      p = readProfile(raw.data, name);
    } catch (e) {
      if (isProfileError(e)) throw httpError(422, 'unparsable_profile', `The stored ${kind} profile of ${new Date(raw.ts).toISOString()} could not be read: ${(e as Error).message}`);
      throw e;
    }
    const root: FlameNode = { name: 'all', value: 0, children: [] };
    if (p.kind === 'goroutine') {
      for (const g of p.goroutines) addStack(root, g.frames, g.count);
      return { at: raw.ts, kind, unit: 'goroutines', sampleTypes: ['goroutines'], sampleType: 'goroutines', root };
    }
    if (p.kind !== 'heap') throw httpError(422, 'unparsable_profile', `The stored ${kind} profile is a ${p.kind} profile.`);
    const si = req.query.si || p.defaultSampleType || 'inuse_space';
    let idx: number;
    try {
      idx = sampleIndex(p, si);
    } catch (e) {
      throw httpError(400, 'bad_request', (e as Error).message);
    }
    for (const s of p.samples) {
      const v = s.values[idx] ?? 0;
      if (v > 0) addStack(root, s.stack, v);
    }
    return { at: raw.ts, kind, unit: p.sampleTypes[idx]?.unit ?? '', sampleTypes: p.sampleTypes.map((x) => x.type), sampleType: p.sampleTypes[idx]?.type ?? si, root };
  });
}
