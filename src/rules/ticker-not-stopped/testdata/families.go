package a

import (
	"fmt"
	"os"
	"time"
)

// False-positive families found in the Go standard library (bench/triage/chanB.md).

// Negative (family "ticker handed to a goroutine", os/exec/exec_test.go probe ticker):
// the goroutine keeps using the ticker after the function returns; it is not garbage.
func probe(every time.Duration) {
	ticker := time.NewTicker(every)
	go func() {
		for range ticker.C {
			if _, err := fmt.Fprintln(os.Stderr, "ok"); err != nil {
				os.Exit(1)
			}
		}
	}()
}

// Positive: a multi-line NewTicker (the fix inserts after the whole statement).
func multiLine(done <-chan struct{}) {
	t := time.NewTicker( // want "ticker \"t\" from time.NewTicker at line \\d+ is never stopped"
		time.Second,
	)
	for {
		select {
		case <-t.C:
		case <-done:
			return
		}
	}
}
