// Command goparse is the reference side of leakscope's differential parser tests.
//
// It parses Go files with go/parser and prints, for each file, a canonical listing of
// the syntax tree that leakscope's own parser (src/go/parser) must reproduce: one line
// per node in pre-order, "Kind [attr] start end" with byte offsets, "-" for an absent
// child whose absence is not visible from positions alone, and "Comment start" for each
// comment. The TypeScript side (test/go/canonical.ts) writes the same format from its
// tree-sitter-vocabulary nodes; the two must be equal line for line.
//
// Usage:
//
//	goparse hash  < files   one line per file: "path<TAB>sha256<TAB>lines", or "path<TAB>ERROR<TAB>msg"
//	goparse dump  file...   the full listing of each file
//	goparse errors < files  one line per file: "path<TAB>offset<TAB>message" of go/parser's first
//	                        error (byte offset, before //line adjustment), or "path<TAB>-1<TAB>" if none
package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"os"
	"strconv"
	"strings"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: goparse hash|dump|errors")
		os.Exit(2)
	}
	out := bufio.NewWriterSize(os.Stdout, 1<<16)
	defer out.Flush()
	switch os.Args[1] {
	case "hash":
		in := bufio.NewScanner(os.Stdin)
		in.Buffer(make([]byte, 1<<20), 1<<20)
		for in.Scan() {
			path := in.Text()
			listing, err := list(path)
			if err != nil {
				fmt.Fprintf(out, "%s\tERROR\t%s\n", path, strings.ReplaceAll(err.Error(), "\n", " "))
				continue
			}
			sum := sha256.Sum256([]byte(listing))
			fmt.Fprintf(out, "%s\t%s\t%d\n", path, hex.EncodeToString(sum[:]), strings.Count(listing, "\n"))
		}
	case "dump":
		for _, path := range os.Args[2:] {
			listing, err := list(path)
			if err != nil {
				fmt.Fprintf(out, "ERROR %v\n", err)
				continue
			}
			out.WriteString(listing)
		}
	case "errors":
		in := bufio.NewScanner(os.Stdin)
		in.Buffer(make([]byte, 1<<20), 1<<20)
		for in.Scan() {
			path := in.Text()
			src, err := os.ReadFile(path)
			if err != nil {
				fmt.Fprintf(out, "%s\t-2\t%v\n", path, err)
				continue
			}
			_, err = parser.ParseFile(token.NewFileSet(), path, src, parser.SkipObjectResolution)
			if list, ok := err.(scanner.ErrorList); ok && len(list) > 0 {
				fmt.Fprintf(out, "%s\t%d\t%s\n", path, list[0].Pos.Offset, strings.ReplaceAll(list[0].Msg, "\n", " "))
			} else if err != nil {
				fmt.Fprintf(out, "%s\t-2\t%v\n", path, err)
			} else {
				fmt.Fprintf(out, "%s\t-1\t\n", path)
			}
		}
	default:
		fmt.Fprintln(os.Stderr, "usage: goparse hash|dump|errors")
		os.Exit(2)
	}
}

func list(path string) (string, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return "", err
	}
	d := &dumper{file: fset.File(f.Pos())}
	d.line("Package", f.Package, f.Name.End())
	for _, decl := range f.Decls {
		d.decl(decl)
	}
	for _, g := range f.Comments {
		for _, c := range g.List {
			fmt.Fprintf(&d.b, "Comment %d\n", d.off(c.Slash))
		}
	}
	return d.b.String(), nil
}

type dumper struct {
	file *token.File
	b    strings.Builder
}

func (d *dumper) off(p token.Pos) int { return d.file.Offset(p) }

func (d *dumper) line(kind string, s, e token.Pos, attrs ...string) {
	d.b.WriteString(kind)
	for _, a := range attrs {
		d.b.WriteByte(' ')
		d.b.WriteString(a)
	}
	end := -1
	if e.IsValid() {
		end = d.off(e)
	}
	fmt.Fprintf(&d.b, " %d %d\n", d.off(s), end)
}

func (d *dumper) none() { d.b.WriteString("-\n") }

func (d *dumper) decl(decl ast.Decl) {
	switch x := decl.(type) {
	case *ast.GenDecl:
		d.line("GenDecl", x.Pos(), x.End(), x.Tok.String())
		for _, s := range x.Specs {
			d.spec(s)
		}
	case *ast.FuncDecl:
		d.line("FuncDecl", x.Pos(), x.End())
		if x.Recv != nil {
			d.fieldList(x.Recv)
		}
		d.expr(x.Name)
		d.funcType(x.Type)
		if x.Body != nil {
			d.stmt(x.Body)
		}
	default:
		panic(fmt.Sprintf("unexpected decl %T", decl))
	}
}

