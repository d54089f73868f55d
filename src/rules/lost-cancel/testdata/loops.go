// Fixtures for lost-cancel: `defer cancel()` inside a loop that never ends — the
// deferred calls run only when the function returns, which it never does.
package a

import (
	"context"
	"time"
)

var jobs = make(chan string)

// serveForever: an endless loop with a deferred cancel per iteration.
func serveForever(parent context.Context) {
	for {
		ctx, cancel := context.WithTimeout(parent, time.Second)
		defer cancel() // want "inside a for loop with no way out" leakscope-vs-vet: differs: vet counts any defer as a use
		_, _ = fetch(ctx, "x")
	}
}

// rangeNeverClosed: nothing closes jobs, so the range never ends.
func rangeNeverClosed(parent context.Context) {
	for j := range jobs {
		ctx, cancel := context.WithCancel(parent)
		defer cancel() // want "inside the range over jobs, which nothing closes" leakscope-vs-vet: differs: vet counts any defer as a use
		_, _ = fetch(ctx, j)
	}
}

func feed() { jobs <- "a" }

// loopWithReturn (negative): the loop returns, so the function does and the cancels run.
func loopWithReturn(parent context.Context, keys []string) error {
	for {
		ctx, cancel := context.WithCancel(parent)
		defer cancel()
		if _, err := fetch(ctx, "k"); err != nil {
			return err
		}
	}
}

// loopOverSlice (negative): the loop ends; the cancels run (late) when the function returns.
func loopOverSlice(parent context.Context, keys []string) {
	for _, k := range keys {
		ctx, cancel := context.WithCancel(parent)
		defer cancel()
		_, _ = fetch(ctx, k)
	}
}

// rangeClosed (negative): the channel is closed somewhere, so the range ends.
func rangeClosed(parent context.Context, in chan string) {
	for k := range in {
		ctx, cancel := context.WithCancel(parent)
		defer cancel()
		_, _ = fetch(ctx, k)
	}
}

// perIterationCancel (negative): cancel at the end of each iteration.
func perIterationCancel(parent context.Context) {
	for j := range jobs {
		ctx, cancel := context.WithCancel(parent)
		_, _ = fetch(ctx, j)
		cancel()
	}
}
