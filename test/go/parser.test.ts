/**
 * @fileoverview The parser, construct by construct (issue 12): which nodes (tree-sitter-go
 * vocabulary) each Go form produces. go/parser agreement on structure is proven by the
 * differential test; these pin the vocabulary the analysis reads, including how the
 * ambiguous forms are resolved (go/parser's way).
 */
import { describe, expect, it } from 'vitest';
import { parseGo } from '../../src/go/parser/parser.js';
import { WARMUP_SOURCE } from '../../src/go/parser/warmup.js';
import { decodeUtf8, Scanner } from '../../src/go/parser/scanner.js';
import { T } from '../../src/go/parser/token.js';
import type { Node } from '../../src/go/syntax.js';

/** Node types that are tokens (rendered with their text). */
const TOKENS = /identifier$|literal$|^(label_name|nil|true|false|iota|dot|empty_statement)$/;

/** `(type field:(type ...) "leaf")`: a compact rendering of a subtree. */
function sexp(n: Node, text: string): string {
  const f = n.field ? `${n.field}:` : '';
  if (!n.named) return `${f}\`${n.type}\``;
  if (n.children.length === 0 && TOKENS.test(n.type)) return `${f}${n.type}"${text.slice(n.start, n.end)}"`;
  return `${f}(${[n.type, ...n.children.map((c) => sexp(c, text))].join(' ')})`;
}

/** The body statements of `func _() { <stmts> }`, rendered. */
function stmts(src: string): string[] {
  const text = `package p\nfunc _() {\n${src}\n}\n`;
  const r = parseGo(text);
  expect(r.errors).toEqual([]);
  const body = (r.decls[1] as Node).children.find((c) => c.field === 'body') as Node;
  const list = body.children[0];
  return list ? list.children.map((s) => sexp(s, text)) : [];
}

/** The top-level declarations after the package clause, rendered. */
function decls(src: string): string[] {
  const text = `package p\n${src}\n`;
  const r = parseGo(text);
  expect(r.errors).toEqual([]);
  return r.decls.slice(1).map((d) => sexp(d, text));
}

/** The expression `e`, rendered. */
function expr(e: string): string {
  const s = stmts(`_ = ${e}`)[0] as string;
  return s.replace(/^\(assignment_statement left:\(expression_list identifier"_"\) operator:`=` right:\(expression_list /, '').replace(/\)\)$/, '');
}

