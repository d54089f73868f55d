// Reproduces sql-rows-not-closed: rows from QueryContext never closed. A minimal in-memory
// driver stands in for a real database (the leak is in database/sql, not in the driver).
package main

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"io"

	"example.com/leakscope-signatures/common"
)

type drv struct{}
type conn struct{}
type rows struct{ done bool }

func (drv) Open(string) (driver.Conn, error)     { return conn{}, nil }
func (conn) Prepare(string) (driver.Stmt, error) { return nil, driver.ErrSkip }
func (conn) Close() error                        { return nil }
func (conn) Begin() (driver.Tx, error)           { return nil, driver.ErrSkip }
func (conn) QueryContext(context.Context, string, []driver.NamedValue) (driver.Rows, error) {
	return &rows{}, nil
}
func (*rows) Columns() []string { return []string{"n"} }
func (*rows) Close() error      { return nil }
func (r *rows) Next(dest []driver.Value) error {
	if r.done {
		return io.EOF
	}
	r.done = true
	dest[0] = int64(1)
	return nil
}

func firstValue(ctx context.Context, db *sql.DB) int {
	rows, err := db.QueryContext(ctx, "SELECT n")
	if err != nil {
		panic(err)
	}
	var n int
	if rows.Next() {
		rows.Scan(&n)
	}
	return n // rows.Close() is never called
}

func main() {
	sql.Register("mem", drv{})
	db, _ := sql.Open("mem", "")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for i := 0; i < 30; i++ {
		firstValue(ctx, db)
	}
	common.ServePprof()
}
