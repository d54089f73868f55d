// Fixtures for lost-cancel: functions of the package that hand out a fresh cancel
// function the way context.WithCancel does. Their callers own it and must call it.
package a

import (
	"context"
	"time"
)

// withRequestTimeout derives a context and returns its cancel function untouched: a wrapper.
func withRequestTimeout(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(parent, time.Minute)
	go func() {
		<-ctx.Done()
	}()
	return ctx, cancel
}

// wrapperDiscard: the caller drops the wrapper's cancel function.
func wrapperDiscard(parent context.Context) error {
	ctx, _ := withRequestTimeout(parent) // want "cancel function returned by withRequestTimeout .* discarded" leakscope-vs-vet: differs: vet only knows the context package's constructors
	_, err := fetch(ctx, "w")
	return err
}

// wrapperEarlyReturn: the wrapper's cancel function is skipped on the error path.
func wrapperEarlyReturn(parent context.Context) (string, error) {
	ctx, cancel := withRequestTimeout(parent) // want "not called on every path" leakscope-vs-vet: differs: vet only knows the context package's constructors
	v, err := fetch(ctx, "w")
	if err != nil {
		return "", err
	}
	cancel()
	return v, nil
}

// wrapperDefer (negative): the caller defers the wrapper's cancel function.
func wrapperDefer(parent context.Context) (string, error) {
	ctx, cancel := withRequestTimeout(parent)
	defer cancel()
	return fetch(ctx, "w")
}

type tracked struct{ stops []context.CancelFunc }

// keepsCancel is not a wrapper: it also keeps the cancel function for itself.
func (t *tracked) keepsCancel(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	t.stops = append(t.stops, cancel)
	return ctx, cancel
}

// notAWrapperDiscard (negative): the tracker cancels later.
func notAWrapperDiscard(t *tracked, parent context.Context) error {
	ctx, _ := t.keepsCancel(parent)
	_, err := fetch(ctx, "t")
	return err
}

// cancelsItself is not a wrapper: it returns a cancel function on one path and calls it on another.
func cancelsItself(parent context.Context, fail bool) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	if fail {
		cancel()
		return nil, nil
	}
	return ctx, cancel
}

// selfCancellingDiscard (negative): not a wrapper, so the caller is not held to it.
func selfCancellingDiscard(parent context.Context) error {
	ctx, _ := cancelsItself(parent, false)
	_, err := fetch(ctx, "s")
	return err
}