func (d *dumper) spec(s ast.Spec) {
	switch x := s.(type) {
	case *ast.ImportSpec:
		d.line("ImportSpec", x.Pos(), x.End())
		if x.Name != nil {
			d.expr(x.Name)
		}
		d.expr(x.Path)
	case *ast.ValueSpec:
		d.line("ValueSpec", x.Pos(), x.End())
		for _, n := range x.Names {
			d.expr(n)
		}
		d.opt(x.Type)
		for _, v := range x.Values {
			d.expr(v)
		}
	case *ast.TypeSpec:
		attr := "def"
		if x.Assign.IsValid() {
			attr = "alias"
		}
		d.line("TypeSpec", x.Pos(), x.End(), attr)
		d.expr(x.Name)
		if x.TypeParams != nil {
			d.fieldList(x.TypeParams)
		}
		d.expr(x.Type)
	}
}

// fieldList prints a list with its brackets as "FieldList", one without (an unparenthesized
// result) as its fields only.
func (d *dumper) fieldList(l *ast.FieldList) {
	if l.Opening.IsValid() {
		d.line("FieldList", l.Opening, l.End())
	}
	for _, f := range l.List {
		d.line("Field", f.Pos(), f.End())
		for _, n := range f.Names {
			d.expr(n)
		}
		d.expr(f.Type)
		if f.Tag != nil {
			d.expr(f.Tag)
		}
	}
}

func (d *dumper) funcType(t *ast.FuncType) {
	d.line("FuncType", t.Pos(), t.End())
	if t.TypeParams != nil {
		d.fieldList(t.TypeParams)
	}
	d.fieldList(t.Params)
	if t.Results != nil {
		d.fieldList(t.Results)
	}
}

func (d *dumper) opt(e ast.Expr) {
	if e == nil {
		d.none()
	} else {
		d.expr(e)
	}
}

func (d *dumper) optStmt(s ast.Stmt) {
	if s == nil {
		d.none()
	} else {
		d.stmt(s)
	}
}

func (d *dumper) expr(e ast.Expr) {
	switch x := e.(type) {
	case *ast.Ident:
		d.line("Ident", x.Pos(), x.End())
	case *ast.BasicLit:
		d.line("BasicLit", x.Pos(), x.End(), x.Kind.String())
	case *ast.CompositeLit:
		d.line("CompositeLit", x.Pos(), x.End())
		if x.Type != nil {
			d.expr(x.Type)
		}
		for _, el := range x.Elts {
			d.expr(el)
		}
	case *ast.FuncLit:
		d.line("FuncLit", x.Pos(), x.End())
		d.funcType(x.Type)
		d.stmt(x.Body)
	case *ast.ParenExpr:
		d.line("ParenExpr", x.Pos(), x.End())
		d.expr(x.X)
	case *ast.SelectorExpr:
		d.line("SelectorExpr", x.Pos(), x.End())
		d.expr(x.X)
		d.expr(x.Sel)
	case *ast.IndexExpr:
		d.line("IndexExpr", x.Pos(), x.End())
		d.expr(x.X)
		d.expr(x.Index)
	case *ast.IndexListExpr:
		d.line("IndexListExpr", x.Pos(), x.End())
		d.expr(x.X)
		for _, i := range x.Indices {
			d.expr(i)
		}
	case *ast.SliceExpr:
		d.line("SliceExpr", x.Pos(), x.End())
		d.expr(x.X)
		d.opt(x.Low)
		d.opt(x.High)
		d.opt(x.Max)
	case *ast.TypeAssertExpr:
		if x.Type == nil {
			// x.(type) in a type switch: the other side does not keep the ')' position.
			d.line("TypeAssertExpr", x.Pos(), token.NoPos)
		} else {
			d.line("TypeAssertExpr", x.Pos(), x.End())
		}
		d.expr(x.X)
		d.opt(x.Type)
	case *ast.CallExpr:
		if x.Ellipsis.IsValid() {
			d.line("CallExpr", x.Pos(), x.End(), "...")
		} else {
			d.line("CallExpr", x.Pos(), x.End())
		}
		d.expr(x.Fun)
		for _, a := range x.Args {
			d.expr(a)
		}
	case *ast.StarExpr:
		d.line("StarExpr", x.Pos(), x.End())
		d.expr(x.X)
	case *ast.UnaryExpr:
		d.line("UnaryExpr", x.Pos(), x.End(), x.Op.String())
		d.expr(x.X)
	case *ast.BinaryExpr:
		d.line("BinaryExpr", x.Pos(), x.End(), x.Op.String())
		d.expr(x.X)
		d.expr(x.Y)
	case *ast.KeyValueExpr:
		d.line("KeyValueExpr", x.Pos(), x.End())
		d.expr(x.Key)
		d.expr(x.Value)
	case *ast.Ellipsis:
		d.line("Ellipsis", x.Pos(), x.End())
		if x.Elt != nil {
			d.expr(x.Elt)
		}
	case *ast.ArrayType:
		d.line("ArrayType", x.Pos(), x.End())
		d.opt(x.Len)
		d.expr(x.Elt)
	case *ast.StructType:
		d.line("StructType", x.Pos(), x.End())
		d.fieldList(x.Fields)
	case *ast.FuncType:
		d.funcType(x)
	case *ast.InterfaceType:
		d.line("InterfaceType", x.Pos(), x.End())
		// The other side has no node for the braces: list the elements only.
		for _, f := range x.Methods.List {
			d.line("Field", f.Pos(), f.End())
			for _, n := range f.Names {
				d.expr(n)
			}
			d.expr(f.Type)
		}
	case *ast.MapType:
		d.line("MapType", x.Pos(), x.End())
		d.expr(x.Key)
		d.expr(x.Value)
	case *ast.ChanType:
		d.line("ChanType", x.Pos(), x.End(), strconv.Itoa(int(x.Dir)))
		d.expr(x.Value)
	case *ast.BadExpr:
		d.line("Bad", x.Pos(), x.End())
	default:
		panic(fmt.Sprintf("unexpected expr %T", e))
	}
}

