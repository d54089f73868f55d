/**
 * @fileoverview The TypeScript side of the differential parser test: writes the
 * canonical listing of test/goparse/main.go (go/ast node kinds with byte offsets, in
 * pre-order) from leakscope's parse tree (tree-sitter-go vocabulary). Both sides must
 * produce the same text for every file; a difference is a parser bug (or a bug here).
 */
import { createHash } from 'node:crypto';
import { parseGo } from '../../src/go/parser/parser.js';
import { field, fields, type Node } from '../../src/go/syntax.js';

/** The canonical listing of a Go file's syntax, as test/goparse prints it. */
export function canonicalListing(text: string): string {
  const parsed = parseGo(text);
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0] as { offset: number; message: string };
    return `ERROR ${e.offset} ${e.message}\n`;
  }
  return new Lister(text).file(parsed.decls, parsed.comments);
}

/** sha256 of the listing and its line count, as `goparse hash` prints them. */
export function listingHash(listing: string): { hash: string; lines: number } {
  let lines = 0;
  for (let i = listing.indexOf('\n'); i !== -1; i = listing.indexOf('\n', i + 1)) lines++;
  return { hash: createHash('sha256').update(listing, 'utf8').digest('hex'), lines };
}

/** Byte offsets of UTF-16 offsets (identity for ASCII text). */
function byteOffsets(text: string): ((i: number) => number) | undefined {
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(text)) return undefined;
  const map = new Int32Array(text.length + 1);
  let b = 0;
  for (let i = 0; i < text.length; i++) {
    map[i] = b;
    const c = text.charCodeAt(i);
    if (c < 0x80) b += 1;
    else if (c < 0x800) b += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      b += 4;
      map[++i] = b;
    } else b += 3;
  }
  map[text.length] = b;
  return (i) => map[i] as number;
}

const IDENTS = new Set(['identifier', 'type_identifier', 'field_identifier', 'package_identifier', 'label_name', 'blank_identifier', 'dot', 'nil', 'true', 'false', 'iota']);
const LITERALS: Record<string, string> = {
  int_literal: 'INT',
  float_literal: 'FLOAT',
  imaginary_literal: 'IMAG',
  rune_literal: 'CHAR',
  interpreted_string_literal: 'STRING',
  raw_string_literal: 'STRING',
};
const DECL_TOK: Record<string, string> = { import_declaration: 'import', var_declaration: 'var', const_declaration: 'const', type_declaration: 'type' };

class Lister {
  private out: string[] = [];
  private readonly b: ((i: number) => number) | undefined;
  constructor(private readonly text: string) {
    this.b = byteOffsets(text);
  }

  private off(i: number): number {
    return i < 0 ? -1 : this.b ? this.b(i) : i;
  }

  private line(kind: string, s: number, e: number, attr?: string): void {
    this.out.push(`${kind}${attr === undefined ? '' : ' ' + attr} ${this.off(s)} ${this.off(e)}`);
  }

  private none(): void {
    this.out.push('-');
  }

  file(decls: Node[], comments: ReadonlyArray<{ start: number }>): string {
    for (const d of decls) {
      if (d.type === 'package_clause') {
        this.line('Package', d.start, (d.children[1] as Node).end);
      } else this.decl(d);
    }
    for (const c of comments) this.out.push(`Comment ${this.off(c.start)}`);
    return this.out.join('\n') + '\n';
  }

  private named(n: Node): Node[] {
    return n.children.filter((c) => c.named);
  }

  private decl(d: Node): void {
    const tok = DECL_TOK[d.type];
    if (tok) {
      this.line('GenDecl', d.start, d.end, tok);
      for (const c of d.children) {
        if (c.type.endsWith('_spec_list')) for (const s of c.children) this.spec(s);
        else if (c.named) this.spec(c);
      }
      return;
    }
    if (d.type === 'function_declaration' || d.type === 'method_declaration') {
      this.line('FuncDecl', d.start, d.end);
      const recv = field(d, 'receiver');
      if (recv) this.fieldList(recv);
      this.expr(field(d, 'name') as Node);
      const params = field(d, 'parameters') as Node;
      const result = field(d, 'result');
      this.line('FuncType', d.start, (result ?? params).end);
      const tp = field(d, 'type_parameters');
      if (tp) this.fieldList(tp);
      this.fieldList(params);
      if (result) this.results(result);
      const body = field(d, 'body');
      if (body) this.stmt(body);
      return;
    }
    this.line('Bad', d.start, d.end);
  }

