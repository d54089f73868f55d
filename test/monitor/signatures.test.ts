/**
 * The known-leak catalog: every entry is matched against a real profile of a small Go
 * program that reproduces it (src/monitor/signatures/testdata/<id>/), and no other entry
 * matches that program; the leaking demo's healthy parts match none. User catalogs load and
 * override; bad catalogs fail with file:line.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readProfile, type GoroutineProfile, type HeapProfile } from '../../src/profiles/index.js';
import { goroutineRows } from '../../src/monitor/process.js';
import { bundledCatalogPath, loadSignatures, matchGoroutineSignatures, matchHeapSignatures, parseCatalog, type Signature } from '../../src/monitor/signatures.js';
import { requireGo } from '../support/go.js';
import { killAll, killChild, startDemo } from './helpers.js';

const TESTDATA = path.join(path.dirname(bundledCatalogPath()), 'testdata');
const hasGo = requireGo('the signature catalog tests');
const sigs = loadSignatures();

function matches(s: readonly Signature[], g: GoroutineProfile | undefined, h: HeapProfile | undefined): string[] {
  const out: string[] = [];
  if (g) out.push(...matchGoroutineSignatures(s, goroutineRows(g).map((r) => ({ count: r.count, state: r.state, stack: [...r.frames], location: r.site }))).map((m) => m.signature.id));
  if (h) out.push(...matchHeapSignatures(s, h).map((m) => m.signature.id));
  return out.sort();
}

async function profileOf(bin: string): Promise<{ g: GoroutineProfile; h: HeapProfile }> {
  const p = spawn(bin, [], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      p.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /port=(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      p.on('exit', (c) => reject(new Error(`${bin} exited with ${c}`)));
    });
    const get = async (u: string) => new Uint8Array(await (await fetch(`http://127.0.0.1:${port}${u}`)).arrayBuffer());
    const g = readProfile(await get('/debug/pprof/goroutine?debug=0'), bin) as GoroutineProfile;
    const h = readProfile(await get('/debug/pprof/heap'), bin) as HeapProfile;
    return { g, h };
  } finally {
    await killChild(p);
  }
}

describe('the catalog', () => {
  it('is valid, versioned, and every entry has a reproducing program', () => {
    expect(sigs.length).toBeGreaterThanOrEqual(7);
    for (const s of sigs) {
      expect(s.catalogVersion).toBe(1);
      expect(s.fix.length, s.id).toBeGreaterThan(20);
      expect(s.references.length, s.id).toBeGreaterThan(0);
      expect(fs.existsSync(path.join(TESTDATA, s.id, 'main.go')), `testdata for ${s.id}`).toBe(true);
    }
  });
  it('user catalogs add and override entries; bad ones fail with file:line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakscope-sig-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'mine.yaml'),
        "version: 1\nsignatures:\n  - id: acme-queue\n    title: ACME queue consumers\n    profile: goroutine\n    match: { frames: ['^acme/queue\\.'], min-count: 5 }\n    fix: Close the consumer when the subscription ends.\n",
      );
      const all = loadSignatures([path.join(dir, 'mine.yaml')], ['grpc-client-conn-not-closed']);
      expect(all.map((s) => s.id)).toContain('acme-queue');
      expect(all.map((s) => s.id)).not.toContain('grpc-client-conn-not-closed');
      expect(() => parseCatalog("version: 1\nsignatures:\n  - id: x\n    title: t\n    profile: goroutine\n    match: { frames: ['(('] }\n    fix: f\n", 'bad.yaml')).toThrow(/^bad\.yaml:6:23: signatures\[0\]\.match\.frames\[0\] is not a valid regular expression/);
      expect(() => parseCatalog('version: 1\nsignatures:\n  - id: x\n    title: t\n    profile: stack\n    match: { frames: [a] }\n    fix: f\n', 'bad.yaml')).toThrow(/bad\.yaml:5:14: signatures\[0\]\.profile must be one of goroutine, heap/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!hasGo)('each signature against a real program that reproduces it', () => {
  const bins = fs.mkdtempSync(path.join(os.tmpdir(), 'leakscope-sigbin-'));
  beforeAll(() => {
    execFileSync('go', ['build', '-o', bins + '/', './...'], { cwd: TESTDATA, stdio: 'pipe', env: { ...process.env, GOFLAGS: '-mod=mod' } });
    // Its own module: google.golang.org/grpc comes from the module proxy (pinned in go.sum).
    execFileSync('go', ['build', '-o', path.join(bins, 'grpc-client-conn-not-closed'), '.'], { cwd: path.join(TESTDATA, 'grpc-client-conn-not-closed'), stdio: 'pipe', env: { ...process.env, GOFLAGS: '-mod=mod' } });
  });
  afterAll(async () => {
    await killAll();
    fs.rmSync(bins, { recursive: true, force: true });
  });
  for (const id of ['grpc-client-conn-not-closed', 'http-response-body-not-closed', 'time-after-in-loop-pre-go123', 'sql-rows-not-closed', 'context-cancel-not-called', 'signal-notify-context-not-stopped', 'http-server-no-timeouts']) {
    it(id, async () => {
      const { g, h } = await profileOf(path.join(bins, id));
      expect(matches(sigs, g, h)).toEqual([id]);
    });
  }
  it('the demo service (one leak, healthy rest) matches no signature', async () => {
    const demo = await startDemo(['-leak-rate', '20']);
    await new Promise((r) => setTimeout(r, 1500));
    const get = async (u: string) => new Uint8Array(await (await fetch(`${demo.url}${u}`)).arrayBuffer());
    const g = readProfile(await get('/debug/pprof/goroutine?debug=0'), 'demo') as GoroutineProfile;
    const h = readProfile(await get('/debug/pprof/heap'), 'demo') as HeapProfile;
    expect(matches(sigs, g, h)).toEqual([]);
    await demo.kill();
  });
});