describe('scanner', () => {
  const toks = (src: string): string[] => {
    const sc = new Scanner(src, () => undefined);
    const out: string[] = [];
    for (sc.next(); sc.tok !== T.EOF; sc.next()) out.push(sc.tok === T.SEMICOLON && sc.newline ? '⏎' : src.slice(sc.start, sc.end));
    return out;
  };

  it('inserts semicolons after identifiers, literals, break/continue/fallthrough/return, ++ -- ) ] } at a newline and at EOF', () => {
    expect(toks('x\n1\n"s"\nbreak\nreturn\ni++\nf()\na[1]\n{}\ny')).toEqual(['x', '⏎', '1', '⏎', '"s"', '⏎', 'break', '⏎', 'return', '⏎', 'i', '++', '⏎', 'f', '(', ')', '⏎', 'a', '[', '1', ']', '⏎', '{', '}', '⏎', 'y', '⏎']);
    expect(toks('x +\ny')).toEqual(['x', '+', 'y', '⏎']);
  });

  it('a general comment with a newline acts as one; a line comment ends at its newline', () => {
    expect(toks('x /* a\nb */ y')).toEqual(['x', '⏎', 'y', '⏎']);
    expect(toks('x /* a */ y // c\nz')).toEqual(['x', 'y', '⏎', 'z', '⏎']);
  });

  it('scans every literal form and the three- and two-character operators', () => {
    expect(toks("0x1p-2 0b1_0 0o17 017 1e3 .5 1.5i 'a' '\\n' '\\u00e9' `raw\nstring` \"esc\\\"aped\"")).toEqual(['0x1p-2', '0b1_0', '0o17', '017', '1e3', '.5', '1.5i', "'a'", "'\\n'", "'\\u00e9'", '`raw\nstring`', '"esc\\"aped"', '⏎']);
    expect(toks('a &^= b <<= c >>= d ... e := f <- g && h || i != j &^ k')).toEqual(['a', '&^=', 'b', '<<=', 'c', '>>=', 'd', '...', 'e', ':=', 'f', '<-', 'g', '&&', 'h', '||', 'i', '!=', 'j', '&^', 'k', '⏎']);
  });

  it('reports lexical errors as go/scanner does', () => {
    const errs = (src: string): string[] => {
      const out: string[] = [];
      const sc = new Scanner(src, (o, m) => out.push(`${o}:${m}`));
      for (sc.next(); sc.tok !== T.EOF; sc.next());
      return out;
    };
    expect(errs('"abc\n')).toEqual(['0:string literal not terminated']);
    expect(errs("'ab'")).toEqual(['0:illegal rune literal']);
    expect(errs('0x')).toEqual(['2:hexadecimal literal has no digits']);
    expect(errs('09')).toEqual(["1:invalid digit '9' in octal literal"]);
    expect(errs('1__0')).toEqual(["2:'_' must separate successive digits"]);
    expect(errs('/* x')).toEqual(['0:comment not terminated']);
    expect(errs('"\\q"')).toEqual(['2:unknown escape sequence']);
    expect(errs('x # y')).toEqual(["2:illegal character U+0023 '#'"]);
    expect(errs('a\u0000b')).toEqual(['1:illegal character NUL']);
    expect(errs('a\uFEFF')).toEqual(['1:illegal byte order mark']);
  });

  it('skips a leading BOM and keeps //line directives', () => {
    const r = parseGo('\uFEFFpackage p\n//line gen.go:10:5\nvar x int\n');
    expect(r.errors).toEqual([]);
    expect(r.lineDirectives).toEqual([{ offset: 30, filename: 'gen.go', line: 10, column: 5 }]);
  });

  it('decodes invalid UTF-8 as one U+FFFD per bad byte, reported where Go reports it', () => {
    const d = decodeUtf8(Buffer.from([0x70, 0x61, 0x63, 0x6b, 0x61, 0x67, 0x65, 0x20, 0x70, 0x0a, 0x2f, 0x2f, 0xff, 0xfe, 0x0a]));
    expect(d.text).toBe('package p\n//\uFFFD\uFFFD\n');
    expect(d.invalid).toEqual([12, 13]);
    expect(parseGo(d.text, { invalid: d.invalid }).errors).toEqual([
      { offset: 12, message: 'illegal UTF-8 encoding' },
      { offset: 13, message: 'illegal UTF-8 encoding' },
    ]);
  });
});

