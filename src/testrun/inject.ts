/**
 * @fileoverview Generates the code `leakscope test` injects into each test binary,
 * without touching the user's files: `go test -overlay` (cmd/go "-overlay file":
 * a JSON `{"Replace": {diskPath: overlayPath}}`) adds a generated `_test.go` file to
 * the package directory and, when the package has its own `TestMain`, replaces the
 * file that declares it with a copy in which every `m.Run()` call becomes
 * `leakscopeRunM(m)`. The copy keeps every line where it was, so stack traces and
 * compiler messages still point at the user's lines (the overlay path is reported
 * under the original file name by cmd/go).
 *
 * The injected check runs after `m.Run()` returns: it snapshots the goroutine ids that
 * existed before the tests, then retries with exponential back-off (1 ms doubling up
 * to 100 ms, like go.uber.org/goleak's `maxSleep`) for up to {@link SETTLE_MS} ms until
 * no goroutine started during the tests is alive, and writes either `leakscope-clean`
 * or the ids that existed before plus a `debug=2` dump
 * (`runtime/pprof.Lookup("goroutine").WriteTo(w, 2)`) to
 * `$LEAKSCOPE_DUMP_DIR/<package key>.txt`. The exit code of the tests is unchanged.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SourceFile } from '../go/source.js';
import { walk, field } from '../go/syntax.js';
import { SHAKE_SEED_ENV } from './shake.js';

/** How long the injected check waits for goroutines to exit (goleak: about 0.4-1 s with its defaults). */
export const SETTLE_MS = 1000;

/** Environment variable naming the directory the injected check writes into. */
export const DUMP_DIR_ENV = 'LEAKSCOPE_DUMP_DIR';

/** A package as `go list` describes it (the fields leakscope asks for). */
export interface ListedPackage {
  ImportPath: string;
  Name: string;
  Dir: string;
  GoFiles?: string[];
  TestGoFiles?: string[];
  XTestGoFiles?: string[];
  /** The module the package belongs to (`Main` for the main module(s)). */
  Module?: { Path: string; Dir?: string; Main?: boolean };
  /** Set for the test variants `go list -test` adds (`p [p.test]`). */
  ForTest?: string;
  Standard?: boolean;
  Error?: { Err: string };
}

/** What was injected into one package. */
export interface Injection {
  importPath: string;
  /** File name of the dump under the dump directory. */
  dumpName: string;
  /** Overlay entries: disk path (may not exist) → generated file. */
  replace: Record<string, string>;
  /** The user's `TestMain` file that was rewritten, if any. */
  testMainFile?: string;
}

/** A package whose tests could not be covered, and why. */
export interface Uncovered {
  importPath: string;
  reason: string;
}

/** Ignore lists (goleak's `IgnoreTopFunction` / `IgnoreCreatedBy`). */
export interface IgnoreOptions {
  ignoreTop: string[];
  ignoreCreatedBy: string[];
}

/** A Go interpreted string literal for `s` (JSON escapes are valid Go escapes). */
function goString(s: string): string {
  return JSON.stringify(s);
}

/** Environment variable with the number of rounds of `m.Run` (`--shake`; default 1). */
export const ROUNDS_ENV = 'LEAKSCOPE_ROUNDS';
/** Environment variable: `1` keeps running rounds after a leak showed (`--all-runs`). */
export const ALL_RUNS_ENV = 'LEAKSCOPE_ALL_RUNS';

/** Options of the generated check. */
export interface CheckOptions {
  /** Add `func TestMain` (the package has none of its own). */
  withTestMain: boolean;
  /** Import path of the shared shake package: rounds start a seeded perturbation round (`--shake`). */
  shakeImport?: string;
}

/**
 * The generated check file (package `pkgName`). `leakscopeRunM` runs `m.Run` for each
 * round (`$LEAKSCOPE_ROUNDS`, 1 unless `--shake`; `m.Run` may be called more than once,
 * golang/go#23129), checks for goroutines left behind after each, and stops at the first
 * round that leaves some (unless `$LEAKSCOPE_ALL_RUNS=1`) or whose tests fail. The file
 * it writes starts with `leakscope-stats: created=N rounds=R` (goroutines started by the
 * tests, from runtime/metrics `/sched/goroutines-created:goroutines`, Go 1.26; -1 when the
 * runtime does not have it) and has one `leakscope-section: round=R seed=S` per round that
 * left goroutines behind, with the ids that existed before and the dump.
 */
