// Reproduces context-cancel-not-called: WithCancel under a custom parent context whose
// cancel function is dropped, so propagateCancel's goroutine waits forever.
package main

import (
	"context"

	"example.com/leakscope-signatures/common"
)

// requestCtx overrides Done, so the context package cannot hook into it directly and
// starts a goroutine per child instead.
type requestCtx struct {
	context.Context
	done chan struct{}
}

func (c requestCtx) Done() <-chan struct{} { return c.done }

func handle(parent context.Context) {
	ctx, _ := context.WithCancel(parent) // the cancel function is dropped
	_ = ctx
}

func main() {
	parent := requestCtx{Context: context.Background(), done: make(chan struct{})}
	for i := 0; i < 30; i++ {
		handle(parent)
	}
	common.ServePprof()
}
