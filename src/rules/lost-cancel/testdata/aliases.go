// Fixtures for lost-cancel: the context package imported under an alias.
// Resolution must follow the import, not the spelling "context".
package a

import (
	stdctx "context"
	"time"
)

// aliasDiscard: context.WithTimeout through the alias `stdctx`, discarded.
func aliasDiscard(parent stdctx.Context) error {
	ctx, _ := stdctx.WithTimeout(parent, time.Second) // want "cancel function .* discarded"
	_, err := fetch(ctx, "alias")
	return err
}

// aliasEarlyReturn: through the alias, cancel skipped on the error path.
func aliasEarlyReturn(parent stdctx.Context, key string) (string, error) {
	ctx, cancel := stdctx.WithCancel(parent) // want "not called on every path"
	v, err := fetch(ctx, key)
	if err != nil {
		return "", err // leakscope-vs-vet: differs: vet's secondary "this return statement may be reached" diagnostic; leakscope reports only the definition line
	}
	cancel()
	return v, nil
}

// aliasDefer (negative): through the alias, deferred.
func aliasDefer(parent stdctx.Context, key string) (string, error) {
	ctx, cancel := stdctx.WithDeadline(parent, time.Now().Add(time.Second))
	defer cancel()
	return fetch(ctx, key)
}

// shadowedPackageName (negative): a local variable named `context` (this file
// imports the package as stdctx); its WithCancel method is not the context
// package's, so `context.WithCancel` here must not be matched by spelling.
type fakeContexts struct{}

func (fakeContexts) WithCancel(parent stdctx.Context) (stdctx.Context, func()) {
	return parent, func() {}
}

func shadowedPackageName(parent stdctx.Context) error {
	context := fakeContexts{}
	ctx, _ := context.WithCancel(parent) // leakscope-vs-vet: differs: vet falls back to matching the spelling "context" when the qualifier is not a package name and reports a discard here; leakscope resolves `context` to the local variable and stays silent
	_, err := fetch(ctx, "shadow")
	return err
}