  private spec(s: Node): void {
    switch (s.type) {
      case 'import_spec': {
        this.line('ImportSpec', s.start, s.end);
        const name = field(s, 'name');
        if (name) this.expr(name);
        this.expr(field(s, 'path') as Node);
        return;
      }
      case 'var_spec':
      case 'const_spec': {
        this.line('ValueSpec', s.start, s.end);
        for (const n of fields(s, 'name')) this.expr(n);
        this.opt(field(s, 'type'));
        const v = field(s, 'value');
        if (v) for (const x of v.children) this.expr(x);
        return;
      }
      case 'type_spec':
      case 'type_alias': {
        this.line('TypeSpec', s.start, s.end, s.type === 'type_alias' ? 'alias' : 'def');
        this.expr(field(s, 'name') as Node);
        const tp = field(s, 'type_parameters');
        if (tp) this.fieldList(tp);
        this.expr(field(s, 'type') as Node);
        return;
      }
      default:
        this.line('Bad', s.start, s.end);
    }
  }

  private fieldList(l: Node): void {
    this.line('FieldList', l.start, l.end);
    for (const p of l.children) {
      this.line('Field', p.start, p.end);
      for (const n of fields(p, 'name')) this.expr(n);
      const t = field(p, 'type') as Node;
      if (p.type === 'variadic_parameter_declaration') {
        const dots = p.children.find((c) => c.type === '...') as Node;
        this.line('Ellipsis', dots.start, t.end);
      }
      if (t.type === 'type_constraint') this.union(t);
      else this.expr(t);
    }
  }

  private results(r: Node): void {
    if (r.type === 'parameter_list') this.fieldList(r);
    else {
      this.line('Field', r.start, r.end);
      this.expr(r);
    }
  }

  private opt(n: Node | undefined | null): void {
    if (n) this.expr(n);
    else this.none();
  }

  private optStmt(n: Node | undefined | null): void {
    if (n) this.stmt(n);
    else this.none();
  }

  /** A type_elem / type_constraint: one term, or a left-associated chain of `|`. */
  private union(te: Node): void {
    const terms = te.children.filter((c) => c.type !== '|');
    const emit = (k: number): void => {
      if (k === 1) return this.expr(terms[0] as Node);
      this.line('BinaryExpr', (terms[0] as Node).start, (terms[k - 1] as Node).end, '|');
      emit(k - 1);
      this.expr(terms[k - 1] as Node);
    };
    emit(terms.length);
  }

  private elements(lv: Node): void {
    for (const el of lv.children) {
      if (el.type === 'keyed_element') {
        this.line('KeyValueExpr', el.start, el.end);
        this.expr((field(el, 'key') as Node).children[0] as Node);
        this.expr((field(el, 'value') as Node).children[0] as Node);
      } else this.expr(el.children[0] as Node);
    }
  }

  private funcType(n: Node, start: number): void {
    const params = field(n, 'parameters') as Node;
    const result = field(n, 'result');
    this.line('FuncType', start, (result ?? params).end);
    this.fieldList(params);
    if (result) this.results(result);
  }

