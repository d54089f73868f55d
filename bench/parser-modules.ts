/**
 * @fileoverview `npm run parser:modules` (issue 12): the differential parser test on real
 * modules. Downloads pinned modules of bench/realcode/modules.txt with `go mod download`
 * into the cache outside the repository (`LEAKSCOPE_REALCODE_CACHE`, as `npm run
 * realcode`), and checks that our parser and go/parser give the same canonical listing
 * for every non-testdata `.go` file of each.
 *
 * Options: `--module <substring>` (repeatable; default: every module of the list).
 * Exit status: 0 all files agree, 1 a file differs, 2 infrastructure error (Go missing,
 * a download or hash mismatch).
 */
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compareWithGoParser, goFilesUnder } from './parser/goparse.js';
import { cacheDir, download, readModules } from './realcode.js';

async function main(argv: string[]): Promise<number> {
  const only: string[] = [];
  for (let i = 0; i < argv.length; i++) if (argv[i] === '--module' && argv[i + 1]) only.push(argv[++i] as string);
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const mods = readModules(fs.readFileSync(path.join(root, 'bench', 'realcode', 'modules.txt'), 'utf8')).filter((m) => only.length === 0 || only.some((o) => m.path.includes(o)));
  if (mods.length === 0) {
    console.error('parser:modules: no module matches');
    return 2;
  }
  const cache = cacheDir();
  let failed = false;
  let total = 0;
  for (const m of mods) {
    const dir = download(m, cache);
    const files = goFilesUnder(dir);
    const t0 = performance.now();
    const r = compareWithGoParser(files);
    total += r.compared;
    const s = ((performance.now() - t0) / 1000).toFixed(1);
    console.log(`${m.path}@${m.version}: ${r.compared} files compared, ${r.differ.length} differ, ${r.rejected.length} rejected by go/parser (${s} s)`);
    for (const d of r.details) console.log(`  ${d}`);
    for (const f of r.rejected.slice(0, 5)) console.log(`  rejected by go/parser: ${path.relative(cache, f)}`);
    if (r.differ.length > 0) failed = true;
  }
  console.log(`parser:modules: ${total} files in ${mods.length} modules${failed ? ', with differences' : ', all give go/parser\'s listing'}`);
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`parser:modules: ${(e as Error).stack ?? String(e)}`);
    process.exit(2);
  },
);
