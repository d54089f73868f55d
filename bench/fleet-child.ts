/**
 * @fileoverview The fake fleet of the monitor benchmark, run in its own process so its CPU
 * is not counted as the monitor's: one HTTP server on 127.0.0.1 answering for N targets
 * (`/t/<i>/debug/pprof/goroutine|heap`) with real captured profiles whose sample counts
 * drift per target and over time (re-encoded protobufs, gzipped like net/http/pprof).
 * `goroutineleak` answers 404 (a Go < 1.26 fleet). Usage: fleet-child.js <goroutine.pb.gz> <heap.pb.gz>
 */
import fs from 'node:fs';
import http from 'node:http';
import zlib from 'node:zlib';
import { Profile } from 'pprof-format';

function variants(file: string, n: number): Buffer[] {
  const raw = zlib.gunzipSync(fs.readFileSync(file));
  const out: Buffer[] = [];
  for (let v = 0; v < n; v++) {
    const p = Profile.decode(raw);
    for (const s of p.sample) {
      s.value = s.value.map((x, i) => {
        const num = typeof x === 'bigint' ? Number(x) : x;
        // Drift: +-20% around the captured value, different per variant and sample.
        const f = 1 + 0.2 * Math.sin(v * 0.7 + i + Number(s.locationId[0] ?? 0));
        return Math.max(0, Math.round(num * f));
      });
    }
    out.push(zlib.gzipSync(Buffer.from(p.encode())));
  }
  return out;
}

const [gFile, hFile] = process.argv.slice(2);
const g = variants(gFile!, 24);
const h = variants(hFile!, 24);
const srv = http.createServer((req, res) => {
  const m = /^\/t\/(\d+)\/debug\/pprof\/(goroutine|heap|goroutineleak)/.exec(req.url ?? '');
  if (!m || m[2] === 'goroutineleak') return void res.writeHead(404, { 'content-type': 'text/plain' }).end('Unknown profile\n');
  const i = Number(m[1]);
  const slot = (Math.floor(Date.now() / 30_000) + i) % 24;
  const body = (m[2] === 'heap' ? h : g)[slot]!;
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length }).end(body);
});
srv.keepAliveTimeout = 120_000;
srv.listen(0, '127.0.0.1', () => process.stdout.write(`port=${(srv.address() as { port: number }).port}\n`));
process.on('SIGTERM', () => process.exit(0));