describe('declarations', () => {
  it('imports, grouped or not, with names, dots and blanks', () => {
    expect(decls('import (\n\t"fmt"\n\tf "os"\n\t. "io"\n\t_ "net"\n)')).toEqual([
      '(import_declaration `import` (import_spec_list (import_spec path:interpreted_string_literal""fmt"") (import_spec name:package_identifier"f" path:interpreted_string_literal""os"") (import_spec name:dot"." path:interpreted_string_literal""io"") (import_spec name:blank_identifier"_" path:interpreted_string_literal""net"")))',
    ]);
  });

  it('const groups with iota and implicit repetition, var specs with and without types', () => {
    expect(decls('const (\n\tA = iota\n\tB\n)\nvar x, y int = 1, 2')).toEqual([
      '(const_declaration `const` (const_spec name:identifier"A" `=` value:(expression_list iota"iota")) (const_spec name:identifier"B"))',
      '(var_declaration `var` (var_spec name:identifier"x" name:identifier"y" type:type_identifier"int" `=` value:(expression_list int_literal"1" int_literal"2")))',
    ]);
  });

  it('functions and methods: receivers, named and unnamed results, variadic parameters, no body', () => {
    expect(decls('func (s *S) M(a, b int, c ...string) (n int, err error) { return }\nfunc f(int, string) error\n')).toEqual([
      '(method_declaration `func` receiver:(parameter_list (parameter_declaration name:identifier"s" type:(pointer_type `*` type_identifier"S"))) name:field_identifier"M" parameters:(parameter_list (parameter_declaration name:identifier"a" name:identifier"b" type:type_identifier"int") (variadic_parameter_declaration name:identifier"c" `...` type:type_identifier"string")) result:(parameter_list (parameter_declaration name:identifier"n" type:type_identifier"int") (parameter_declaration name:identifier"err" type:type_identifier"error")) body:(block (statement_list (return_statement `return`))))',
      '(function_declaration `func` name:identifier"f" parameters:(parameter_list (parameter_declaration type:type_identifier"int") (parameter_declaration type:type_identifier"string")) result:type_identifier"error")',
    ]);
  });

  it('structs: named, embedded (also pointer and qualified) fields and tags; interfaces with methods, embedded types and unions', () => {
    expect(decls('type S struct {\n\ta, b int `json:"a"`\n\t*sync.Mutex\n\tio.Reader\n}\ntype I interface {\n\tM(x int) error\n\tfmt.Stringer\n\t~int | ~string\n}')).toEqual([
      '(type_declaration `type` (type_spec name:type_identifier"S" type:(struct_type `struct` (field_declaration_list (field_declaration name:field_identifier"a" name:field_identifier"b" type:type_identifier"int" tag:raw_string_literal"`json:"a"`") (field_declaration `*` type:(qualified_type package:package_identifier"sync" name:type_identifier"Mutex")) (field_declaration type:(qualified_type package:package_identifier"io" name:type_identifier"Reader"))))))',
      '(type_declaration `type` (type_spec name:type_identifier"I" type:(interface_type `interface` (method_elem name:field_identifier"M" parameters:(parameter_list (parameter_declaration name:identifier"x" type:type_identifier"int")) result:type_identifier"error") (type_elem (qualified_type package:package_identifier"fmt" name:type_identifier"Stringer")) (type_elem (negated_type `~` type_identifier"int") `|` (negated_type `~` type_identifier"string")))))',
    ]);
  });

  it('type parameters with constraints (unions, ~, pointers), generic types and aliases', () => {
    expect(decls('type List[T any] struct{}\ntype Set[K comparable, V ~int | string] map[K]V\nfunc Map[S ~[]E, E any](s S) S { return s }\ntype A = List[int]')).toEqual([
      '(type_declaration `type` (type_spec name:type_identifier"List" type_parameters:(type_parameter_list (type_parameter_declaration name:identifier"T" type:(type_constraint type_identifier"any"))) type:(struct_type `struct` (field_declaration_list))))',
      '(type_declaration `type` (type_spec name:type_identifier"Set" type_parameters:(type_parameter_list (type_parameter_declaration name:identifier"K" type:(type_constraint type_identifier"comparable")) (type_parameter_declaration name:identifier"V" type:(type_constraint (negated_type `~` type_identifier"int") `|` type_identifier"string"))) type:(map_type `map` key:type_identifier"K" value:type_identifier"V")))',
      '(function_declaration `func` name:identifier"Map" type_parameters:(type_parameter_list (type_parameter_declaration name:identifier"S" type:(type_constraint (negated_type `~` (slice_type element:type_identifier"E")))) (type_parameter_declaration name:identifier"E" type:(type_constraint type_identifier"any"))) parameters:(parameter_list (parameter_declaration name:identifier"s" type:type_identifier"S")) result:type_identifier"S" body:(block (statement_list (return_statement `return` (expression_list identifier"s")))))',
      '(type_declaration `type` (type_alias name:type_identifier"A" `=` type:(generic_type type:type_identifier"List" type_arguments:(type_arguments (type_elem type_identifier"int")))))',
    ]);
  });

  it('the `[` after a type name: array length or type parameter list, decided as go/parser does', () => {
    const ty = (src: string): string => (decls(src)[0] as string).replace(/^\(type_declaration `type` /, '');
    // A constant expression: an array type.
    expect(ty('type A [N]int')).toBe('(type_spec name:type_identifier"A" type:(array_type length:identifier"N" element:type_identifier"int")))');
    expect(ty('type A [N * 2]int')).toMatch(/^\(type_spec name:type_identifier"A" type:\(array_type length:\(binary_expression/);
    // `P *C` with a type literal after the star, or a comma: type parameters.
    expect(ty('type T[P *C,] struct{}')).toMatch(/type_parameters:\(type_parameter_list \(type_parameter_declaration name:identifier"P" type:\(type_constraint \(pointer_type `\*` type_identifier"C"\)\)\)\)/);
    expect(ty('type T[P *[]int] struct{}')).toMatch(/type_parameters:\(type_parameter_list \(type_parameter_declaration name:identifier"P" type:\(type_constraint \(pointer_type/);
    expect(ty('type T[P interface{ M() }] int')).toMatch(/type_constraint \(interface_type/);
  });
});

describe('expressions', () => {
  it('calls, selectors, conversions of type literals, parenthesized pointer conversions', () => {
    expect(expr('pkg.F(a, b...)')).toBe('(call_expression function:(selector_expression operand:identifier"pkg" field:field_identifier"F") arguments:(argument_list identifier"a" (variadic_argument identifier"b" `...`)))');
    expect(expr('[]byte(s)')).toBe('(type_conversion_expression type:(slice_type element:type_identifier"byte") operand:identifier"s")');
    expect(expr('(*T)(p)')).toBe('(call_expression function:(parenthesized_expression (unary_expression operator:`*` operand:identifier"T")) arguments:(argument_list identifier"p"))');
    expect(expr('(*[4]byte)(p)')).toBe('(type_conversion_expression type:(parenthesized_type (pointer_type `*` (array_type length:int_literal"4" element:type_identifier"byte"))) operand:identifier"p")');
  });

  it('index, slice (2 and 3 indices), generic instantiation with one and several type arguments', () => {
    expect(expr('a[i]')).toBe('(index_expression operand:identifier"a" index:identifier"i")');
    expect(expr('a[:n]')).toBe('(slice_expression operand:identifier"a" `:` end:identifier"n")');
    expect(expr('a[i:j:k]')).toBe('(slice_expression operand:identifier"a" start:identifier"i" `:` end:identifier"j" `:` capacity:identifier"k")');
    // f[int](x) is an index or an instantiation (go/parser cannot tell either): a call of an index expression.
    expect(expr('f[int](x)')).toBe('(call_expression function:(index_expression operand:identifier"f" index:identifier"int") arguments:(argument_list identifier"x"))');
    expect(expr('f[K, V](x)')).toBe('(call_expression function:(type_instantiation_expression type:identifier"f" type_identifier"K" type_identifier"V") arguments:(argument_list identifier"x"))');
  });

  it('composite literals: named, qualified, generic, slice, map and elided element types; keyed elements', () => {
    expect(expr('T{a: 1, 2}')).toBe('(composite_literal type:type_identifier"T" body:(literal_value (keyed_element key:(literal_element identifier"a") `:` value:(literal_element int_literal"1")) (literal_element int_literal"2")))');
    expect(expr('pkg.T{}')).toBe('(composite_literal type:(qualified_type package:package_identifier"pkg" name:type_identifier"T") body:(literal_value))');
    expect(expr('List[int]{}')).toBe('(composite_literal type:(generic_type type:type_identifier"List" type_arguments:(type_arguments (type_elem type_identifier"int"))) body:(literal_value))');
    expect(expr('[]T{{1}}')).toBe('(composite_literal type:(slice_type element:type_identifier"T") body:(literal_value (literal_element (literal_value (literal_element int_literal"1")))))');
    expect(expr('map[string]int{"a": 1}')).toMatch(/^\(composite_literal type:\(map_type `map` key:type_identifier"string" value:type_identifier"int"\)/);
    expect(expr('[...]int{1}')).toMatch(/^\(composite_literal type:\(implicit_length_array_type `\.\.\.` element:type_identifier"int"\)/);
  });

  it('no composite literal in a control clause: the `{` opens the block (go/parser exprLev)', () => {
    expect(stmts('if x == y {\n}')[0]).toBe('(if_statement `if` condition:(binary_expression left:identifier"x" operator:`==` right:identifier"y") consequence:(block))');
    expect(stmts('if x == (T{}) {\n}')[0]).toMatch(/right:\(parenthesized_expression \(composite_literal type:type_identifier"T"/);
  });

  it('unary and binary operators with Go precedence; receive; channel types in both directions', () => {
    expect(expr('a + b*c == d && !e')).toBe('(binary_expression left:(binary_expression left:(binary_expression left:identifier"a" operator:`+` right:(binary_expression left:identifier"b" operator:`*` right:identifier"c")) operator:`==` right:identifier"d") operator:`&&` right:(unary_expression operator:`!` operand:identifier"e"))');
    expect(expr('<-ch')).toBe('(unary_expression operator:`<-` operand:identifier"ch")');
    expect(expr('make(<-chan int)')).toBe('(call_expression function:identifier"make" arguments:(argument_list (channel_type `<-` `chan` value:type_identifier"int")))');
    expect(expr('make(chan<- chan int, 1)')).toBe('(call_expression function:identifier"make" arguments:(argument_list (channel_type `chan` `<-` value:(channel_type `chan` value:type_identifier"int")) int_literal"1"))');
  });

  it('new and make read a type-shaped first argument as a type; Go 1.26 new(expr) keeps the expression', () => {
    expect(expr('new(T)')).toBe('(call_expression function:identifier"new" arguments:(argument_list type_identifier"T"))');
    expect(expr('new(pkg.T)')).toBe('(call_expression function:identifier"new" arguments:(argument_list (qualified_type package:package_identifier"pkg" name:type_identifier"T")))');
    expect(expr('make([]T, n)')).toBe('(call_expression function:identifier"make" arguments:(argument_list (slice_type element:type_identifier"T") identifier"n"))');
    expect(expr('new(int64(300))')).toBe('(call_expression function:identifier"new" arguments:(argument_list (call_expression function:identifier"int64" arguments:(argument_list int_literal"300"))))');
    // Only `new` and `make` themselves: runtime's newm(sysmon, nil, -1) passes a function value.
    expect(expr('newm(sysmon, nil)')).toBe('(call_expression function:identifier"newm" arguments:(argument_list identifier"sysmon" nil"nil"))');
    expect(expr('mak(T)')).toBe('(call_expression function:identifier"mak" arguments:(argument_list identifier"T"))');
  });

  it('function literals and types; type assertions', () => {
    expect(expr('func(x int) bool { return x > 0 }')).toMatch(/^\(func_literal `func` parameters:\(parameter_list \(parameter_declaration name:identifier"x" type:type_identifier"int"\)\) result:type_identifier"bool" body:\(block/);
    expect(expr('x.(io.Reader)')).toBe('(type_assertion_expression operand:identifier"x" type:(qualified_type package:package_identifier"io" name:type_identifier"Reader"))');
  });
});

describe('statements', () => {
  it('assignments, short variable declarations, inc/dec, send, expression statements', () => {
    expect(stmts('a, b := 1, 2\na += 3\ni++\nch <- v\nf()')).toEqual([
      '(short_var_declaration left:(expression_list identifier"a" identifier"b") `:=` right:(expression_list int_literal"1" int_literal"2"))',
      '(assignment_statement left:(expression_list identifier"a") operator:`+=` right:(expression_list int_literal"3"))',
      '(inc_statement identifier"i" `++`)',
      '(send_statement channel:identifier"ch" `<-` value:identifier"v")',
      '(expression_statement (call_expression function:identifier"f" arguments:(argument_list)))',
    ]);
  });

  it('go, defer, return, labels, goto, break/continue with labels, fallthrough', () => {
    expect(stmts('go f()\ndefer g()\nL:\n\tfor {\n\t\tbreak L\n\t}\ngoto L\nswitch {\ncase true:\n\tfallthrough\ndefault:\n}\nreturn')).toEqual([
      '(go_statement `go` (call_expression function:identifier"f" arguments:(argument_list)))',
      '(defer_statement `defer` (call_expression function:identifier"g" arguments:(argument_list)))',
      '(labeled_statement label:label_name"L" `:` (for_statement `for` body:(block (statement_list (break_statement `break` label_name"L")))))',
      '(goto_statement `goto` label_name"L")',
      '(expression_switch_statement `switch` (expression_case `case` value:(expression_list true"true") `:` (statement_list (fallthrough_statement `fallthrough`))) (default_case `default` `:`))',
      '(return_statement `return`)',
    ]);
  });

  it('if with initializer and else-if chain', () => {
    expect(stmts('if x := f(); x > 0 {\n} else if y {\n} else {\n}')[0]).toBe(
      '(if_statement `if` initializer:(short_var_declaration left:(expression_list identifier"x") `:=` right:(expression_list (call_expression function:identifier"f" arguments:(argument_list)))) condition:(binary_expression left:identifier"x" operator:`>` right:int_literal"0") consequence:(block) `else` alternative:(if_statement `if` condition:identifier"y" consequence:(block) `else` alternative:(block)))',
    );
  });

  it('for: clauses, conditions, range over slices, integers and functions (Go 1.22, 1.23), for range x', () => {
    expect(stmts('for i := 0; i < n; i++ {\n}\nfor x {\n}\nfor k, v := range m {\n}\nfor i := range 10 {\n}\nfor x := range seq {\n}\nfor range ch {\n}\nfor ;; {\n}')).toEqual([
      '(for_statement `for` (for_clause initializer:(short_var_declaration left:(expression_list identifier"i") `:=` right:(expression_list int_literal"0")) condition:(binary_expression left:identifier"i" operator:`<` right:identifier"n") update:(inc_statement identifier"i" `++`)) body:(block))',
      '(for_statement `for` identifier"x" body:(block))',
      '(for_statement `for` (range_clause left:(expression_list identifier"k" identifier"v") `:=` `range` right:identifier"m") body:(block))',
      '(for_statement `for` (range_clause left:(expression_list identifier"i") `:=` `range` right:int_literal"10") body:(block))',
      '(for_statement `for` (range_clause left:(expression_list identifier"x") `:=` `range` right:identifier"seq") body:(block))',
      '(for_statement `for` (range_clause `range` right:identifier"ch") body:(block))',
      '(for_statement `for` (for_clause) body:(block))',
    ]);
  });

  it('type switches with and without a bound variable, nil and multi-type cases', () => {
    expect(stmts('switch v := x.(type) {\ncase nil, int:\ncase *T:\n}\nswitch x.(type) {\n}')).toEqual([
      '(type_switch_statement `switch` alias:(expression_list identifier"v") `:=` value:identifier"x" `type` (type_case `case` type:type_identifier"nil" type:type_identifier"int" `:`) (type_case `case` type:(pointer_type `*` type_identifier"T") `:`))',
      '(type_switch_statement `switch` value:identifier"x" `type`)',
    ]);
  });

  it('select: receive with and without assignment, send, default', () => {
    expect(stmts('select {\ncase v, ok := <-c:\ncase <-d:\ncase e <- 1:\ndefault:\n}')[0]).toBe(
      '(select_statement `select` (communication_case `case` communication:(receive_statement left:(expression_list identifier"v" identifier"ok") `:=` right:(unary_expression operator:`<-` operand:identifier"c")) `:`) (communication_case `case` communication:(receive_statement right:(unary_expression operator:`<-` operand:identifier"d")) `:`) (communication_case `case` communication:(send_statement channel:identifier"e" `<-` value:int_literal"1") `:`) (default_case `default` `:`))',
    );
  });

  it('declarations inside functions, blocks, empty statements, a label before the closing brace', () => {
    expect(stmts('var x = 1\ntype T int\nconst c = 2\n{\n}\n;\nL:')).toEqual([
      '(var_declaration `var` (var_spec name:identifier"x" `=` value:(expression_list int_literal"1")))',
      '(type_declaration `type` (type_spec name:type_identifier"T" type:type_identifier"int"))',
      '(const_declaration `const` (const_spec name:identifier"c" `=` value:(expression_list int_literal"2")))',
      '(block)',
      'empty_statement";"',
      '(labeled_statement label:label_name"L" `:`)',
    ]);
  });
});

describe('positions and links', () => {
  it('offsets are UTF-16 units of the text; every child links to its parent', () => {
    const text = 'package p\nvar s = "é😀"; var n = 1\n';
    const r = parseGo(text);
    const lit = (r.decls[2] as Node).children[1]?.children.find((c) => c.field === 'value')?.children[0] as Node;
    expect(text.slice(lit.start, lit.end)).toBe('1');
    const check = (n: Node): void => {
      for (const c of n.children) {
        expect(c.parent).toBe(n);
        expect(c.start).toBeGreaterThanOrEqual(n.start);
        expect(c.end).toBeLessThanOrEqual(n.end);
        check(c);
      }
    };
    for (const d of r.decls) check(d);
  });
});

describe('syntax errors', () => {
  it('one per line, at go/parser positions, with compiler-style messages; recovery keeps the next statements and declarations', () => {
    const text = 'package p\nfunc f() {\n\tx := := 1\n\tgo g()\n\tif {\n\t}\n}\nfunc h() { for }\nfunc ok() {}\n';
    const r = parseGo(text);
    const at = (o: number): string => `${text.slice(0, o).split('\n').length}:${o - text.lastIndexOf('\n', o - 1)}`;
    expect(r.errors.map((e) => `${at(e.offset)} ${e.message}`)).toEqual([
      '3:7 syntax error: unexpected :=, expected expression',
      '5:5 syntax error: missing condition in if statement',
      '8:16 syntax error: unexpected }, expected expression',
    ]);
    const names = r.decls.filter((d) => d.type === 'function_declaration').map((d) => text.slice(d.children[1]?.start, d.children[1]?.end));
    expect(names).toEqual(['f', 'h', 'ok']);
    // The go statement after the broken line is in the tree.
    const body = (r.decls[1] as Node).children.find((c) => c.field === 'body') as Node;
    expect(body.children[0]?.children.map((s) => s.type)).toContain('go_statement');
  });

  it('never throws and stops at a nesting depth no real code reaches', () => {
    const deep = `package p\nvar x = ${'('.repeat(5000)}1${')'.repeat(5000)}\n`;
    const r = parseGo(deep);
    expect(r.errors.map((e) => e.message)).toEqual(['syntax error: exceeded max nesting depth']);
  });
});

describe('skipBodies', () => {
  const text = [
    'package p',
    'type T struct{ f func() int }',
    'func (t *T) M(x int) (int, error) {',
    '\tif x > 0 { return x, nil }',
    '\ts := "}{" + `{` // }',
    "\t_ = '}'",
    '\treturn 0, nil',
    '}',
    'var h = func(y string) bool { return y == "{" }',
    'func g[P any](p P) {}',
    'func decl() int',
    '',
  ].join('\n');

  it('keeps signatures, types and initialisers; each body is an empty block spanning its braces (braces in strings, runes and comments do not count)', () => {
    const full = parseGo(text);
    const skip = parseGo(text, { skipBodies: true });
    expect(full.errors).toEqual([]);
    expect(skip.errors).toEqual([]);
    const bodies = (r: typeof full): Node[] => {
      const out: Node[] = [];
      const visit = (n: Node): void => {
        if (n.field === 'body') out.push(n);
        n.children.forEach(visit);
      };
      r.decls.forEach(visit);
      return out;
    };
    // The same bodies at the same offsets, without statements when skipped.
    expect(bodies(skip).map((b) => [b.type, b.start, b.end])).toEqual(bodies(full).map((b) => [b.type, b.start, b.end]));
    expect(bodies(full).every((b) => b.children.length > 0 || b.end - b.start === 2)).toBe(true);
    expect(bodies(skip).every((b) => b.children.length === 0 && text[b.start] === '{' && text[b.end - 1] === '}')).toBe(true);
    // Everything outside the bodies is the same tree.
    const strip = (n: Node): string => (n.field === 'body' ? 'body:(block)' : n.named ? `${n.field ?? ''}(${[n.type, ...n.children.map(strip)].join(' ')})` : n.type);
    expect(skip.decls.map(strip)).toEqual(full.decls.map(strip));
  });

  it('an unclosed body ends at the end of the text, with the error go/parser reports there', () => {
    const text = 'package p\nfunc f() {\n\tif x {\n';
    const r = parseGo(text, { skipBodies: true });
    expect(r.errors).toEqual(parseGo(text).errors);
    expect(r.errors.map((e) => e.message)).toEqual(['syntax error: unexpected EOF, expected }']);
    const f = r.decls[1] as Node;
    expect(f.children.find((c) => c.field === 'body')?.end).toBe(r.decls[1]?.end);
  });
});

describe('warm-up file', () => {
  it('parses without errors and takes the paths real files take (generics, every statement, literal and type form)', () => {
    const r = parseGo(WARMUP_SOURCE);
    expect(r.errors).toEqual([]);
    const seen = new Set<string>();
    const visit = (n: Node): void => {
      seen.add(n.type);
      n.children.forEach(visit);
    };
    r.decls.forEach(visit);
    for (const t of [
      'type_parameter_list', 'generic_type', 'type_elem', 'negated_type', 'variadic_parameter_declaration', 'method_declaration',
      'select_statement', 'type_switch_statement', 'expression_switch_statement', 'labeled_statement', 'goto_statement', 'fallthrough_statement',
      'range_clause', 'go_statement', 'defer_statement', 'send_statement', 'inc_statement', 'slice_expression', 'type_assertion_expression',
      'composite_literal', 'keyed_element', 'func_literal', 'channel_type', 'map_type', 'array_type', 'implicit_length_array_type',
      'imaginary_literal', 'float_literal', 'rune_literal', 'raw_string_literal', 'type_conversion_expression', 'parenthesized_type', 'empty_statement',
    ]) expect(seen, t).toContain(t);
  });
});