export function checkSource(pkgName: string, dumpName: string, ignore: IgnoreOptions, opts: CheckOptions | boolean): string {
  const o: CheckOptions = typeof opts === 'boolean' ? { withTestMain: opts } : opts;
  const list = (xs: string[]): string => `[]string{${xs.map(goString).join(', ')}}`;
  const shake = o.shakeImport !== undefined;
  const shakeImport = shake ? `\n\tleakscope_shake ${goString(o.shakeImport!)}` : '';
  const seedLine = shake ? `seed, _ := leakscope_strconv.ParseUint(leakscope_os.Getenv(${goString(SHAKE_SEED_ENV)}), 10, 64)\n\t` : '';
  const runRound = shake
    ? `if dir != "" {
			_ = leakscope_os.WriteFile(leakscope_filepath.Join(dir, ${goString(dumpName + '.round')}), []byte(leakscope_strconv.Itoa(r)+" "+leakscope_strconv.FormatUint(seed+uint64(r), 10)+"\\n"), 0o644)
		}
		leakscope_shake.Begin(seed + uint64(r))
		code = m.Run()
		leakscope_shake.Stop()
		leakscope_shake.Flush()`
    : 'code = m.Run()';
  const seedField = shake ? ` + " seed=" + leakscope_strconv.FormatUint(seed+uint64(r), 10)` : '';
  return `// Code generated by leakscope test. DO NOT EDIT.

package ${pkgName}

import (
	leakscope_bytes "bytes"
	leakscope_flag "flag"
	leakscope_os "os"
	leakscope_filepath "path/filepath"
	leakscope_metrics "runtime/metrics"
	leakscope_pprof "runtime/pprof"
	leakscope_strconv "strconv"
	leakscope_strings "strings"
	leakscope_testing "testing"
	leakscope_time "time"${shakeImport}
)
${o.withTestMain ? '\nfunc TestMain(m *leakscope_testing.M) { leakscope_os.Exit(leakscopeRunM(m)) }\n' : ''}
var leakscopeIgnoreTop = ${list(ignore.ignoreTop)}
var leakscopeIgnoreCreatedBy = ${list(ignore.ignoreCreatedBy)}

func leakscopeRunM(m *leakscope_testing.M) int {
	before := map[string]bool{}
	for _, b := range leakscope_strings.Split(leakscopeDump(), "\\n\\n") {
		if id, ok := leakscopeID(b); ok {
			before[id] = true
		}
	}
	created := leakscopeCreated()
	rounds, _ := leakscope_strconv.Atoi(leakscope_os.Getenv(${goString(ROUNDS_ENV)}))
	if rounds < 1 {
		rounds = 1
	}
	all := leakscope_os.Getenv(${goString(ALL_RUNS_ENV)}) == "1"
	${seedLine}dir := leakscope_os.Getenv(${goString(DUMP_DIR_ENV)})
	var sections leakscope_strings.Builder
	code, ran := 0, 0
	for r := 0; r < rounds; r++ {
		${runRound}
		ran++
		// testing appends the -test.cpu list to its own at every m.Run (testing.go
		// parseCpuList): empty the flag so later rounds run each GOMAXPROCS value once.
		if f := leakscope_flag.Lookup("test.cpu"); f != nil {
			_ = f.Value.Set("")
		}
		dump := leakscopeCheck(before)
		if dump != "" {
			ids := make([]string, 0, len(before))
			for id := range before {
				ids = append(ids, id)
			}
			sections.WriteString("leakscope-section: round=" + leakscope_strconv.Itoa(r)${seedField} + "\\n")
			sections.WriteString("leakscope-before: " + leakscope_strings.Join(ids, " ") + "\\n" + dump + "\\n")
			if !all {
				break
			}
			// Later rounds report only what they leave behind themselves.
			for _, b := range leakscope_strings.Split(dump, "\\n\\n") {
				if id, ok := leakscopeID(b); ok {
					before[id] = true
				}
			}
		}
		if code != 0 {
			break
		}
	}
	if created >= 0 {
		created = leakscopeCreated() - created
	}
	if dir != "" {
		out := "leakscope-stats: created=" + leakscope_strconv.FormatInt(created, 10) + " rounds=" + leakscope_strconv.Itoa(ran) + "\\n" + sections.String()
		_ = leakscope_os.WriteFile(leakscope_filepath.Join(dir, ${goString(dumpName)}), []byte(out), 0o644)
	}
	return code
}

// leakscopeCreated is the number of goroutines created since the program started
// (runtime/metrics, Go 1.26), or -1 when the runtime does not report it.
func leakscopeCreated() int64 {
	s := []leakscope_metrics.Sample{{Name: "/sched/goroutines-created:goroutines"}}
	leakscope_metrics.Read(s)
	if s[0].Value.Kind() != leakscope_metrics.KindUint64 {
		return -1
	}
	return int64(s[0].Value.Uint64())
}

func leakscopeDump() string {
	var b leakscope_bytes.Buffer
	_ = leakscope_pprof.Lookup("goroutine").WriteTo(&b, 2)
	return b.String()
}

func leakscopeID(block string) (string, bool) {
	block = leakscope_strings.TrimLeft(block, "\\n")
	if !leakscope_strings.HasPrefix(block, "goroutine ") {
		return "", false
	}
	rest := block[len("goroutine "):]
	i := leakscope_strings.IndexByte(rest, ' ')
	if i < 0 {
		return "", false
	}
	return rest[:i], true
}

func leakscopeSuspect(block string, before map[string]bool) bool {
	id, ok := leakscopeID(block)
	if !ok || before[id] {
		return false
	}
	lines := leakscope_strings.Split(leakscope_strings.TrimLeft(block, "\\n"), "\\n")
	top := true
	user := false
	for _, l := range lines[1:] {
		if l == "" || l[0] == '\\t' || leakscope_strings.HasPrefix(l, "...") {
			continue
		}
		if leakscope_strings.HasPrefix(l, "[originating from goroutine ") {
			break
		}
		if leakscope_strings.HasPrefix(l, "created by ") {
			fn := l[len("created by "):]
			if j := leakscope_strings.Index(fn, " in goroutine "); j >= 0 {
				fn = fn[:j]
			}
			for _, s := range leakscopeIgnoreCreatedBy {
				if fn == s {
					return false
				}
			}
			break
		}
		fn := l
		if j := leakscope_strings.LastIndexByte(fn, '('); j > 0 {
			fn = fn[:j]
		}
		if leakscope_strings.Contains(fn, ".leakscopeRunM") || leakscope_strings.Contains(fn, ".leakscopeCheck") {
			return false
		}
		if top {
			for _, s := range leakscopeIgnoreTop {
				if fn == s {
					return false
				}
			}
			top = false
		}
		if !leakscope_strings.HasPrefix(fn, "runtime.") && !leakscope_strings.HasPrefix(fn, "testing.") && !leakscope_strings.HasPrefix(fn, "os/signal.") {
			user = true
		}
	}
	return user
}

// leakscopeCheck waits for the goroutines the tests started to exit and returns a dump
// when some are still alive after the settle period, or "".
func leakscopeCheck(before map[string]bool) string {
	deadline := leakscope_time.Now().Add(${SETTLE_MS} * leakscope_time.Millisecond)
	sleep := leakscope_time.Millisecond
	for {
		dump := leakscopeDump()
		n := 0
		for _, b := range leakscope_strings.Split(dump, "\\n\\n") {
			if leakscopeSuspect(b, before) {
				n++
			}
		}
		if n == 0 {
			return ""
		}
		if leakscope_time.Now().After(deadline) {
			return dump
		}
		leakscope_time.Sleep(sleep)
		if sleep *= 2; sleep > 100*leakscope_time.Millisecond {
			sleep = 100 * leakscope_time.Millisecond
		}
	}
}
`;
}

