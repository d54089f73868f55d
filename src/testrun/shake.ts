/**
 * @fileoverview `--shake`: seeded scheduling perturbations at the concurrency operations
 * of the module's own code, so interleavings that a plain run almost never takes show up
 * within a few runs (the idea of GoPie's yields around concurrency operations and of
 * GFuzz's select reordering, applied to any repository through `go test -overlay`).
 *
 * The rewrite works on copies (overlay files); every inserted call goes on the line of
 * the operation it perturbs, so every position in stack traces, dumps and compiler
 * messages stays the user's:
 *
 * - before a send, a receive, a `select`, `close`, and the sync operations
 *   (`Mutex`/`RWMutex` Lock/Unlock/RLock/RUnlock/TryLock, `WaitGroup` Add/Done/Wait/Go,
 *   `Cond` Wait/Signal/Broadcast, `Once.Do`, resolved through the package's types, not
 *   by method name): `leakscopeShake(i, site); <statement>`;
 * - at the top of the body of a `range` over a channel (the receive is in the header);
 * - after a `go` statement (`go f(); leakscopeShake(...)`: the parent yields or sleeps so
 *   the child may run first);
 * - after a deferred sync call: `defer mu.Unlock(); defer leakscopeShake(...)` (deferred
 *   calls run last-in first-out, so the perturbation runs just before the unlock).
 *
 * `leakscopeShake` is generated per package ({@link shakeHelperSource}); it counts the
 * executions of each site and asks the shared runtime package ({@link shakeRuntimeSource},
 * added to the module under `_leakscope_shake/`, a directory name `./...` never matches)
 * what to do. The decision for the n-th execution of a site is a hash of (seed, site, n):
 * nothing (half of the time), `runtime.Gosched()` (30 %), or a sleep of 1-1000 µs (20 %).
 * So a run with the same seed perturbs the same way at every site, whatever the order in
 * which goroutines reach their sites (the Go scheduler itself stays free, so the same seed
 * makes a leak far more likely to show again, not certain). A delay before a `select`
 * lets more of its cases become ready, and Go picks uniformly among ready cases
 * (Go spec, "Select statements"): that randomises the order in which ready cases win.
 *
 * Only files of packages in the main module are rewritten (go list `Module.Main`);
 * generated files (`// Code generated ... DO NOT EDIT.`) and cgo files are left alone.
 */
import { Package, world } from '../go/package.js';
import { FuncResolution } from '../go/resolve.js';
import { SourceFile } from '../go/source.js';
import { field, walk, type Node } from '../go/syntax.js';
import { chanOf } from '../go/types.js';

/** Environment variable with the seed the perturbations start from (decimal). */
export const SHAKE_SEED_ENV = 'LEAKSCOPE_SHAKE_SEED';
/** Environment variable naming a file that receives one line per perturbation decision (tests, debugging). */
export const SHAKE_TRACE_ENV = 'LEAKSCOPE_SHAKE_TRACE';
/** Directory (under the module root) of the shared runtime package. */
export const SHAKE_PKG_DIR = '_leakscope_shake';

/** The sync methods perturbed, by receiver type (package sync). */
const SYNC_OPS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['Mutex', new Set(['Lock', 'Unlock', 'TryLock'])],
  ['RWMutex', new Set(['Lock', 'Unlock', 'RLock', 'RUnlock', 'TryLock', 'TryRLock'])],
  ['WaitGroup', new Set(['Add', 'Done', 'Wait', 'Go'])],
  ['Cond', new Set(['Wait', 'Signal', 'Broadcast'])],
  ['Once', new Set(['Do'])],
]);

/** What was perturbed at one site. */
export type ShakeKind = 'send' | 'recv' | 'select' | 'close' | 'sync' | 'range' | 'go' | 'defer';

/** One perturbation point. */
export interface ShakeSite {
  /** Index in the package's counter array. */
  index: number;
  /** Stable 64-bit id (hex, no 0x): FNV-1a of `relative file:line:column:kind`. */
  id: string;
  file: string;
  line: number;
  kind: ShakeKind;
}

