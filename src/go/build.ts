/**
 * @fileoverview Which files `go build` would compile: build constraints and file-name
 * suffixes evaluated for one build context, as go/build does.
 *
 * A package often has platform or feature twins (`conn_linux.go` and `conn_other.go`,
 * `//go:build cluster_proxy` and `//go:build !cluster_proxy`) that declare the same
 * functions. Analysing them together makes two declarations of one name and mixes code
 * that never runs together, so we pick the files of one configuration, the one `go build`
 * picks by default on this machine, like `go vet`, staticcheck and gopls do.
 *
 * Sources: go/build/build.go (`Context.matchFile`, `goodOSArchFile`, `matchTag`),
 * go/build/constraint (the `//go:build` grammar and the legacy `// +build` lines),
 * internal/syslist (known GOOS and GOARCH values, `unix`).
 */

/** The configuration files are selected for (go/build.Context, the parts that matter here). */
export interface BuildContext {
  goos: string;
  goarch: string;
  /** Whether the `cgo` tag is set (CGO_ENABLED). */
  cgo: boolean;
  /** Extra tags (`-tags`, `--tags`). */
  tags: ReadonlySet<string>;
  /** The newest `go1.N` release tag that is satisfied (`go1.1` ... `go1.<releaseMinor>`). */
  releaseMinor: number;
}

/** internal/syslist.KnownOS. */
export const KNOWN_OS = new Set([
  'aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'linux', 'nacl', 'netbsd',
  'openbsd', 'plan9', 'solaris', 'wasip1', 'windows', 'zos',
]);

/** internal/syslist.UnixOS: the GOOS values for which the `unix` tag is satisfied. */
const UNIX_OS = new Set([
  'aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'linux', 'netbsd', 'openbsd', 'solaris',
]);

/** internal/syslist.KnownArch. */
export const KNOWN_ARCH = new Set([
  '386', 'amd64', 'amd64p32', 'arm', 'armbe', 'arm64', 'arm64be', 'loong64', 'mips', 'mipsle', 'mips64', 'mips64le',
  'mips64p32', 'mips64p32le', 'ppc', 'ppc64', 'ppc64le', 'riscv', 'riscv64', 's390', 's390x', 'sparc', 'sparc64', 'wasm',
]);

/** The Go release this version of leakscope knows (`go1.N` tags up to this are set). */
export const LATEST_GO_MINOR = 26;

const NODE_OS: Record<string, string> = { linux: 'linux', darwin: 'darwin', win32: 'windows', freebsd: 'freebsd', openbsd: 'openbsd', netbsd: 'netbsd', aix: 'aix', sunos: 'solaris', android: 'android' };
const NODE_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64', mips: 'mips', mipsel: 'mipsle' };

/**
 * The default context, as `go build` on this machine would use: GOOS/GOARCH from the
 * environment or the host, cgo unless CGO_ENABLED=0, the given extra tags, and release
 * tags up to the newer of the Go release leakscope knows and the module's `go` line.
 */
export function defaultBuildContext(opts: { tags?: Iterable<string>; env?: Record<string, string | undefined>; goVersion?: string } = {}): BuildContext {
  const env = opts.env ?? process.env;
  const goos = env.GOOS || NODE_OS[process.platform] || 'linux';
  const goarch = env.GOARCH || NODE_ARCH[process.arch] || 'amd64';
  const modMinor = Number(/^(?:go)?1\.(\d+)/.exec(opts.goVersion ?? '')?.[1] ?? 0);
  return {
    goos,
    goarch,
    cgo: env.CGO_ENABLED !== '0',
    tags: new Set(opts.tags ?? []),
    releaseMinor: Math.max(LATEST_GO_MINOR, modMinor),
  };
}

/** go/build `matchTag`: whether one tag is satisfied in `ctx`. */
export function matchTag(tag: string, ctx: BuildContext): boolean {
  if (ctx.tags.has(tag)) return true;
  if (tag === ctx.goos || tag === ctx.goarch) return true;
  if (tag === 'gc') return true; // the gc toolchain (not gccgo)
  if (tag === 'cgo') return ctx.cgo;
  if (tag === 'unix') return UNIX_OS.has(ctx.goos);
  // GOOS=android also matches linux, illumos solaris, ios darwin (go/build matchTag).
  if (ctx.goos === 'android' && tag === 'linux') return true;
  if (ctx.goos === 'illumos' && tag === 'solaris') return true;
  if (ctx.goos === 'ios' && tag === 'darwin') return true;
  const rel = /^go1\.(\d+)$/.exec(tag);
  if (rel) return Number(rel[1]) >= 1 && Number(rel[1]) <= ctx.releaseMinor;
  return false;
}

/**
 * go/build `goodOSArchFile`: a name like `x_GOOS.go`, `x_GOARCH.go`, `x_GOOS_GOARCH.go`
 * (after removing `_test`) is compiled only for that GOOS/GOARCH. Only known values
 * count; the first element of the name never does (`linux.go` is for every platform).
 */
