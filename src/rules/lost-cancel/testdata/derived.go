// Fixtures for lost-cancel: a derived context nobody uses while a goroutine waits on
// the parent's Done channel; the cancel function handed to the caller stops nothing.
package a

import "context"

// streamOnParent: the producer selects on parent.Done(); cancel cancels the unused ctx.
func streamOnParent(parent context.Context) (<-chan int, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	_ = ctx
	out := make(chan int)
	go func() {
		for i := 0; ; i++ {
			select { // want "waits on parent.Done\\(\\), not on the context derived" leakscope-vs-vet: differs: vet does not look at which context is waited on
			case out <- i:
			case <-parent.Done():
				return
			}
		}
	}()
	return out, cancel
}

// streamOnDerived (negative): the producer selects on the derived context.
func streamOnDerived(parent context.Context) (<-chan int, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	out := make(chan int)
	go func() {
		for i := 0; ; i++ {
			select {
			case out <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, cancel
}

// watchBoth (negative): the derived context is used too.
func watchBoth(parent context.Context) context.CancelFunc {
	ctx, cancel := context.WithCancel(parent)
	go func() {
		select {
		case <-parent.Done():
		case <-ctx.Done():
		}
	}()
	return cancel
}

type fetcher struct {
	ctx context.Context
}

func newFetcher() *fetcher { return &fetcher{ctx: context.Background()} }

// fetchOnStored: waits on the fetcher's Background context and ignores the caller's.
func (f *fetcher) fetchOnStored(ctx context.Context, out chan<- string) {
	select { // want "only ever stores context.Background\\(\\)/TODO\\(\\) in fetcher.ctx" leakscope-vs-vet: differs: vet does not look at which context is waited on
	case out <- "payload":
	case <-f.ctx.Done():
	}
}

// fetchOnParam (negative): waits on the caller's context.
func (f *fetcher) fetchOnParam(ctx context.Context, out chan<- string) {
	select {
	case out <- "payload":
	case <-ctx.Done():
	}
}

type runner struct {
	ctx context.Context
}

func newRunner(parent context.Context) *runner { return &runner{ctx: parent} }

// runOnStored (negative): the stored context comes from the caller and may be done.
func (r *runner) runOnStored(ctx context.Context, out chan<- string) {
	select {
	case out <- "payload":
	case <-r.ctx.Done():
	}
}