  private expr(n: Node): void {
    if (IDENTS.has(n.type)) return this.line('Ident', n.start, n.end);
    const lit = LITERALS[n.type];
    if (lit) return this.line('BasicLit', n.start, n.end, lit);
    switch (n.type) {
      case 'composite_literal':
        this.line('CompositeLit', n.start, n.end);
        this.expr(field(n, 'type') as Node);
        return this.elements(field(n, 'body') as Node);
      case 'literal_value':
        this.line('CompositeLit', n.start, n.end);
        return this.elements(n);
      case 'func_literal':
        this.line('FuncLit', n.start, n.end);
        this.funcType(n, n.start);
        return this.stmt(field(n, 'body') as Node);
      case 'parenthesized_expression':
      case 'parenthesized_type':
        this.line('ParenExpr', n.start, n.end);
        return this.expr(n.children[0] as Node);
      case 'selector_expression':
        this.line('SelectorExpr', n.start, n.end);
        this.expr(field(n, 'operand') as Node);
        return this.expr(field(n, 'field') as Node);
      case 'qualified_type':
        this.line('SelectorExpr', n.start, n.end);
        this.expr(field(n, 'package') as Node);
        return this.expr(field(n, 'name') as Node);
      case 'index_expression':
        this.line('IndexExpr', n.start, n.end);
        this.expr(field(n, 'operand') as Node);
        return this.expr(field(n, 'index') as Node);
      case 'type_instantiation_expression':
        this.line('IndexListExpr', n.start, n.end);
        for (const c of n.children) this.expr(c);
        return;
      case 'generic_type': {
        const args = (field(n, 'type_arguments') as Node).children;
        this.line(args.length === 1 ? 'IndexExpr' : 'IndexListExpr', n.start, n.end);
        this.expr(field(n, 'type') as Node);
        for (const a of args) this.union(a);
        return;
      }
      case 'slice_expression':
        this.line('SliceExpr', n.start, n.end);
        this.expr(field(n, 'operand') as Node);
        this.opt(field(n, 'start'));
        this.opt(field(n, 'end'));
        return this.opt(field(n, 'capacity'));
      case 'type_assertion_expression': {
        const t = field(n, 'type');
        this.line('TypeAssertExpr', n.start, t ? n.end : -1);
        this.expr(field(n, 'operand') as Node);
        return this.opt(t);
      }
      case 'call_expression': {
        const args = (field(n, 'arguments') as Node).children;
        const last = args[args.length - 1];
        this.line('CallExpr', n.start, n.end, last?.type === 'variadic_argument' ? '...' : undefined);
        this.expr(field(n, 'function') as Node);
        for (const a of args) this.expr(a.type === 'variadic_argument' ? (a.children[0] as Node) : a);
        return;
      }
      case 'type_conversion_expression':
        this.line('CallExpr', n.start, n.end);
        this.expr(field(n, 'type') as Node);
        return this.expr(field(n, 'operand') as Node);
      case 'unary_expression': {
        const op = (n.children[0] as Node).type;
        if (op === '*') this.line('StarExpr', n.start, n.end);
        else this.line('UnaryExpr', n.start, n.end, op);
        return this.expr(field(n, 'operand') as Node);
      }
      case 'pointer_type':
        this.line('StarExpr', n.start, n.end);
        return this.expr(n.children[1] as Node);
      case 'negated_type':
        this.line('UnaryExpr', n.start, n.end, '~');
        return this.expr(n.children[1] as Node);
      case 'binary_expression':
        this.line('BinaryExpr', n.start, n.end, (field(n, 'operator') as Node).type);
        this.expr(field(n, 'left') as Node);
        return this.expr(field(n, 'right') as Node);
      case 'type_elem':
      case 'type_constraint':
        return this.union(n);
      case 'slice_type':
        this.line('ArrayType', n.start, n.end);
        this.none();
        return this.expr(field(n, 'element') as Node);
      case 'array_type':
        this.line('ArrayType', n.start, n.end);
        this.expr(field(n, 'length') as Node);
        return this.expr(field(n, 'element') as Node);
      case 'implicit_length_array_type': {
        this.line('ArrayType', n.start, n.end);
        const dots = n.children[0] as Node;
        this.line('Ellipsis', dots.start, dots.end);
        return this.expr(field(n, 'element') as Node);
      }
      case 'struct_type': {
        this.line('StructType', n.start, n.end);
        const list = n.children[1] as Node;
        this.line('FieldList', list.start, list.end);
        for (const fd of list.children) {
          this.line('Field', fd.start, fd.end);
          for (const nm of fields(fd, 'name')) this.expr(nm);
          const t = field(fd, 'type') as Node;
          const star = fd.children.find((c) => c.type === '*');
          if (star) this.line('StarExpr', star.start, t.end);
          this.expr(t);
          const tag = field(fd, 'tag');
          if (tag) this.expr(tag);
        }
        return;
      }
      case 'function_type':
        return this.funcType(n, n.start);
      case 'interface_type':
        this.line('InterfaceType', n.start, n.end);
        for (const el of n.children) {
          if (!el.named) continue;
          this.line('Field', el.start, el.end);
          if (el.type === 'method_elem') {
            this.expr(field(el, 'name') as Node);
            this.funcType(el, (field(el, 'parameters') as Node).start);
          } else this.union(el);
        }
        return;
      case 'map_type':
        this.line('MapType', n.start, n.end);
        this.expr(field(n, 'key') as Node);
        return this.expr(field(n, 'value') as Node);
      case 'channel_type': {
        const toks = n.children.filter((c) => !c.named).map((c) => c.type);
        const dir = toks[0] === '<-' ? 2 : toks.includes('<-') ? 1 : 3;
        this.line('ChanType', n.start, n.end, String(dir));
        return this.expr(field(n, 'value') as Node);
      }
      default:
        return this.line('Bad', n.start, n.end);
    }
  }

  private stmts(list: Node | undefined): void {
    if (list) for (const s of list.children) this.stmt(s);
  }