func (d *dumper) stmt(s ast.Stmt) {
	switch x := s.(type) {
	case *ast.DeclStmt:
		d.decl(x.Decl)
	case *ast.EmptyStmt:
		if !x.Implicit {
			d.line("EmptyStmt", x.Pos(), x.End())
		}
	case *ast.LabeledStmt:
		end := x.End()
		if e, ok := x.Stmt.(*ast.EmptyStmt); ok && e.Implicit {
			end = x.Colon + 1
		}
		d.line("LabeledStmt", x.Pos(), end)
		d.expr(x.Label)
		d.stmt(x.Stmt)
	case *ast.ExprStmt:
		d.line("ExprStmt", x.Pos(), x.End())
		d.expr(x.X)
	case *ast.SendStmt:
		d.line("SendStmt", x.Pos(), x.End())
		d.expr(x.Chan)
		d.expr(x.Value)
	case *ast.IncDecStmt:
		d.line("IncDecStmt", x.Pos(), x.End(), x.Tok.String())
		d.expr(x.X)
	case *ast.AssignStmt:
		d.line("AssignStmt", x.Pos(), x.End(), x.Tok.String())
		for _, l := range x.Lhs {
			d.expr(l)
		}
		for _, r := range x.Rhs {
			d.expr(r)
		}
	case *ast.GoStmt:
		d.line("GoStmt", x.Pos(), x.End())
		d.expr(x.Call)
	case *ast.DeferStmt:
		d.line("DeferStmt", x.Pos(), x.End())
		d.expr(x.Call)
	case *ast.ReturnStmt:
		d.line("ReturnStmt", x.Pos(), x.End())
		for _, r := range x.Results {
			d.expr(r)
		}
	case *ast.BranchStmt:
		d.line("BranchStmt", x.Pos(), x.End(), x.Tok.String())
		if x.Label != nil {
			d.expr(x.Label)
		}
	case *ast.BlockStmt:
		d.line("BlockStmt", x.Pos(), x.End())
		for _, st := range x.List {
			d.stmt(st)
		}
	case *ast.IfStmt:
		d.line("IfStmt", x.Pos(), x.End())
		d.optStmt(x.Init)
		d.expr(x.Cond)
		d.stmt(x.Body)
		d.optStmt(x.Else)
	case *ast.CaseClause:
		d.line("CaseClause", x.Pos(), x.End())
		for _, e := range x.List {
			d.expr(e)
		}
		for _, st := range x.Body {
			d.stmt(st)
		}
	case *ast.SwitchStmt:
		d.line("SwitchStmt", x.Pos(), x.End())
		d.optStmt(x.Init)
		d.opt(x.Tag)
		for _, c := range x.Body.List {
			d.stmt(c)
		}
	case *ast.TypeSwitchStmt:
		d.line("TypeSwitchStmt", x.Pos(), x.End())
		d.optStmt(x.Init)
		// The guard ends at the ')' of x.(type), which the other side does not keep.
		switch g := x.Assign.(type) {
		case *ast.AssignStmt:
			d.line("AssignStmt", g.Pos(), token.NoPos, g.Tok.String())
			d.expr(g.Lhs[0])
			d.expr(g.Rhs[0])
		case *ast.ExprStmt:
			d.line("ExprStmt", g.Pos(), token.NoPos)
			d.expr(g.X)
		}
		for _, c := range x.Body.List {
			d.stmt(c)
		}
	case *ast.CommClause:
		d.line("CommClause", x.Pos(), x.End())
		d.optStmt(x.Comm)
		for _, st := range x.Body {
			d.stmt(st)
		}
	case *ast.SelectStmt:
		d.line("SelectStmt", x.Pos(), x.End())
		for _, c := range x.Body.List {
			d.stmt(c)
		}
	case *ast.ForStmt:
		d.line("ForStmt", x.Pos(), x.End())
		d.optStmt(x.Init)
		d.opt(x.Cond)
		d.optStmt(x.Post)
		d.stmt(x.Body)
	case *ast.RangeStmt:
		d.line("RangeStmt", x.Pos(), x.End(), x.Tok.String())
		d.opt(x.Key)
		d.opt(x.Value)
		d.expr(x.X)
		d.stmt(x.Body)
	case *ast.BadStmt:
		d.line("Bad", x.Pos(), x.End())
	default:
		panic(fmt.Sprintf("unexpected stmt %T", s))
	}
}
