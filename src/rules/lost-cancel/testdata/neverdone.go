// A cancel function missed on an early return, where the parent is never done
// (context.Background()/TODO()): the cancelCtx registers with no parent and starts no
// goroutine or timer, so when nothing used the context on that path nothing leaks. Still
// reported (go vet's lostcancel does), at info; the twins stay warnings.
package a

import (
	"context"
	"errors"
	"time"
)

type relay struct {
	ctx    context.Context
	cancel context.CancelFunc
	addr   string
}

// Close releases the relay's context.
func (r *relay) Close() { r.cancel() }

func dialRelay(addr string) (string, error) {
	if addr == "" {
		return "", errors.New("no address")
	}
	return addr, nil
}

// The parent is a local holding Background; the derived context is stored only on the
// success path (info).
func newRelay(addr string) *relay {
	ctx := context.Background()
	ctx, cancel := context.WithCancel(ctx) // want `the cancel function "cancel" from context.WithCancel is not called on every path: the return at line 36 is reached without calling it; the parent is never done`
	a, err := dialRelay(addr)
	if err != nil {
		return nil // leakscope-vs-vet: differs: vet's secondary "this return statement may be reached" diagnostic; leakscope reports only the definition line
	}
	return &relay{ctx: ctx, cancel: cancel, addr: a}
}

// Background directly, TODO directly (info).
func newRelayTODO(addr string) *relay {
	ctx, stop := context.WithCancel(context.TODO()) // want `the cancel function "stop" from context.WithCancel is not called on every path: the return at line 45 is reached without calling it; the parent is never done`
	if _, err := dialRelay(addr); err != nil {
		return nil // leakscope-vs-vet: differs: vet's secondary "this return statement may be reached" diagnostic; leakscope reports only the definition line
	}
	return &relay{ctx: ctx, cancel: stop, addr: addr}
}

// WithTimeout arms a timer that runs until the deadline: still a leak (warning twin).
func newTimedRelay(addr string) *relay {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // want `the cancel function "cancel" from context.WithTimeout is not called on every path: the return at line 55 is reached without calling it \(possible context leak\)`
	a, err := dialRelay(addr)
	if err != nil {
		return nil // leakscope-vs-vet: differs: vet's secondary "this return statement may be reached" diagnostic; leakscope reports only the definition line
	}
	return &relay{ctx: ctx, cancel: cancel, addr: a}
}

// The context was handed to a goroutine that waits for it before the early return: that
// goroutine waits forever (warning twin).
func newWatchedRelay(addr string) *relay {
	ctx, cancel := context.WithCancel(context.Background()) // want `the cancel function "cancel" from context.WithCancel is not called on every path: the return at line 69 is reached without calling it \(possible context leak\)`
	go func() {
		<-ctx.Done()
	}()
	a, err := dialRelay(addr)
	if err != nil {
		return nil // leakscope-vs-vet: differs: vet's secondary "this return statement may be reached" diagnostic; leakscope reports only the definition line
	}
	return &relay{ctx: ctx, cancel: cancel, addr: a}
}

// The parent was re-assigned to a cancellable context before the call (warning twin).
func newChildRelay(parent context.Context, addr string) *relay {
	ctx := context.Background()
	ctx = parent
	ctx, cancel := context.WithCancel(ctx) // want `the cancel function "cancel" from context.WithCancel is not called on every path: the return at line 81 is reached without calling it \(possible context leak\)`
	a, err := dialRelay(addr)
	if err != nil {
		return nil // leakscope-vs-vet: differs: vet's secondary "this return statement may be reached" diagnostic; leakscope reports only the definition line
	}
	return &relay{ctx: ctx, cancel: cancel, addr: a}
}

// Called on every path (negative).
func newClosedRelay(addr string) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := dialRelay(addr)
	_ = ctx
	return err
}