export function goodOSArchFile(name: string, ctx: BuildContext): boolean {
  let base = name.replace(/\.go$/, '');
  const dot = base.indexOf('.');
  if (dot >= 0) base = base.slice(0, dot);
  base = base.replace(/_test$/, '');
  const parts = base.split('_').slice(1);
  if (parts.length === 0) return true;
  const n = parts.length;
  if (n >= 2 && KNOWN_OS.has(parts[n - 2] as string) && KNOWN_ARCH.has(parts[n - 1] as string)) {
    return matchTag(parts[n - 2] as string, ctx) && matchTag(parts[n - 1] as string, ctx);
  }
  const last = parts[n - 1] as string;
  if (KNOWN_OS.has(last) || KNOWN_ARCH.has(last)) return matchTag(last, ctx);
  return true;
}

/**
 * Whether `go build` in `ctx` compiles the file named `name` with contents `text`:
 * its name suffix and its `//go:build` line (or, without one, its `// +build` lines)
 * must both allow it. A constraint that does not parse excludes nothing (go/build
 * reports it as an error in the file; the parser will report the file's syntax).
 */
export function matchFile(name: string, text: string, ctx: BuildContext): boolean {
  if (!goodOSArchFile(name, ctx)) return false;
  const { goBuild, plusBuild } = leadingConstraints(text);
  try {
    if (goBuild !== undefined) return evalConstraint(goBuild, (t) => matchTag(t, ctx));
    if (plusBuild.length > 0) return evalConstraint(plusBuildExpr(plusBuild), (t) => matchTag(t, ctx));
  } catch {
    return true;
  }
  return true;
}

/** go/build/constraint.parsePlusBuildExpr: options (spaces) ORed, terms (commas) ANDed, lines ANDed. */
function plusBuildExpr(lines: string[]): string {
  return lines.map((l) => `(${l.trim().split(/\s+/).map((opt) => `(${opt.split(',').join(' && ')})`).join(' || ')})`).join(' && ');
}

/**
 * The `//go:build` expression and `// +build` lines of a file's header: the line comments
 * before the package clause (go/build: constraints must appear before the package clause,
 * only preceded by blank lines and other comments; lines inside block comments do not count).
 */
function leadingConstraints(text: string): { goBuild?: string; plusBuild: string[] } {
  let goBuild: string | undefined;
  const plusBuild: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\r' || text[i] === '\n')) i++;
    if (text.startsWith('//', i)) {
      let e = text.indexOf('\n', i);
      if (e === -1) e = text.length;
      const line = text.slice(i, e).replace(/\r$/, '');
      const gb = /^\/\/go:build(?:[ \t]+(.*))?$/.exec(line);
      if (gb && goBuild === undefined) goBuild = (gb[1] ?? '').trim();
      const pb = /^\/\/\s*\+build(?:[ \t]+(.*))?$/.exec(line);
      if (pb?.[1]) plusBuild.push(pb[1]);
      i = e + 1;
    } else if (text.startsWith('/*', i)) {
      const e = text.indexOf('*/', i + 2);
      if (e === -1) break;
      i = e + 2;
    } else break;
  }
  return goBuild !== undefined ? { goBuild, plusBuild } : { plusBuild };
}

/** Evaluates a go/build/constraint expression (`||`, `&&`, `!`, parentheses, tags). Throws on bad syntax. */
export function evalConstraint(expr: string, tag: (t: string) => boolean): boolean {
  const toks = expr.match(/\(|\)|!|&&|\|\||[\w.]+|\S/g) ?? [];
  let i = 0;
  const or = (): boolean => {
    let v = and();
    while (toks[i] === '||') {
      i++;
      const r = and();
      v = v || r;
    }
    return v;
  };
  const and = (): boolean => {
    let v = not();
    while (toks[i] === '&&') {
      i++;
      const r = not();
      v = v && r;
    }
    return v;
  };
  const not = (): boolean => {
    if (toks[i] === '!') {
      i++;
      return !not();
    }
    if (toks[i] === '(') {
      i++;
      const v = or();
      if (toks[i] !== ')') throw new Error('bad constraint');
      i++;
      return v;
    }
    const t = toks[i++];
    if (t === undefined || !/^[\w.]+$/.test(t)) throw new Error('bad constraint');
    return tag(t);
  };
  const v = or();
  if (i !== toks.length) throw new Error('bad constraint');
  return v;
}

/**
 * Whether a file is generated code by the Go convention (golang.org/s/generatedcode, as
 * go/ast.IsGenerated reads it): a line comment `// Code generated ... DO NOT EDIT.` before
 * the package clause.
 */
export function isGenerated(text: string): boolean {
  const head = text.slice(0, 64 * 1024);
  const pkg = /^package\s/m.exec(head);
  const region = pkg ? head.slice(0, pkg.index) : head;
  return /^\/\/ Code generated .* DO NOT EDIT\.\r?$/m.test(region);
}
