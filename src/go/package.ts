/**
 * @fileoverview A Go package: its files, imports, package-level declarations (across
 * all files), methods by receiver type, and the conversion of type expressions into
 * `Type`s. Standard-library packages come from the Go stubs in `stubs.ts` and are
 * built by the same code ("the world").
 *
 * Every file of a package is parsed in full before the package is built, so a lookup
 * never depends on which files a rule looked at first.
 * Predeclared identifiers (`len`, `string`, `nil`...) are resolved as such unless the
 * package declares the name itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import { matchFile, type BuildContext } from './build.js';
import { SourceFile, declarationText, decodeGoSource } from './source.js';
import { STUBS } from './stubs.js';
import { field, fields, named, unparen, type Node } from './syntax.js';
import { ERROR, UNKNOWN, type Field, type MethodInfo, type NamedRef, type Type } from './types.js';
import { isGoSourceName, packageDir, type ModuleInfo } from './loader.js';
import { FuncResolution } from './resolve.js';

/** A package-level object. */
export interface PkgObj {
  kind: 'var' | 'const' | 'type' | 'func';
  name: string;
  pkg: Package;
  file: SourceFile;
  /** var_spec / const_spec / type_spec / type_alias / function_declaration. */
  node: Node;
  nameNode: Node;
  /** Index of the name within a multi-name spec (`var a, b = f()`). */
  index: number;
  /** For consts in a group without explicit values, the spec that supplies them (iota repetition). */
  implicitFrom?: Node;
  iota?: number;
}

/** Predeclared identifiers (Go spec, "Predeclared identifiers"). */
export const PREDECLARED = new Set([
  'append', 'cap', 'clear', 'close', 'complex', 'copy', 'delete', 'imag', 'len', 'make', 'max', 'min', 'new', 'panic',
  'print', 'println', 'real', 'recover', 'true', 'false', 'nil', 'iota', 'error', 'bool', 'byte', 'rune', 'int', 'int8',
  'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'float32', 'float64',
  'complex64', 'complex128', 'string', 'any', 'comparable',
]);

/** A declaration resolver for type expressions that may name local types. */
export type LocalTypeLookup = (name: string, at: Node) => Type | undefined;

const BUILTIN_TYPES = new Set([
  'bool', 'byte', 'rune', 'int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64',
  'uintptr', 'float32', 'float64', 'complex64', 'complex128', 'string', 'any', 'comparable',
]);

/** Holds the stub packages and the module's packages loaded for their declarations (one world per thread). */
export class World {
  private stubs = new Map<string, Package | null>();
  /** Declaration-only packages by directory (null: nothing to load there, or being loaded). */
  private declPkgs = new Map<string, Package | null>();
  private build: BuildContext | undefined;
  private buildKey = '';
  private modCache = new Map<string, ModuleInfo | undefined>();
  /**
   * The directory of each import path asked of a module (null: none), by module directory:
   * `imported` is asked at every use of another package's member, and finding the directory
   * takes file-system calls (it does not depend on the build configuration, so it is kept).
   */
  private dirs = new Map<string, Map<string, string | null>>();
  /** Files read and parsed for declarations so far (for the benchmark and tests). */
  declFiles = 0;

  /** The stub package for an import path, or undefined when we know nothing of it. */
  stub(importPath: string): Package | undefined {
    let p = this.stubs.get(importPath);
    if (p === undefined) {
      const src = STUBS[importPath];
      p = src === undefined ? null : new Package({ importPath, dir: '', files: [new SourceFile(`<stub ${importPath}>`, src)], world: this, isStub: true });
      this.stubs.set(importPath, p);
    }
    return p ?? undefined;
  }

