/**
 * @fileoverview `leakscope explain <file:line>`: everything the blocking-state search knows
 * at one operation — which entry points model it, the objects it touches, the goroutines
 * that can touch them and what they do, how far the exploration went, and the traces of
 * the bugs found there — so a user can see why a finding was or was not made.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { defaultBuildContext, matchFile } from '../go/build.js';
import { expandTargets, UsageError } from '../go/loader.js';
import { Package, world } from '../go/package.js';
import { decodeGoSource, SourceFile } from '../go/source.js';
import { PackageFacts } from '../analysis/pass.js';
import { explainLine, searchPackage, setSearchBudget, traceLocations, type LineExplanation } from '../analysis/search/index.js';
import type { CliIO } from './main.js';

/** Parses `file.go:12` (the last colon separates the line). */
export function parseFileLine(arg: string): { file: string; line: number } {
  const m = /^(.*\.go):(\d+)$/.exec(arg);
  if (!m || Number(m[2]) < 1) throw new UsageError(`explain expects <file.go:line>, got "${arg}"`);
  return { file: m[1] as string, line: Number(m[2]) };
}

/** Loads the package of `file` and explains `line` (the library form of the command). */
export function explainAt(file: string, line: number, opts: { tags?: string[]; env?: Record<string, string | undefined> } = {}): LineExplanation {
  if (!fs.existsSync(file)) throw new UsageError(`${file}: no such file`);
  const exp = expandTargets([path.dirname(file)], { tests: true });
  const spec = exp.dirs[0];
  if (!spec) throw new UsageError(`${file}: no Go package in ${path.dirname(file)}`);
  const ctx = defaultBuildContext({ tags: opts.tags, env: opts.env, goVersion: spec.module?.goVersion });
  const target = path.resolve(file);
  let pkgName: string | undefined;
  const byPkg = new Map<string, SourceFile[]>();
  for (const f of spec.files) {
    const dec = decodeGoSource(f, fs.readFileSync(f));
    if ('problem' in dec) continue;
    if (path.resolve(f) !== target && !matchFile(path.basename(f), dec.text, ctx)) continue;
    const sf = new SourceFile(f, dec.text);
    if (!sf.packageName) continue;
    if (path.resolve(f) === target) pkgName = sf.packageName;
    let list = byPkg.get(sf.packageName);
    if (!list) byPkg.set(sf.packageName, (list = []));
    list.push(sf);
  }
  const files = pkgName ? byPkg.get(pkgName) : undefined;
  if (!files) throw new UsageError(`${file}: not part of a Go package leakscope can read`);
  const pkg = new Package({ importPath: spec.importPath, dir: spec.dir, files, module: spec.module, world: world() });
  const res = searchPackage(new PackageFacts(pkg));
  const own = files.find((f) => path.resolve(f.path) === target);
  return explainLine(res, own?.path ?? file, line);
}

/** Renders an explanation as text. */
export function formatExplanation(x: LineExplanation, file: string, line: number): string {
  const out: string[] = [];
  if (x.entries.length === 0 && x.unmodelled.length === 0) {
    out.push(`${file}:${line}: no model of the blocking-state search touches this line.`);
    out.push('The engine models functions that own a channel they make (with a known capacity), a sync.Mutex/RWMutex/WaitGroup/Once, a sync.NewCond or a context.WithCancel(context.Background()), and the goroutines they start.');
  }
  for (const u of x.unmodelled) out.push(`${u.entry} (line ${u.file.line(u.decl.start)}): not modelled — ${u.reason}. The engine stays silent on it.`);
  for (const e of x.entries) {
    const m = e.model;
    const xp = e.exploration;
    out.push(`${m.entry} (${m.kind === 'main' ? 'main.main: goroutines left when it returns end with the program' : m.kind === 'test' ? 'test: goroutines left when it returns leak' : m.decl.type === 'func_literal' ? 'goroutine body with its own objects: goroutines left when it ends leak' : 'function: goroutines left when it returns leak'})`);
    out.push(`  objects at this line: ${e.objs.map((o) => `${o.name} (${o.kind}${o.kind === 'chan' ? `, capacity ${o.cap}` : ''}${o.site ? `, line ${o.site.file.line(o.site.node.start)}` : ''})`).join('; ')}`);
    out.push(`  goroutines that touch them:`);
    for (const t of e.touchers) out.push(`    ${t}`);
    out.push(`  goroutine templates: ${m.procs.length}; flags and counts: ${m.globals.length ? m.globals.map((g) => g.text).join(', ') : 'none'}`);
    out.push(
      `  exploration: ${xp.complete ? 'complete' : `not fully explored (stopped on the ${xp.stop} budget)`}${xp.bounded ? ', goroutines bounded' : ''}; ${xp.states} states, ${xp.transitions} transitions, ${Math.round(xp.ms)} ms`,
    );
    if (e.bugs.length === 0) out.push(xp.complete ? '  no schedule leaves a goroutine blocked forever here.' : '  no finding (an entry that is not fully explored is never reported).');
    for (const b of e.bugs) {
      out.push(`  blocked forever: ${b.victim.g === 0 ? m.entry : b.victim.proc} at line ${b.victim.site.file.line(b.victim.site.node.start)} (${b.victim.op}); trace:`);
      traceLocations(m, b.trace).forEach((t, i) => out.push(`    ${String(i + 1).padStart(2)}. line ${t.range.start.line}  ${t.message}`));
    }
  }
  return out.join('\n') + '\n';
}

/** Registers `leakscope explain`. */
export function registerExplainCommand(program: Command, io: CliIO, setCode: (c: number) => void): void {
  program
    .command('explain')
    .description('show what the blocking-state search knows at <file.go:line>: objects, goroutines, explored traces')
    .argument('<location>', 'file.go:line')
    .option('--json', 'print JSON')
    .option('--states <n>', 'state budget per entry point', (v) => Number(v))
    .option('--ms <n>', 'time budget per entry point in milliseconds', (v) => Number(v))
    .action((loc: string, opts: { json?: boolean; states?: number; ms?: number }) => {
      const { file, line } = parseFileLine(loc);
      if (opts.states !== undefined || opts.ms !== undefined) setSearchBudget({ ...(opts.states ? { states: opts.states } : {}), ...(opts.ms ? { ms: opts.ms } : {}) });
      const abs = path.resolve(io.cwd, file);
      const x = explainAt(abs, line, { env: io.env });
      if (opts.json) {
        io.stdout(
          JSON.stringify(
            {
              file,
              line,
              unmodelled: x.unmodelled.map((u) => ({ entry: u.entry, reason: u.reason })),
              entries: x.entries.map((e) => ({
                entry: e.model.entry,
                kind: e.model.kind,
                objects: e.objs.map((o) => ({ name: o.name, kind: o.kind, capacity: o.cap })),
                goroutines: e.touchers,
                complete: e.exploration.complete,
                states: e.exploration.states,
                transitions: e.exploration.transitions,
                bugs: e.bugs.map((b) => ({ line: b.victim.site.file.line(b.victim.site.node.start), op: b.victim.op, trace: traceLocations(e.model, b.trace).map((t) => ({ line: t.range.start.line, goroutine: t.goroutine, message: t.message })) })),
              })),
            },
            null,
            2,
          ) + '\n',
        );
      } else io.stdout(formatExplanation(x, file, line));
      setCode(x.entries.some((e) => e.bugs.length > 0) ? 1 : 0);
    });
}
