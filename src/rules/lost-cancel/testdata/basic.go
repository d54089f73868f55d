// Fixtures for lost-cancel: the cancel function of a context constructor is
// discarded with `_`. Every constructor form is covered, as are the `var`
// declaration form and a plain `=` assignment.
//
// A discarded cancel func can never be called, so the child context (its timer,
// its entry in the parent's children map, and everything it references) lives
// until the parent is cancelled or the deadline fires; under context.Background
// that is never.
package a

import (
	"context"
	"errors"
	"time"
)

// fetch is a stand-in for any call that honours its context.
func fetch(ctx context.Context, key string) (string, error) {
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case <-time.After(time.Millisecond):
		return key, nil
	}
}

var errStopped = errors.New("stopped")

// discardWithCancel: WithCancel's cancel func assigned to `_`.
func discardWithCancel(parent context.Context) error {
	ctx, _ := context.WithCancel(parent) // want "cancel function .* discarded"
	_, err := fetch(ctx, "a")
	return err
}

// discardWithTimeout: WithTimeout's cancel func assigned to `_`; the timer
// stays armed until it fires even though the work finished long before.
func discardWithTimeout(parent context.Context) error {
	ctx, _ := context.WithTimeout(parent, 5*time.Second) // want "cancel function .* discarded"
	_, err := fetch(ctx, "b")
	return err
}

// discardWithDeadline: WithDeadline's cancel func assigned to `_`.
func discardWithDeadline(parent context.Context, at time.Time) error {
	ctx, _ := context.WithDeadline(parent, at) // want "cancel function .* discarded"
	_, err := fetch(ctx, "c")
	return err
}

// discardWithCancelCause: WithCancelCause's CancelCauseFunc assigned to `_`.
func discardWithCancelCause(parent context.Context) error {
	ctx, _ := context.WithCancelCause(parent) // want "cancel function .* discarded"
	_, err := fetch(ctx, "d")
	return err
}

// discardWithTimeoutCause: WithTimeoutCause's cancel func assigned to `_`.
func discardWithTimeoutCause(parent context.Context) error {
	ctx, _ := context.WithTimeoutCause(parent, time.Second, errStopped) // want "cancel function .* discarded"
	_, err := fetch(ctx, "e")
	return err
}

// discardWithDeadlineCause: WithDeadlineCause's cancel func assigned to `_`.
func discardWithDeadlineCause(parent context.Context, at time.Time) error {
	ctx, _ := context.WithDeadlineCause(parent, at, errStopped) // want "cancel function .* discarded"
	_, err := fetch(ctx, "f")
	return err
}

// discardVarDecl: the `var` form of the declaration; still discarded.
func discardVarDecl(parent context.Context) error {
	var ctx, _ = context.WithTimeout(parent, time.Second) // want "cancel function .* discarded"
	_, err := fetch(ctx, "g")
	return err
}

// discardReassign: the common "narrow the deadline in place" shape
// `ctx, _ = context.WithTimeout(ctx, d)` with plain assignment.
func discardReassign(ctx context.Context, keys []string) error {
	ctx, _ = context.WithTimeout(ctx, 2*time.Second) // want "cancel function .* discarded"
	for _, k := range keys {
		if _, err := fetch(ctx, k); err != nil {
			return err
		}
	}
	return nil
}

// discardInClosure: the discard happens inside a function literal; it is
// reported there like in any other function.
func discardInClosure(parent context.Context) func(string) error {
	return func(key string) error {
		ctx, _ := context.WithTimeout(parent, time.Second) // want "cancel function .* discarded"
		_, err := fetch(ctx, key)
		return err
	}
}

// deferCancel (negative): the canonical shape, `defer cancel()` right after
// the constructor.
func deferCancel(parent context.Context) error {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	defer cancel()
	_, err := fetch(ctx, "h")
	return err
}

// deferCancelCause (negative): the CancelCauseFunc deferred with a cause.
func deferCancelCause(parent context.Context) error {
	ctx, cancel := context.WithCancelCause(parent)
	defer cancel(errStopped)
	_, err := fetch(ctx, "i")
	return err
}

// deferredClosure (negative): cancel called inside a deferred closure.
func deferredClosure(parent context.Context) (string, error) {
	ctx, cancel := context.WithDeadline(parent, time.Now().Add(time.Second))
	defer func() {
		cancel()
	}()
	return fetch(ctx, "j")
}

// notAContextConstructor (negative): WithTimeout is a method of a local type,
// not context.WithTimeout; discarding its second result is none of our
// business. Resolution must go through the import, not the selector name.
type limiter struct{ d time.Duration }

func (l limiter) WithTimeout(parent context.Context) (context.Context, func()) {
	return parent, func() {}
}

func notAContextConstructor(parent context.Context, l limiter) error {
	ctx, _ := l.WithTimeout(parent)
	_, err := fetch(ctx, "k")
	return err
}

// withValueOnly (negative): context.WithValue and context.WithoutCancel return
// no cancel func at all.
type ctxKey struct{}

func withValueOnly(parent context.Context) error {
	ctx := context.WithValue(parent, ctxKey{}, "v")
	ctx = context.WithoutCancel(ctx)
	_, err := fetch(ctx, "l")
	return err
}