  /**
   * Sets the build configuration the files of declaration-only packages are selected with (the
   * one the analysed packages use, so both see the same platform twin of a file). A different
   * configuration forgets the packages loaded under the previous one.
   */
  setBuild(build: BuildContext): void {
    const key = `${build.goos}/${build.goarch}/${build.cgo}/${build.releaseMinor}/${[...build.tags].sort().join(',')}`;
    if (key === this.buildKey) return;
    this.build = build;
    this.buildKey = key;
    this.declPkgs.clear();
  }

  /**
   * The package `importPath` names in an import of package `from`: a standard-library stub, or
   * another package of `from`'s module (or of its vendor directory), loaded on first use for its
   * declarations only — types with their fields and methods, function and method signatures,
   * interface method sets, constants and variables, no bodies (see `declarationText`) — and kept
   * for the rest of the run. Undefined when we know nothing of it (third-party modules outside
   * vendor/, a directory without Go files, no go.mod): callers then treat its members as unknown.
   */
  imported(importPath: string, from: Package): Package | undefined {
    const s = this.stub(importPath);
    if (s) return s;
    const mod = from.module;
    if (!mod?.path || !this.build) return undefined;
    if (importPath === from.importPath) return undefined;
    let dirs = this.dirs.get(mod.dir);
    if (!dirs) this.dirs.set(mod.dir, (dirs = new Map()));
    let dir = dirs.get(importPath);
    if (dir === undefined) dirs.set(importPath, (dir = packageDir(importPath, mod, this.modCache) ?? null));
    if (!dir) return undefined;
    let p = this.declPkgs.get(dir);
    if (p === undefined) {
      this.declPkgs.set(dir, null); // an import cycle (invalid Go) ends here
      p = this.loadDeclarations(importPath, dir, mod, this.build) ?? null;
      this.declPkgs.set(dir, p);
    }
    return p ?? undefined;
  }

  private loadDeclarations(importPath: string, dir: string, mod: ModuleInfo, build: BuildContext): Package | undefined {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      return undefined;
    }
    const files: SourceFile[] = [];
    let pkgName = '';
    for (const name of names.sort()) {
      if (!isGoSourceName(name, false)) continue;
      const file = path.join(dir, name);
      let text: string;
      try {
        const dec = decodeGoSource(file, fs.readFileSync(file));
        if ('problem' in dec) continue;
        text = dec.text;
      } catch {
        continue; // a directory named x.go, an unreadable file: Go would fail to build; we know less
      }
      if (!matchFile(name, text, build)) continue;
      const sf = new SourceFile(file, declarationText(text));
      this.declFiles++;
      if (!sf.packageName || (pkgName && sf.packageName !== pkgName)) continue;
      pkgName = sf.packageName;
      files.push(sf);
    }
    if (files.length === 0) return undefined;
    return new Package({ importPath, dir, files, module: mod, world: this, isStub: true });
  }
}

let defaultWorld: World | undefined;
/** The per-thread world of stub packages. */
export function world(): World {
  return (defaultWorld ??= new World());
}

export interface PackageInit {
  importPath: string;
  dir: string;
  files: SourceFile[];
  module?: ModuleInfo;
  world: World;
  isStub?: boolean;
}

/** A package under analysis (or a stub package). */
export class Package {
  readonly importPath: string;
  readonly dir: string;
  readonly files: SourceFile[] = [];
  readonly module?: ModuleInfo;
  readonly world: World;
  readonly isStub: boolean;
  name = '';
  private objects = new Map<string, PkgObj>();
  private methodsByType = new Map<string, Map<string, { decl: Node; file: SourceFile }>>();
  private imports = new Map<SourceFile, Map<string, string>>();
  private dotImports = new Map<SourceFile, string[]>();
  private typeCache = new Map<PkgObj, Type>();
  private namedCache = new Map<PkgObj, Type>();
  private fileOfDecl = new Map<Node, SourceFile>();
  /** Function and method declarations, in file order. */
  readonly funcDecls: Array<{ decl: Node; file: SourceFile }> = [];
  /** Package-level var declarations (their initialisers may hold function literals). */
  readonly varDecls: Array<{ decl: Node; file: SourceFile }> = [];

