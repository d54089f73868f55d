// Fixtures for lost-cancel where go vet's lostcancel analyzer definitely
// applies: local cancel variables, simple straight-line or branching paths.
// A test compares the lines leakscope reports on this package with the lines
// `go vet -lostcancel` reports. Vet emits two diagnostics for a path leak:
// "the cancel function is not used on all paths" on the defining statement
// (the line leakscope reports) and "this return statement may be reached
// without using the cancel var" on the return it found. The latter lines are
// marked `leakscope-vs-vet: differs`, since leakscope reports only the
// definition.
package a

import (
	"context"
	"net/http"
	"time"
)

// vetDiscard: vet says "the cancel function returned by context.WithTimeout
// should be called, not discarded".
func vetDiscard(parent context.Context, url string) (*http.Response, error) {
	ctx, _ := context.WithTimeout(parent, 3*time.Second) // want "cancel function .* discarded"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	return http.DefaultClient.Do(req)
}

// vetEarlyReturn: the request-building error path returns before the defer.
func vetEarlyReturn(parent context.Context, url string) (int, error) {
	ctx, cancel := context.WithTimeout(parent, 3*time.Second) // want "not called on every path"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err // leakscope-vs-vet: differs: vet's secondary "this return statement may be reached" diagnostic; leakscope reports only the definition line
	}
	defer cancel()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

// vetImplicitReturn: cancel in the then-branch only; the function falls off
// its end. Vet reports the synthetic return at the closing brace.
func vetImplicitReturn(parent context.Context, ok bool) {
	ctx, cancel := context.WithCancel(parent) // want "not called on every path"
	go watch(ctx)
	if ok {
		cancel()
	}
} // leakscope-vs-vet: differs: vet's secondary diagnostic on the implicit return; leakscope reports only the definition line

// vetVarSpec: the `var` form, leaked on the `n == 0` path.
func vetVarSpec(parent context.Context, n int) error {
	var ctx, cancel = context.WithDeadline(parent, time.Now().Add(time.Second)) // want "not called on every path"
	if n == 0 {
		return nil // leakscope-vs-vet: differs: vet's secondary "this return statement may be reached" diagnostic; leakscope reports only the definition line
	}
	defer cancel()
	_, err := fetch(ctx, "n")
	return err
}

// vetFuncLit: vet analyses function literals on their own.
var vetHandler = func(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), time.Second) // want "not called on every path"
	if r.Method != http.MethodGet {
		http.Error(w, "method", http.StatusMethodNotAllowed)
		return // leakscope-vs-vet: differs: vet's secondary "this return statement may be reached" diagnostic; leakscope reports only the definition line
	}
	defer cancel()
	v, _ := fetch(ctx, r.URL.Path)
	_, _ = w.Write([]byte(v))
}

// vetDeferOK (negative): defer cancel() immediately.
func vetDeferOK(parent context.Context, url string) (int, error) {
	ctx, cancel := context.WithTimeout(parent, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

// vetReturnedOK (negative): returned to the caller.
func vetReturnedOK(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(parent)
	return ctx, func() { cancel(nil) }
}

// vetFieldOK (negative): assigned straight into a struct field; vet does not
// analyse it (the cancel var is not a local identifier) and neither does
// leakscope.
type vetServer struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func (s *vetServer) init(parent context.Context) {
	s.ctx, s.cancel = context.WithCancel(parent)
}
