// Fixtures for lost-cancel: the cancel variable is kept but some path from its
// definition to a return (explicit, or the implicit one at the closing brace)
// never uses it. The finding is on the line that defines the cancel variable.
package a

import (
	"context"
	"time"
)

// earlyReturnErr: the classic bug. cancel is called on the success path only;
// `return "", err` leaks the context (and its timer) on every error.
func earlyReturnErr(parent context.Context, key string) (string, error) {
	ctx, cancel := context.WithTimeout(parent, time.Second) // want "not called on every path"
	v, err := fetch(ctx, key)
	if err != nil {
		return "", err // leakscope-vs-vet: differs: vet's secondary "this return statement may be reached" diagnostic; leakscope reports only the definition line
	}
	cancel()
	return v, nil
}

// cancelOnlyOnError: the inverse mistake; the author believed cancel is only
// needed when something went wrong. The success path leaks.
func cancelOnlyOnError(parent context.Context, key string) (string, error) {
	ctx, cancel := context.WithCancel(parent) // want "not called on every path"
	v, err := fetch(ctx, key)
	if err != nil {
		cancel()
		return "", err
	}
	return v, nil // leakscope-vs-vet: differs: vet's secondary "this return statement may be reached" diagnostic; leakscope reports only the definition line
}

// cancelInIfNoElse: cancel in the then-branch only, and the function falls
// off its end (implicit return) when the condition is false.
func cancelInIfNoElse(parent context.Context, verbose bool) {
	ctx, cancel := context.WithTimeout(parent, time.Second) // want "not called on every path"
	_, _ = fetch(ctx, "m")
	if verbose {
		cancel()
	}
} // leakscope-vs-vet: differs: vet's secondary "this return statement may be reached" diagnostic; leakscope reports only the definition line

// cancelInSomeSwitchCases: a switch without default; the "unknown mode" path
// (no case matches) and case "dry" both leave without cancel.
func cancelInSomeSwitchCases(parent context.Context, mode string) error {
	ctx, cancel := context.WithDeadline(parent, time.Now().Add(time.Minute)) // want "not called on every path"
	switch mode {
	case "fast":
		_, err := fetch(ctx, "fast")
		cancel()
		return err
	case "dry":
		return nil // leakscope-vs-vet: differs: vet's secondary "this return statement may be reached" diagnostic; leakscope reports only the definition line
	}
	return nil
}

// cancelOnLastIteration: cancel is only reached inside the loop body, which
// runs zero times when keys is empty; that path reaches the end of the
// function without any reference to cancel.
func cancelOnLastIteration(parent context.Context, keys []string) {
	ctx, cancel := context.WithCancel(parent) // want "not called on every path"
	for i, k := range keys {
		_, _ = fetch(ctx, k)
		if i == len(keys)-1 {
			cancel()
		}
	}
} // leakscope-vs-vet: differs: vet's secondary "this return statement may be reached" diagnostic; leakscope reports only the definition line

// cancelInRetryLoop: a counted retry loop that cancels when an attempt
// succeeds; when all attempts fail (or attempts <= 0) the loop exits normally
// and the function returns without cancel.
func cancelInRetryLoop(parent context.Context, attempts int) error {
	ctx, cancel := context.WithTimeout(parent, 10*time.Second) // want "not called on every path"
	var err error
	for i := 0; i < attempts; i++ {
		if _, err = fetch(ctx, "retry"); err == nil {
			cancel()
			return nil
		}
	}
	return err // leakscope-vs-vet: differs: vet's secondary "this return statement may be reached" diagnostic; leakscope reports only the definition line
}

// cancelInOneSelectCase: cancel only in the stop case of a select; the result
// case returns with the watcher goroutine's context still live.
func cancelInOneSelectCase(parent context.Context, stop <-chan struct{}, res <-chan string) (string, error) {
	ctx, cancel := context.WithCancel(parent) // want "not called on every path"
	go watch(ctx)
	select {
	case <-stop:
		cancel()
		return "", errStopped
	case v := <-res:
		return v, nil // leakscope-vs-vet: differs: vet's secondary "this return statement may be reached" diagnostic; leakscope reports only the definition line
	}
}

func watch(ctx context.Context) { <-ctx.Done() }

// causeOnlyOnError: WithCancelCause, cause reported on the error path only.
func causeOnlyOnError(parent context.Context) error {
	ctx, cancel := context.WithCancelCause(parent) // want "not called on every path"
	if _, err := fetch(ctx, "n"); err != nil {
		cancel(err)
		return err
	}
	return nil // leakscope-vs-vet: differs: vet's secondary "this return statement may be reached" diagnostic; leakscope reports only the definition line
}

// varDeclEarlyReturn: the `var` declaration form with an early return.
func varDeclEarlyReturn(parent context.Context, key string) error {
	var ctx, cancel = context.WithTimeout(parent, time.Second) // want "not called on every path"
	if key == "" {
		return errStopped // leakscope-vs-vet: differs: vet's secondary "this return statement may be reached" diagnostic; leakscope reports only the definition line
	}
	defer cancel()
	_, err := fetch(ctx, key)
	return err
}

// leakInFuncLit: the leak sits in a handler closure; the closure is its own
// function for path purposes.
func leakInFuncLit(parent context.Context) func(string) error {
	return func(key string) error {
		ctx, cancel := context.WithTimeout(parent, time.Second) // want "not called on every path"
		if key == "" {
			return errStopped // leakscope-vs-vet: differs: vet's secondary "this return statement may be reached" diagnostic; leakscope reports only the definition line
		}
		defer cancel()
		_, err := fetch(ctx, key)
		return err
	}
}

// cancelAfterLabeledBreak: cancel is only called on the error return inside
// the nested loops; both `break outer` and the normal end of the loops reach
// the final return without it.
func cancelAfterLabeledBreak(parent context.Context, batches [][]string) error {
	ctx, cancel := context.WithCancel(parent) // want "not called on every path"
outer:
	for _, b := range batches {
		for _, k := range b {
			if k == "" {
				break outer
			}
			if _, err := fetch(ctx, k); err != nil {
				cancel()
				return err
			}
		}
	}
	return nil // leakscope-vs-vet: differs: vet's secondary "this return statement may be reached" diagnostic; leakscope reports only the definition line
}