/** The `*testing.M` uses of one test file, rewritten. */
export interface TestMainInfo {
  file: string;
  packageName: string;
  /** The file declares `func TestMain`. */
  declaresTestMain: boolean;
  /** Number of `m.Run` uses rewritten. */
  rewrites: number;
  /** The rewritten file text (when `rewrites > 0`). */
  rewritten?: string;
}

/**
 * Rewrites every use of `m.Run` in the functions of `text` that take a `*testing.M`
 * parameter `m` (TestMain and helpers such as `func run(m *testing.M) int`): a call
 * `m.Run()` becomes `leakscopeRunM(m)`, a method value `m.Run` becomes
 * `(func() int { return leakscopeRunM(m) })`. Everything stays on its line, so positions
 * of the rest of the file are unchanged. Returns undefined when the file mentions no
 * `testing.M`.
 */
export function rewriteTestMain(file: string, text: string): TestMainInfo | undefined {
  if (!/\.M\b/.test(text)) return undefined;
  const sf = new SourceFile(file, text);
  const info: TestMainInfo = { file, packageName: sf.packageName, declaresTestMain: false, rewrites: 0 };
  const edits: { start: number; end: number; text: string }[] = [];
  for (const d of sf.decls) {
    if (d.type !== 'function_declaration') continue;
    const name = field(d, 'name');
    if (name && sf.textOf(name) === 'TestMain') info.declaresTestMain = true;
    let m: string | undefined;
    for (const pd of field(d, 'parameters')?.children ?? []) {
      if (pd.type !== 'parameter_declaration') continue;
      const ty = field(pd, 'type');
      const pn = field(pd, 'name');
      if (ty && pn && /^\*\s*\w+\.M$/.test(sf.textOf(ty))) m = sf.textOf(pn);
    }
    if (m === undefined || m === '_') continue;
    const body = sf.body(d);
    if (!body) continue;
    walk(body, (n) => {
      if (n.type !== 'selector_expression') return undefined;
      const operand = field(n, 'operand');
      const sel = field(n, 'field');
      if (!operand || !sel || sf.textOf(operand) !== m || sf.textOf(sel) !== 'Run') return undefined;
      const call = n.parent;
      const args = call?.type === 'call_expression' && n.field === 'function' ? field(call, 'arguments') : undefined;
      if (call && args && !args.children.some((c) => c.named)) edits.push({ start: call.start, end: call.end, text: `leakscopeRunM(${m})` });
      else edits.push({ start: n.start, end: n.end, text: `(func() int { return leakscopeRunM(${m}) })` });
      return false;
    });
  }
  if (!info.declaresTestMain && edits.length === 0) return undefined;
  info.rewrites = edits.length;
  if (edits.length > 0) {
    let out = '';
    let last = 0;
    for (const e of edits.sort((a, b) => a.start - b.start)) {
      out += text.slice(last, e.start) + e.text;
      last = e.end;
    }
    info.rewritten = out + text.slice(last);
  }
  return info;
}