  private stmt(n: Node): void {
    switch (n.type) {
      case 'var_declaration':
      case 'const_declaration':
      case 'type_declaration':
        return this.decl(n);
      case 'empty_statement':
        return this.line('EmptyStmt', n.start, n.end);
      case 'labeled_statement':
        this.line('LabeledStmt', n.start, n.end);
        this.expr(field(n, 'label') as Node);
        if (n.children[2]) this.stmt(n.children[2]);
        return;
      case 'expression_statement':
        this.line('ExprStmt', n.start, n.end);
        return this.expr(n.children[0] as Node);
      case 'send_statement':
        this.line('SendStmt', n.start, n.end);
        this.expr(field(n, 'channel') as Node);
        return this.expr(field(n, 'value') as Node);
      case 'inc_statement':
      case 'dec_statement':
        this.line('IncDecStmt', n.start, n.end, n.type === 'inc_statement' ? '++' : '--');
        return this.expr(n.children[0] as Node);
      case 'assignment_statement':
      case 'short_var_declaration': {
        const op = n.children[1] as Node;
        this.line('AssignStmt', n.start, n.end, op.type);
        for (const x of (field(n, 'left') as Node).children) this.expr(x);
        for (const x of (field(n, 'right') as Node).children) this.expr(x);
        return;
      }
      case 'go_statement':
      case 'defer_statement':
        this.line(n.type === 'go_statement' ? 'GoStmt' : 'DeferStmt', n.start, n.end);
        return this.expr(n.children[1] as Node);
      case 'return_statement':
        this.line('ReturnStmt', n.start, n.end);
        if (n.children[1]) for (const x of (n.children[1] as Node).children) this.expr(x);
        return;
      case 'break_statement':
      case 'continue_statement':
      case 'goto_statement':
      case 'fallthrough_statement':
        this.line('BranchStmt', n.start, n.end, (n.children[0] as Node).type);
        if (n.children[1]) this.expr(n.children[1]);
        return;
      case 'block':
        this.line('BlockStmt', n.start, n.end);
        return this.stmts(n.children[0]);
      case 'if_statement':
        this.line('IfStmt', n.start, n.end);
        this.optStmt(field(n, 'initializer'));
        this.expr(field(n, 'condition') as Node);
        this.stmt(field(n, 'consequence') as Node);
        return this.optStmt(field(n, 'alternative'));
      case 'expression_switch_statement':
        this.line('SwitchStmt', n.start, n.end);
        this.optStmt(field(n, 'initializer'));
        this.opt(field(n, 'value'));
        for (const c of n.children) {
          if (c.type !== 'expression_case' && c.type !== 'default_case') continue;
          this.line('CaseClause', c.start, c.end);
          const v = field(c, 'value');
          if (v) for (const x of v.children) this.expr(x);
          this.stmts(c.children.find((x) => x.type === 'statement_list'));
        }
        return;
      case 'type_switch_statement': {
        this.line('TypeSwitchStmt', n.start, n.end);
        this.optStmt(field(n, 'initializer'));
        const alias = field(n, 'alias');
        const value = field(n, 'value') as Node;
        if (alias) {
          this.line('AssignStmt', alias.start, -1, ':=');
          this.expr(alias.children[0] as Node);
        } else this.line('ExprStmt', value.start, -1);
        this.line('TypeAssertExpr', value.start, -1);
        this.expr(value);
        this.none();
        for (const c of n.children) {
          if (c.type !== 'type_case' && c.type !== 'default_case') continue;
          this.line('CaseClause', c.start, c.end);
          for (const t of fields(c, 'type')) this.expr(t);
          this.stmts(c.children.find((x) => x.type === 'statement_list'));
        }
        return;
      }
      case 'select_statement':
        this.line('SelectStmt', n.start, n.end);
        for (const c of n.children) {
          if (c.type !== 'communication_case' && c.type !== 'default_case') continue;
          this.line('CommClause', c.start, c.end);
          const comm = field(c, 'communication');
          if (!comm) this.none();
          else if (comm.type === 'send_statement') this.stmt(comm);
          else {
            const left = field(comm, 'left');
            const right = field(comm, 'right') as Node;
            if (left) {
              this.line('AssignStmt', comm.start, comm.end, (comm.children[1] as Node).type);
              for (const x of left.children) this.expr(x);
            } else this.line('ExprStmt', comm.start, comm.end);
            this.expr(right);
          }
          this.stmts(c.children.find((x) => x.type === 'statement_list'));
        }
        return;
      case 'for_statement': {
        const body = field(n, 'body') as Node;
        const rc = n.children.find((c) => c.type === 'range_clause');
        if (rc) {
          const tok = rc.children.find((c) => c.type === ':=' || c.type === '=');
          this.line('RangeStmt', n.start, n.end, tok ? tok.type : 'ILLEGAL');
          const left = field(rc, 'left')?.children ?? [];
          this.opt(left[0]);
          this.opt(left[1]);
          this.expr(field(rc, 'right') as Node);
          return this.stmt(body);
        }
        this.line('ForStmt', n.start, n.end);
        const fc = n.children.find((c) => c.type === 'for_clause');
        if (fc) {
          this.optStmt(field(fc, 'initializer'));
          this.opt(field(fc, 'condition'));
          this.optStmt(field(fc, 'update'));
        } else {
          this.none();
          this.opt(n.children.find((c) => c.named && c.field === null));
          this.none();
        }
        return this.stmt(body);
      }
      default:
        return this.line('Bad', n.start, n.end);
    }
  }
}
