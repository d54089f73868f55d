/**
 * @fileoverview The program model's share of the analysis time (issue 13), on the Go
 * standard library in this process, single thread: for every package, the CPU time of
 * parsing its files, of building its program model (src/analysis/program), and of
 * running all rules afterwards (the model is then memoised, so the rules do not pay for
 * it again). Figures, not assertions. `npm run bench` prints these lines; run alone with
 * `node dist/bench/program.js [dir]`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PackageFacts, Pass } from '../src/analysis/pass.js';
import { programModel } from '../src/analysis/program/index.js';
import { defaultBuildContext, matchFile } from '../src/go/build.js';
import { expandTargets } from '../src/go/loader.js';
import { Package, world } from '../src/go/package.js';
import { decodeGoSource, SourceFile } from '../src/go/source.js';
import { ALL_RULES } from '../src/rules/index.js';

/** Parse / model / rules times over every package of `root` (a directory tree). */
export function measureModelShare(root: string): { packages: number; parseMs: number; modelMs: number; rulesMs: number; objects: number; goroutines: number } {
  const exp = expandTargets([`${root}/...`], { cwd: root, tests: true });
  const ctx = defaultBuildContext({ tags: [] });
  const build = { ...ctx, tags: new Set(ctx.tags) };
  const out = { packages: 0, parseMs: 0, modelMs: 0, rulesMs: 0, objects: 0, goroutines: 0 };
  for (const spec of exp.dirs) {
    const t0 = performance.now();
    const byPkg = new Map<string, SourceFile[]>();
    for (const f of spec.files) {
      const dec = decodeGoSource(f, fs.readFileSync(f));
      if ('problem' in dec || !matchFile(path.basename(f), dec.text, build)) continue;
      const sf = new SourceFile(f, dec.text);
      if (!sf.packageName) continue;
      const l = byPkg.get(sf.packageName) ?? [];
      l.push(sf);
      byPkg.set(sf.packageName, l);
    }
    out.parseMs += performance.now() - t0;
    for (const [, files] of byPkg) {
      out.packages++;
      const pkg = new Package({ importPath: spec.importPath, dir: spec.dir, files, module: spec.module, world: world() });
      const facts = new PackageFacts(pkg);
      const t1 = performance.now();
      const m = programModel(facts);
      out.modelMs += performance.now() - t1;
      out.goroutines += m.goroutines().length;
      out.objects += new Set(m.functions().flatMap((f) => m.opsIn(f).map((o) => o.cls))).size;
      const t2 = performance.now();
      for (const rule of ALL_RULES) rule.run(new Pass(pkg, rule, facts, rule.meta.severity, () => undefined));
      out.rulesMs += performance.now() - t2;
    }
  }
  return out;
}

/** `npm run bench` section: the model's share on $(go env GOROOT)/src. */
export async function benchProgram(): Promise<string[]> {
  let root: string;
  try {
    root = path.join(execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim(), 'src');
  } catch {
    return ['program model: skipped (go not found on PATH)'];
  }
  const r = measureModelShare(root);
  const total = r.parseMs + r.modelMs + r.rulesMs;
  return [
    `program model on the standard library (${r.packages} packages, single thread, in process)`,
    `  parse ${(r.parseMs / 1000).toFixed(1)} s, model ${(r.modelMs / 1000).toFixed(1)} s, rules after the model ${(r.rulesMs / 1000).toFixed(1)} s`,
    `  model share of the analysis: ${((100 * r.modelMs) / total).toFixed(1)} % (${r.objects} objects with operations, ${r.goroutines} goroutine starts)`,
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = process.argv[2];
  const lines = dir ? ((r) => [JSON.stringify(r)])(measureModelShare(path.resolve(dir))) : await benchProgram();
  process.stdout.write(lines.join('\n') + '\n');
}