/** A file name in `dir` that does not exist yet. */
function freshName(dir: string, base: string): string {
  for (let i = 0; ; i++) {
    const name = i === 0 ? `${base}_test.go` : `${base}${i}_test.go`;
    if (!fs.existsSync(path.join(dir, name))) return path.join(dir, name);
  }
}

/**
 * Prepares the overlay for one package: writes the generated files into `tmpDir` and
 * returns the overlay entries, or the reason the package cannot be covered. Packages
 * without test files get nothing (go test runs nothing there).
 */
export function injectPackage(
  pkg: ListedPackage,
  index: number,
  tmpDir: string,
  ignore: IgnoreOptions,
  shake?: { shaken: ReadonlyMap<string, string>; importPath: string },
): { injection?: Injection; uncovered?: Uncovered } {
  const internal = pkg.TestGoFiles ?? [];
  const external = pkg.XTestGoFiles ?? [];
  if (internal.length + external.length === 0) return {};
  const dumpName = `pkg${index}.txt`;
  const replace: Record<string, string> = {};
  const infos: TestMainInfo[] = [];
  for (const f of [...internal, ...external]) {
    const abs = path.join(pkg.Dir, f);
    let text: string;
    try {
      // With --shake, the TestMain rewrite applies to the shaken copy (both keep every line).
      text = shake?.shaken.get(abs) ?? fs.readFileSync(abs, 'utf8');
    } catch {
      continue;
    }
    const info = rewriteTestMain(abs, text);
    if (info) infos.push(info);
  }
  const genDir = path.join(tmpDir, `pkg${index}`);
  fs.mkdirSync(genDir, { recursive: true });
  const main = infos.find((i) => i.declaresTestMain);
  if (main) {
    const rewritten = infos.filter((i) => i.rewritten !== undefined);
    if (rewritten.length === 0) {
      return {
        uncovered: {
          importPath: pkg.ImportPath,
          reason: `${path.basename(main.file)}: TestMain does not use m.Run in the package's test files (it hands *testing.M to code elsewhere, or never runs the tests), so no leak check could be injected`,
        },
      };
    }
    const pkgNames = new Set<string>();
    rewritten.forEach((info, i) => {
      const copy = path.join(genDir, `${i}_${path.basename(info.file)}`);
      fs.writeFileSync(copy, info.rewritten ?? '');
      replace[info.file] = copy;
      pkgNames.add(info.packageName);
    });
    for (const name of pkgNames) {
      const gen = path.join(genDir, `check_${name}_test.go`);
      fs.writeFileSync(gen, checkSource(name, dumpName, ignore, { withTestMain: false, ...(shake ? { shakeImport: shake.importPath } : {}) }));
      replace[freshName(pkg.Dir, `zz_leakscope_check_${name.endsWith('_test') ? 'x' : 'i'}`)] = gen;
    }
    return { injection: { importPath: pkg.ImportPath, dumpName, replace, testMainFile: main.file } };
  }
  const pkgName = internal.length > 0 ? pkg.Name : `${pkg.Name}_test`;
  const gen = path.join(genDir, 'check_test.go');
  fs.writeFileSync(gen, checkSource(pkgName, dumpName, ignore, { withTestMain: true, ...(shake ? { shakeImport: shake.importPath } : {}) }));
  replace[freshName(pkg.Dir, 'zz_leakscope_check')] = gen;
  return { injection: { importPath: pkg.ImportPath, dumpName, replace } };
}