/** FNV-1a, 64 bit, over the UTF-16 code units of `s` (stable across runs and machines). */
export function fnv64(s: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < s.length; i++) {
    h ^= BigInt(s.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h;
}

/** True for files that say they are generated (`// Code generated ... DO NOT EDIT.`, go.dev/s/generatedcode). */
export function isGeneratedGo(text: string): boolean {
  return /^\/\/ Code generated .* DO NOT EDIT\.$/m.test(text.slice(0, 4096));
}

interface Edit {
  at: number;
  text: string;
}

/** The statement that contains `n` and sits directly in a statement list (where a call can be put before it). */
function listStatement(n: Node): Node | undefined {
  let cur: Node | null = n;
  while (cur && cur.parent) {
    if (cur.parent.type === 'statement_list') return cur;
    if (cur.type === 'func_literal' || cur.type === 'communication_case') return undefined;
    cur = cur.parent;
  }
  return undefined;
}

function isReceive(n: Node, text: string): boolean {
  return n.type === 'unary_expression' && text.slice(n.start, n.end).trimStart().startsWith('<-');
}

/** Files of one package to rewrite together (they share the package's types). */
export interface ShakeInput {
  /** Absolute path → source text. */
  files: Map<string, string>;
  importPath: string;
  /** Directory the site ids are made relative to (the module root). */
  root: string;
}

/** The rewritten files of one package and its sites. */
export interface ShakeOutput {
  /** Absolute path → rewritten text (only files with at least one site). */
  rewritten: Map<string, string>;
  sites: ShakeSite[];
}

/**
 * Inserts the perturbation calls into every function of the given files (one package).
 * Files that do not parse cleanly, and generated files, are left as they are.
 */
export function shakePackage(input: ShakeInput, firstIndex = 0): ShakeOutput {
  const out: ShakeOutput = { rewritten: new Map(), sites: [] };
  const sfs: SourceFile[] = [];
  for (const [file, text] of input.files) {
    if (isGeneratedGo(text)) continue;
    let sf: SourceFile;
    try {
      sf = new SourceFile(file, text);
    } catch {
      continue;
    }
    if (sf.syntaxErrors.length > 0) continue;
    sfs.push(sf);
  }
  if (sfs.length === 0) return out;
  let pkg: Package | undefined;
  try {
    pkg = new Package({ importPath: input.importPath, dir: '', files: sfs, world: world() });
  } catch {
    pkg = undefined;
  }
  let next = firstIndex;
  for (const sf of sfs) {
    const edits: Edit[] = [];
    const seen = new Set<number>();
    const rel = relPath(input.root, sf.path);
    const site = (at: Node, kind: ShakeKind): string => {
      const line = sf.line(at.start);
      const col = at.start - sf.text.lastIndexOf('\n', at.start - 1);
      const id = fnv64(`${rel}:${line}:${col}:${kind}`).toString(16);
      out.sites.push({ index: next, id, file: sf.path, line, kind });
      return `leakscopeShake(${next++}, 0x${id})`;
    };
    const before = (stmt: Node, kind: ShakeKind): void => {
      if (seen.has(stmt.start)) return;
      seen.add(stmt.start);
      edits.push({ at: stmt.start, text: `${site(stmt, kind)}; ` });
    };
    for (const d of sf.decls) {
      const body = d.type === 'function_declaration' || d.type === 'method_declaration' ? sf.body(d) : d;
      if (!body) continue;
      let res: FuncResolution | undefined;
      try {
        res = pkg ? new FuncResolution(pkg, sf, d, d === body ? undefined : body) : undefined;
      } catch {
        res = undefined;
      }
      const syncCall = (call: Node): boolean => {
        if (!res) return false;
        try {
          const c = res.callee(call);
          return c.kind === 'method' && c.method.pkg === 'sync' && (SYNC_OPS.get(c.method.recvType)?.has(c.method.name) ?? false);
        } catch {
          return false;
        }
      };
      const isChan = (e: Node): boolean => {
        if (!res) return false;
        try {
          return chanOf(res.typeOf(e)) !== undefined;
        } catch {
          return false;
        }
      };
      walk(body, (n) => {
        switch (n.type) {
          case 'send_statement': {
            if (n.field === 'communication') return undefined;
            const s = listStatement(n);
            if (s) before(s, 'send');
            return undefined;
          }
          case 'select_statement': {
            const s = listStatement(n);
            if (s) before(s, 'select');
            return undefined;
          }
          case 'go_statement': {
            if (n.parent?.type === 'statement_list') edits.push({ at: n.end, text: `; ${site(n, 'go')}` });
            return undefined;
          }
          case 'defer_statement': {
            const call = n.children.find((c) => c.type === 'call_expression');
            if (call && n.parent?.type === 'statement_list' && syncCall(call)) edits.push({ at: n.end, text: `; defer ${site(n, 'defer')}` });
            // The deferred call's own operands are evaluated now, the call later: nothing
            // inside is perturbed before the defer statement.
            return false;
          }
          case 'for_statement': {
            const rc = n.children.find((c) => c.type === 'range_clause');
            const right = rc ? field(rc, 'right') : undefined;
            const blk = field(n, 'body');
            if (right && blk && isChan(right)) edits.push({ at: blk.start + 1, text: ` ${site(n, 'range')};` });
            return undefined;
          }
          case 'call_expression': {
            const fn = field(n, 'function');
            if (fn?.type === 'identifier' && sf.textOf(fn) === 'close' && res?.callee(n).kind === 'builtin') {
              const s = listStatement(n);
              if (s && n.parent?.type !== 'go_statement') before(s, 'close');
            } else if (n.parent?.type !== 'go_statement' && syncCall(n)) {
              const s = listStatement(n);
              if (s) before(s, 'sync');
            }
            return undefined;
          }
          default:
            if (isReceive(n, sf.text)) {
              // Receives of a select's cases are the select's own (perturbed before it).
              let p: Node | null = n.parent;
              while (p && p.type !== 'communication_case' && p.type !== 'statement_list' && p.type !== 'func_literal') p = p.parent;
              if (p?.type !== 'communication_case') {
                const s = listStatement(n);
                if (s) before(s, 'recv');
              }
            }
            return undefined;
        }
      });
    }
    if (edits.length === 0) continue;
    edits.sort((a, b) => a.at - b.at);
    let text = '';
    let last = 0;
    for (const e of edits) {
      text += sf.text.slice(last, e.at) + e.text;
      last = e.at;
    }
    out.rewritten.set(sf.path, text + sf.text.slice(last));
  }
  return out;
}

function relPath(root: string, file: string): string {
  return root && file.startsWith(root.endsWith('/') ? root : `${root}/`) ? file.slice(root.length).replace(/^\/+/, '') : file;
}

/** Import path of the shared runtime package of a module. */
export function shakeImportPath(modulePath: string): string {
  return `${modulePath}/${SHAKE_PKG_DIR}`;
}

/**
 * The per-package helper (one per package name that has rewritten files): a counter per
 * site and the call into the shared runtime package. The counters are a fixed-size
 * array (zero at start, no initialiser that package-level initialisation order could
 * run late) registered in `init` so each round can reset them.
 */
export function shakeHelperSource(pkgName: string, sharedImport: string, sites: number): string {
  return `// Code generated by leakscope test --shake. DO NOT EDIT.

package ${pkgName}

import leakscope_shake ${JSON.stringify(sharedImport)}

var leakscopeShakeN [${Math.max(1, sites)}]uint32

func init() { leakscope_shake.Register(leakscopeShakeN[:]) }

func leakscopeShake(i int, site uint64) { leakscope_shake.Point(site, &leakscopeShakeN[i]) }
`;
}

/**
 * The shared runtime package: seed, decisions, counters' reset between rounds, and the
 * optional decision trace. Uses only the standard library, and only APIs that exist since
 * Go 1.16 (no atomic types), so modules with an old `go` line build.
 */
export function shakeRuntimeSource(): string {
  return `// Code generated by leakscope test --shake. DO NOT EDIT.

// Package leakscope_shake decides the scheduling perturbations of leakscope test --shake.
package leakscope_shake

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

var (
	seed    uint64
	enabled uint32
	mu      sync.Mutex
	regs    [][]uint32
	traceMu sync.Mutex
	trace   []byte
	tracing = os.Getenv(${JSON.stringify(SHAKE_TRACE_ENV)}) != ""
)

func init() {
	if s := os.Getenv(${JSON.stringify(SHAKE_SEED_ENV)}); s != "" {
		if v, err := strconv.ParseUint(s, 10, 64); err == nil {
			Begin(v)
		}
	}
}

// Register adds a package's site counters (reset by Begin).
func Register(c []uint32) {
	mu.Lock()
	regs = append(regs, c)
	mu.Unlock()
}

// Begin starts a round with seed s: every site counts its executions from zero again,
// so a round with seed s perturbs like any other round with seed s.
func Begin(s uint64) {
	Flush()
	mu.Lock()
	for _, r := range regs {
		for i := range r {
			atomic.StoreUint32(&r[i], 0)
		}
	}
	mu.Unlock()
	atomic.StoreUint64(&seed, s)
	atomic.StoreUint32(&enabled, 1)
}

// Stop turns the perturbations off (the leak check itself runs unperturbed).
func Stop() { atomic.StoreUint32(&enabled, 0) }

// splitmix64 finaliser (Steele, Lea, Flood: "Fast splittable pseudorandom number generators").
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// Point is called before (or after) a concurrency operation at site; c counts the site's executions.
func Point(site uint64, c *uint32) {
	if atomic.LoadUint32(&enabled) == 0 {
		return
	}
	n := atomic.AddUint32(c, 1)
	s := atomic.LoadUint64(&seed)
	x := mix(s ^ mix(site) ^ uint64(n)*0x9e3779b97f4a7c15)
	r := x % 100
	var d time.Duration
	switch {
	case r < 50:
	case r < 80:
		runtime.Gosched()
	default:
		d = time.Duration(1+(x>>8)%1000) * time.Microsecond
		time.Sleep(d)
	}
	if tracing {
		what := "none"
		if r >= 50 && r < 80 {
			what = "gosched"
		} else if d > 0 {
			what = "sleep " + d.String()
		}
		traceMu.Lock()
		trace = append(trace, fmt.Sprintf("%d %016x %d %s\\n", s, site, n, what)...)
		traceMu.Unlock()
	}
}

// Flush appends the recorded decisions to the trace file, if one was asked for.
func Flush() {
	path := os.Getenv(${JSON.stringify(SHAKE_TRACE_ENV)})
	if path == "" {
		return
	}
	traceMu.Lock()
	b := trace
	trace = nil
	traceMu.Unlock()
	if len(b) == 0 {
		return
	}
	if f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
		_, _ = f.Write(b)
		_ = f.Close()
	}
}
`;
}
