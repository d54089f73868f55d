// Loops that count the wins of the other select cases up to a bound the test fixes: a
// constant, or a field of the row of a table-driven test whose rows are literals with
// known values. At most that many timers are left unfired, so nothing piles up. Each
// negative has a positive twin where the bound or the count is not known. (The shapes are
// those of tests, in a non-test file: test files are not checked by this rule, see
// testfiles_test.go.)
package a

import (
	"testing"
	"time"
)

func TestRowsForClause(t *testing.T) {
	tests := []struct {
		name string
		runs int
	}{
		{name: "one", runs: 1},
		{name: "three", runs: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ran := make(chan struct{}, 4)
			for i := 0; i < tt.runs; i++ {
				select {
				case <-ran:
				case <-time.After(time.Second):
					t.Fatal("timed out")
				}
			}
		})
	}
}

func TestRowsCounterCondition(t *testing.T) {
	tests := []struct {
		name     string
		interval time.Duration
		runCount int
	}{
		{"reschedule", 100 * time.Millisecond, 3},
		{"wait", 50 * time.Millisecond, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ran := make(chan struct{}, 10)
			var runCount int
			for runCount < tt.runCount {
				select {
				case <-ran:
					runCount++
				case <-time.After(tt.interval * 10):
					t.Fatalf("timed out waiting for jobs to run")
				}
			}
		})
	}
}

func TestRowsCounterBreak(t *testing.T) {
	for _, tt := range []struct {
		name  string
		count int
		check func(*testing.T)
	}{
		{name: "two", count: 2, check: func(*testing.T) {}},
		{name: "none"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.check != nil {
				tt.check(t) // calling a func field cannot change the row
			}
			done := make(chan struct{}, 4)
			var doneCount int
		DoneLoop:
			for {
				select {
				case <-done:
					doneCount++
					if doneCount >= tt.count {
						break DoneLoop
					}
				case <-time.After(3 * time.Second):
					t.Error("timed out waiting for shutdown")
					break DoneLoop
				}
			}
		})
	}
}

// A row whose bound is computed at run time: the number of iterations is not known.
func rowLimit() int { return 5 }

func TestRowsUnknownValue(t *testing.T) {
	tests := []struct {
		name string
		runs int
	}{
		{name: "dynamic", runs: rowLimit()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ran := make(chan struct{}, 4)
			for i := 0; i < tt.runs; i++ {
				select {
				case <-ran:
				case <-time.After(time.Second): // want "creates a new timer on every iteration"
					t.Fatal("timed out")
				}
			}
		})
	}
}

// The table grows at run time: its rows are not only the literal's.
func TestRowsAppended(t *testing.T) {
	tests := []struct{ runs int }{{runs: 2}}
	tests = append(tests, struct{ runs int }{runs: rowLimit()})
	for _, tt := range tests {
		ran := make(chan struct{}, 4)
		for i := 0; i < tt.runs; i++ {
			select {
			case <-ran:
			case <-time.After(time.Second): // want "creates a new timer on every iteration"
				t.Fatal("timed out")
			}
		}
	}
}

// A case that wins without stepping the counter repeats without bound.
func TestRowsCounterNotStepped(t *testing.T) {
	tests := []struct{ runs int }{{runs: 2}}
	for _, tt := range tests {
		ran := make(chan struct{}, 4)
		ping := make(chan struct{}, 4)
		var n int
		for n < tt.runs {
			select {
			case <-ran:
				n++
			case <-ping:
			case <-time.After(time.Second): // want "creates a new timer on every iteration"
				t.Fatal("timed out")
			}
		}
	}
}

// The counter is reset inside the loop: it does not count the wins.
func TestRowsCounterReset(t *testing.T) {
	ran := make(chan int, 4)
	var n int
	for n < 3 {
		select {
		case v := <-ran:
			n++
			if v == 0 {
				n = 0
			}
		case <-time.After(time.Second): // want "creates a new timer on every iteration"
			t.Fatal("timed out")
		}
	}
}

// The break leaves only the select, not the loop.
func TestRowsCounterBreakSelect(t *testing.T) {
	done := make(chan struct{}, 4)
	var n int
	for {
		select {
		case <-done:
			n++
			if n >= 2 {
				break
			}
		case <-time.After(time.Second): // want "creates a new timer on every iteration"
			t.Error("timed out")
			return
		}
	}
}