  constructor(init: PackageInit) {
    this.importPath = init.importPath;
    this.dir = init.dir;
    this.module = init.module;
    this.world = init.world;
    this.isStub = init.isStub ?? false;
    for (const f of init.files) this.addFile(f);
  }

  /** The `go` version of the module ('' when unknown). */
  get goVersion(): string {
    return this.module?.goVersion ?? '';
  }

  /**
   * A GODEBUG setting the package is built with, when its source says: a `//go:debug
   * key=value` directive in a main package (go.dev/doc/godebug), else a `godebug` line of
   * the module's go.mod.
   */
  goDebug(key: string): string | undefined {
    if (this.name === 'main') {
      const re = new RegExp(`^//go:debug\\s+${key.replace(/[.]/g, '\\.')}=(\\S+)`, 'm');
      for (const text of this.files.map((f) => f.text)) {
        const m = re.exec(text);
        if (m) return m[1];
      }
    }
    return this.module?.godebug?.[key];
  }

  /** Adds a parsed file and indexes its declarations. */
  addFile(f: SourceFile): void {
    this.files.push(f);
    if (!this.name) this.name = f.packageName;
    const imps = new Map<string, string>();
    const dots: string[] = [];
    this.imports.set(f, imps);
    this.dotImports.set(f, dots);
    for (const d of f.decls) {
      this.fileOfDecl.set(d, f);
      switch (d.type) {
        case 'import_declaration':
          for (const spec of collect(d, 'import_spec')) {
            const pathNode = field(spec, 'path');
            if (!pathNode) continue;
            const ipath = f.textOf(pathNode).replace(/^["`]|["`]$/g, '');
            const nameNode = field(spec, 'name');
            const local = nameNode ? f.textOf(nameNode) : defaultImportName(ipath);
            if (local === '.') dots.push(ipath);
            else if (local !== '_') imps.set(local, ipath);
          }
          break;
        case 'const_declaration': {
          let prev: Node | undefined;
          let iota = 0;
          for (const spec of d.children.filter((c) => c.type === 'const_spec')) {
            const hasValue = !!field(spec, 'value');
            if (hasValue) prev = spec;
            fields(spec, 'name').forEach((n, i) =>
              this.define({ kind: 'const', name: f.textOf(n), pkg: this, file: f, node: spec, nameNode: n, index: i, implicitFrom: hasValue ? undefined : prev, iota }),
            );
            iota++;
          }
          break;
        }
        case 'var_declaration':
          this.varDecls.push({ decl: d, file: f });
          for (const spec of collect(d, 'var_spec'))
            fields(spec, 'name').forEach((n, i) => this.define({ kind: 'var', name: f.textOf(n), pkg: this, file: f, node: spec, nameNode: n, index: i }));
          break;
        case 'type_declaration':
          for (const spec of d.children.filter((c) => c.type === 'type_spec' || c.type === 'type_alias')) {
            const n = field(spec, 'name');
            if (n) this.define({ kind: 'type', name: f.textOf(n), pkg: this, file: f, node: spec, nameNode: n, index: 0 });
          }
          break;
        case 'function_declaration': {
          const n = field(d, 'name');
          this.funcDecls.push({ decl: d, file: f });
          if (n && f.textOf(n) !== 'init' && f.textOf(n) !== '_') this.define({ kind: 'func', name: f.textOf(n), pkg: this, file: f, node: d, nameNode: n, index: 0 });
          break;
        }
        case 'method_declaration': {
          this.funcDecls.push({ decl: d, file: f });
          const recvType = receiverTypeName(d, f);
          const n = field(d, 'name');
          if (!recvType || !n) break;
          let m = this.methodsByType.get(recvType);
          if (!m) this.methodsByType.set(recvType, (m = new Map()));
          m.set(f.textOf(n), { decl: d, file: f });
          break;
        }
      }
    }
  }

  private define(o: PkgObj): void {
    if (o.name === '_') return;
    if (!this.objects.has(o.name)) this.objects.set(o.name, o);
  }

  /** A package-level object by name. */
  lookup(name: string): PkgObj | undefined {
    return this.objects.get(name);
  }

  /** The source file that holds a top-level declaration node. */
  fileOf(decl: Node): SourceFile | undefined {
    return this.fileOfDecl.get(decl);
  }

  /** The import path a file's local package name refers to. */
  importPathOf(file: SourceFile, localName: string): string | undefined {
    return this.imports.get(file)?.get(localName);
  }

  /** Dot-imported paths of a file. */
  dotImportsOf(file: SourceFile): string[] {
    return this.dotImports.get(file) ?? [];
  }

  /** Resolves `pkgname.Member` for a file's import. */
  qualified(file: SourceFile, pkgLocal: string, member: string): PkgObj | undefined {
    const ipath = this.importPathOf(file, pkgLocal);
    if (!ipath) return undefined;
    return this.world.imported(ipath, this)?.lookup(member);
  }

  /** The type of a package-level object (cycle-safe: a cycle yields unknown). */
  objType(o: PkgObj): Type {
    const c = this.typeCache.get(o);
    if (c) return c;
    this.typeCache.set(o, UNKNOWN); // cycle guard
    let t: Type = UNKNOWN;
    if (o.kind === 'type') t = this.namedOf(o);
    else if (o.kind === 'func') t = this.funcSignature(o.node, o.file);
    else {
      const spec = o.implicitFrom ?? o.node;
      const te = field(spec, 'type');
      if (te) t = this.typeFromExpr(te, o.file);
      else {
        const values = field(spec, 'value');
        const vals = values ? named(values) : [];
        if (vals.length === fields(spec, 'name').length) {
          const v = vals[o.index];
          if (v) t = this.exprTypeAtPackageLevel(v, o.file);
        } else if (vals.length === 1 && vals[0]) {
          const tt = this.exprTypeAtPackageLevel(vals[0], o.file);
          t = tt.kind === 'tuple' ? (tt.types[o.index] ?? UNKNOWN) : UNKNOWN;
        }
      }
    }
    this.typeCache.set(o, t);
    return t;
  }

  private pkgLevel = new Map<SourceFile, FuncResolution>();

  /** A resolution for package-level expressions of `file` (initialisers, constants). */
  packageLevel(file: SourceFile): FuncResolution {
    let r = this.pkgLevel.get(file);
    if (!r) {
      const root: Node = { type: 'source_file', named: true, field: null, start: 0, end: 0, children: [], parent: null };
      this.pkgLevel.set(file, (r = new FuncResolution(this, file, root, undefined)));
    }
    return r;
  }

  /** Types a package-level initialiser expression. */
  exprTypeAtPackageLevel(expr: Node, file: SourceFile): Type {
    return this.packageLevel(file).typeOf(expr);
  }

  /** The Named type for a type declaration. */
  namedOf(o: PkgObj): Type {
    const c = this.namedCache.get(o);
    if (c) return c;
    if (o.node.type === 'type_alias') {
      const te = field(o.node, 'type');
      const t = te ? this.typeFromExpr(te, o.file) : UNKNOWN;
      this.namedCache.set(o, t);
      return t;
    }
    let under: Type | undefined;
    const ref: NamedRef = {
      decl: o.node,
      underlying: () => {
        if (under === undefined) {
          under = UNKNOWN; // cycle guard
          const te = field(o.node, 'type');
          under = te ? this.typeFromExpr(te, o.file) : UNKNOWN;
          if (under.kind === 'named') {
            const u2 = under.ref?.underlying();
            under = u2 ?? UNKNOWN;
          }
        }
        return under;
      },
      method: (name) => this.method(o.name, name),
      interfaceMethods: () => {
        if (ifaceMethods === undefined) {
          ifaceMethods = null; // cycle guard
          const it = field(o.node, 'type');
          if (it?.type === 'interface_type') ifaceMethods = this.interfaceMethodsOf(it, o.file) ?? null;
        }
        return ifaceMethods ?? undefined;
      },
    };
    let ifaceMethods: ReadonlySet<string> | null | undefined;
    const t: Type = { kind: 'named', pkg: this.importPath, name: o.name, ref };
    this.namedCache.set(o, t);
    return t;
  }

  /**
   * Method names of an interface_type node of `file`: its method elements and those of the
   * interfaces it embeds (resolved in whatever package declares them); undefined when an embedded
   * element is not an interface we can read (a union, a type we do not know).
   */
  private interfaceMethodsOf(it: Node, file: SourceFile): Set<string> | undefined {
    const out = new Set<string>();
    for (const c of named(it)) {
      if (c.type === 'method_elem') {
        const n = field(c, 'name');
        if (n) out.add(file.textOf(n));
      } else if (c.type === 'type_elem') {
        const parts = named(c);
        const e = parts.length === 1 ? parts[0] : undefined;
        const inner = e ? this.typeFromExpr(e, file) : undefined;
        const sub = inner?.kind === 'named' ? inner.ref?.interfaceMethods?.() : undefined;
        if (!sub) return undefined;
        for (const m of sub) out.add(m);
      }
    }
    return out;
  }

  /**
   * The MethodInfo of each method asked for, by its declaration: a method call is looked up
   * at every call site (and again by several rules), and building the signature converts
   * its parameter and result type expressions each time. Sound because a package's
   * declarations are all added by its constructor, and callers never modify a MethodInfo.
   */
  private methodInfos = new Map<Node, MethodInfo>();

  /** A method declared in this package on type `typeName` (the same object for the same method: do not modify it). */
  method(typeName: string, name: string): MethodInfo | undefined {
    const m = this.methodsByType.get(typeName)?.get(name);
    if (!m) return undefined;
    let info = this.methodInfos.get(m.decl);
    if (!info) this.methodInfos.set(m.decl, (info = this.methodInfoOf(typeName, name, m)));
    return info;
  }

  private methodInfoOf(typeName: string, name: string, m: { decl: Node; file: SourceFile }): MethodInfo {
    const sig = this.funcSignature(m.decl, m.file);
    const recv = field(m.decl, 'receiver');
    const recvDecl = recv ? named(recv)[0] : undefined;
    const rt = recvDecl ? field(recvDecl, 'type') : undefined;
    return {
      name,
      sig: sig.kind === 'func' ? sig : { kind: 'func', params: [], results: [], variadic: false },
      pointerRecv: !!rt && unparen(rt).type === 'pointer_type',
      decl: m.decl,
      pkg: this.importPath,
      recvType: typeName,
    };
  }

  private namedMethods = new Map<string, MethodInfo[]>();

  /**
   * Every method named `name` declared in this package, whatever its receiver type (for
   * resolving a call through an interface to the package's implementations). (Every file is parsed.)
   */
  methodsNamed(name: string): MethodInfo[] {
    const have = this.namedMethods.get(name);
    if (have) return have;
    const out: MethodInfo[] = [];
    for (const [typeName, ms] of this.methodsByType) {
      if (!ms.has(name)) continue;
      const m = this.method(typeName, name);
      if (m) out.push(m);
    }
    this.namedMethods.set(name, out);
    return out;
  }

  private typeMethods = new Map<string, Set<string>>();

  /** The names of the methods declared in this package on type `typeName` . */
  methodNamesOf(typeName: string): Set<string> {
    const have = this.typeMethods.get(typeName);
    if (have) return have;
    const names = new Set(this.methodsByType.get(typeName)?.keys() ?? []);
    this.typeMethods.set(typeName, names);
    return names;
  }

  /** The signature type of a function/method declaration or func literal / function type node. */
  funcSignature(n: Node, file: SourceFile, local?: LocalTypeLookup): Type {
    const params: Type[] = [];
    let variadic = false;
    const pl = field(n, 'parameters');
    if (pl) {
      for (const p of named(pl)) {
        const te = field(p, 'type');
        const t = te ? this.typeFromExpr(te, file, local) : UNKNOWN;
        const count = Math.max(1, fields(p, 'name').length);
        if (p.type === 'variadic_parameter_declaration') {
          variadic = true;
          params.push({ kind: 'slice', elem: t });
        } else for (let i = 0; i < count; i++) params.push(t);
      }
    }
    const results: Type[] = [];
    const r = field(n, 'result');
    if (r) {
      if (r.type === 'parameter_list') {
        for (const p of named(r)) {
          const te = field(p, 'type');
          const t = te ? this.typeFromExpr(te, file, local) : UNKNOWN;
          const count = Math.max(1, fields(p, 'name').length);
          for (let i = 0; i < count; i++) results.push(t);
        }
      } else results.push(this.typeFromExpr(r, file, local));
    }
    return { kind: 'func', params, results, variadic };
  }

  /** Converts a type expression node into a Type. */
  typeFromExpr(n: Node, file: SourceFile, local?: LocalTypeLookup): Type {
    switch (n.type) {
      case 'type_identifier':
      case 'identifier': {
        const name = file.textOf(n);
        const lt = local?.(name, n);
        if (lt) return lt;
        return this.typeByName(name, file);
      }
      case 'qualified_type': {
        const pk = field(n, 'package');
        const nm = field(n, 'name');
        if (!pk || !nm) return UNKNOWN;
        const o = this.qualified(file, file.textOf(pk), file.textOf(nm));
        return o && o.kind === 'type' ? o.pkg.objType(o) : UNKNOWN;
      }
      case 'selector_expression': {
        const op = field(n, 'operand');
        const fl = field(n, 'field');
        if (!op || !fl || op.type !== 'identifier') return UNKNOWN;
        const o = this.qualified(file, file.textOf(op), file.textOf(fl));
        return o && o.kind === 'type' ? o.pkg.objType(o) : UNKNOWN;
      }
      case 'pointer_type': {
        const e = named(n)[0];
        return { kind: 'pointer', elem: e ? this.typeFromExpr(e, file, local) : UNKNOWN };
      }
      case 'unary_expression': {
        // `*T` in expression position (conversions like (*T)(x)).
        const op = field(n, 'operand');
        if (op && file.text[n.start] === '*') return { kind: 'pointer', elem: this.typeFromExpr(op, file, local) };
        return UNKNOWN;
      }
      case 'parenthesized_type':
      case 'parenthesized_expression': {
        const e = named(n)[0];
        return e ? this.typeFromExpr(e, file, local) : UNKNOWN;
      }
      case 'slice_type': {
        const e = field(n, 'element');
        return { kind: 'slice', elem: e ? this.typeFromExpr(e, file, local) : UNKNOWN };
      }
      case 'array_type':
      case 'implicit_length_array_type': {
        const e = field(n, 'element');
        return { kind: 'array', elem: e ? this.typeFromExpr(e, file, local) : UNKNOWN };
      }
      case 'map_type': {
        const k = field(n, 'key');
        const v = field(n, 'value');
        return { kind: 'map', key: k ? this.typeFromExpr(k, file, local) : UNKNOWN, value: v ? this.typeFromExpr(v, file, local) : UNKNOWN };
      }
      case 'channel_type': {
        const v = field(n, 'value');
        const toks = n.children.filter((c) => !c.named).map((c) => file.textOf(c));
        // `<-chan T` starts with `<-`; `chan<- T` has `<-` after `chan`.
        const dir = toks[0] === '<-' ? 'recv' : toks.includes('<-') ? 'send' : 'both';
        return { kind: 'chan', dir, elem: v ? this.typeFromExpr(v, file, local) : UNKNOWN };
      }
      case 'function_type':
        return this.funcSignature(n, file, local);
      case 'struct_type':
        return { kind: 'struct', fields: this.structFields(n, file, local) };
      case 'interface_type':
        return { kind: 'interface' };
      case 'generic_type': {
        const t = field(n, 'type');
        return t ? this.typeFromExpr(t, file, local) : UNKNOWN;
      }
      case 'type_elem': {
        const e = named(n)[0];
        return e && named(n).length === 1 ? this.typeFromExpr(e, file, local) : UNKNOWN;
      }
      default:
        return UNKNOWN;
    }
  }

  private structFields(n: Node, file: SourceFile, local?: LocalTypeLookup): Field[] {
    const out: Field[] = [];
    const list = n.children.find((c) => c.type === 'field_declaration_list');
    if (!list) return out;
    for (const fd of list.children) {
      if (fd.type !== 'field_declaration') continue;
      const te = field(fd, 'type');
      let t = te ? this.typeFromExpr(te, file, local) : UNKNOWN;
      const names = fields(fd, 'name');
      // The syntax tree (tree-sitter-go's shape) puts the `*` of an embedded pointer field (`struct{ *sync.Mutex }`)
      // beside the type, not inside it.
      if (names.length === 0 && fd.children.some((c) => !c.named && file.textOf(c) === '*')) t = { kind: 'pointer', elem: t };
      if (names.length === 0) {
        // Embedded field: its name is the type name without package and pointer.
        let tn = te;
        while (tn && (tn.type === 'pointer_type' || tn.type === 'generic_type')) tn = tn.type === 'pointer_type' ? named(tn)[0] : field(tn, 'type');
        const nm = tn ? (tn.type === 'qualified_type' ? field(tn, 'name') : tn) : undefined;
        out.push({ name: nm ? file.textOf(nm) : '?', type: t, embedded: true });
      } else for (const nm of names) out.push({ name: file.textOf(nm), type: t, embedded: false });
    }
    return out;
  }

  /** A type name visible at package level in `file` (package types, dot imports, predeclared). */
  typeByName(name: string, file: SourceFile): Type {
    const o = this.lookup(name);
    if (o) return o.kind === 'type' ? this.objType(o) : UNKNOWN;
    for (const dp of this.dotImportsOf(file)) {
      const so = this.world.imported(dp, this)?.lookup(name);
      if (so?.kind === 'type') return so.pkg.objType(so);
    }
    if (name === 'error') return ERROR;
    if (BUILTIN_TYPES.has(name)) return { kind: 'basic', name: name === 'byte' ? 'uint8' : name === 'rune' ? 'int32' : name };
    return UNKNOWN;
  }
}

/** The receiver's base type name of a method declaration (`func (s *T[K]) M()` → `T`). */
export function receiverTypeName(decl: Node, file: SourceFile): string | undefined {
  const recv = field(decl, 'receiver');
  const p = recv ? named(recv)[0] : undefined;
  let t = p ? field(p, 'type') : undefined;
  while (t && (t.type === 'pointer_type' || t.type === 'parenthesized_type' || t.type === 'generic_type')) {
    t = t.type === 'generic_type' ? field(t, 'type') : named(t)[0];
  }
  return t ? file.textOf(t) : undefined;
}

/** Go's default package name for an import path (last element, minus a `/vN` suffix and `go-` prefix heuristics are not applied). */
export function defaultImportName(ipath: string): string {
  const parts = ipath.split('/');
  let last = parts[parts.length - 1] ?? ipath;
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2] as string;
  return last.replace(/^go-/, '').replace(/[.-].*$/, '');
}

function collect(n: Node, type: string): Node[] {
  const out: Node[] = [];
  const rec = (x: Node): void => {
    for (const c of x.children) {
      if (c.type === type) out.push(c);
      else if (c.type.endsWith('_list')) rec(c);
    }
  };
  rec(n);
  return out;
}
