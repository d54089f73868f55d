// Fixtures for lost-cancel: a derived context nobody uses while a goroutine waits on
// the parent's Done channel; the cancel function handed to the caller stops nothing.
package a

import "context"

// pager hands pages to a reader; start keeps the stop function for Close.
type pager struct {
	out  chan []byte
	stop context.CancelFunc
}

// start: the sender gives up on parent.Done(), so p.stop cancels a context nobody watches.
func (p *pager) start(parent context.Context, pages [][]byte) {
	ctx, stop := context.WithCancel(parent)
	_ = ctx
	p.stop = stop
	go func() {
		defer close(p.out)
		for _, pg := range pages {
			select { // want "waits on parent.Done\\(\\), not on the context derived" leakscope-vs-vet: differs: vet does not look at which context is waited on
			case <-parent.Done():
				return
			case p.out <- pg:
			}
		}
	}()
}

// startWatched (negative): the sender gives up on the derived context.
func (p *pager) startWatched(parent context.Context, pages [][]byte) {
	ctx, stop := context.WithCancel(parent)
	p.stop = stop
	go func() {
		defer close(p.out)
		for _, pg := range pages {
			select {
			case <-ctx.Done():
				return
			case p.out <- pg:
			}
		}
	}()
}

// heartbeat: a plain receive on the parent; the returned cancel stops nothing.
func heartbeat(parent context.Context, beat func()) context.CancelFunc {
	sub, cancel := context.WithCancel(parent)
	_ = sub
	go func() {
		beat()
		<-parent.Done() // want "waits on parent.Done\\(\\), not on the context derived from parent at line" leakscope-vs-vet: differs: vet does not look at which context is waited on
		beat()
	}()
	return cancel
}

// heartbeatOnSub (negative): the receive is on the derived context.
func heartbeatOnSub(parent context.Context, beat func()) context.CancelFunc {
	sub, cancel := context.WithCancel(parent)
	go func() {
		beat()
		<-sub.Done()
		beat()
	}()
	return cancel
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
