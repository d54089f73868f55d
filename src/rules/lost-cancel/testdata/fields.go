// Fixtures for lost-cancel through the program model: a constructor keeps the cancel
// function in a field of the struct it returns and starts a goroutine that runs until
// that context is cancelled (corpus case watcher-close-never-called).
package a

import (
	"context"
	"errors"
	"fmt"
)

type watcher struct {
	ctx    context.Context
	cancel context.CancelFunc
	events chan string
}

func watchPath(parent context.Context) *watcher {
	ctx, cancel := context.WithCancel(parent)
	w := &watcher{ctx: ctx, cancel: cancel, events: make(chan string)}
	go w.loop()
	return w
}

func (w *watcher) loop() {
	for {
		select {
		case <-w.ctx.Done():
			return
		case ev := <-w.events:
			fmt.Println(ev)
		}
	}
}

func (w *watcher) Close() { w.cancel() }

func checkPath(path string) error {
	w := watchPath(context.Background()) // want "watchPath starts watcher.loop \\(line 21\\), which runs until its context is cancelled, and keeps the cancel function only in the watcher it returns \\(called by watcher.Close\\); checkPath can return \\(line 41\\) without using it" // leakscope-vs-vet: differs: a cancel kept in a struct field (program model), which vet's lostcancel does not follow
	if path == "" {
		return errors.New("empty path")
	}
	w.Close()
	return nil
}

// Closed on every path (negative).
func checkPathClosed(path string) error {
	w := watchPath(context.Background())
	defer w.Close()
	if path == "" {
		return errors.New("empty path")
	}
	return nil
}

// The parent context is the caller's: when it is done the loop ends (negative).
func checkPathCtx(ctx context.Context, path string) error {
	w := watchPath(ctx)
	if path == "" {
		return errors.New("empty path")
	}
	w.Close()
	return nil
}

// A goroutine that also returns on its own (negative).
type ticker struct {
	cancel context.CancelFunc
	work   chan int
}

func startTicker() *ticker {
	ctx, cancel := context.WithCancel(context.Background())
	t := &ticker{cancel: cancel, work: make(chan int)}
	go t.run(ctx)
	return t
}

func (t *ticker) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case n, ok := <-t.work:
			if !ok {
				return
			}
			fmt.Println(n)
		}
	}
}

func (t *ticker) Stop() { t.cancel() }

func useTicker(n int) error {
	t := startTicker()
	if n < 0 {
		return errors.New("negative")
	}
	t.Stop()
	return nil
}

// A plain wait on the context, result dropped as a statement.
type lease struct{ cancel context.CancelFunc }

func grant() *lease {
	ctx, cancel := context.WithCancel(context.Background())
	l := &lease{cancel: cancel}
	go func() {
		<-ctx.Done()
		fmt.Println("lease released")
	}()
	return l
}

func (l *lease) Release() { l.cancel() }

func grantAndForget() {
	grant() // want "grant starts a goroutine \\(line 111\\), which runs until its context is cancelled.*grantAndForget drops that result" // leakscope-vs-vet: differs: a cancel kept in a struct field (program model), which vet's lostcancel does not follow
}

// The constructor's caller keeps it (negative).
func grantKept() *lease {
	l := grant()
	return l
}

// A restart overwrites the cancel function of the running loop (corpus case
// poller-restart-overwrites-cancel).
type poller struct {
	cancel context.CancelFunc
	wake   chan struct{}
}

func (p *poller) Start() {
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel // want "poller.Start stores a new cancel function in \"p.cancel\" without cancelling the one already there, and restartTwice calls poller.Start twice on the same value \\(line 162 and line 163\\)" // leakscope-vs-vet: differs: a cancel kept in a struct field (program model), which vet's lostcancel does not follow
	go p.run(ctx)
}

func (p *poller) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.wake:
		}
	}
}

func (p *poller) Stop() {
	if p.cancel != nil {
		p.cancel()
		p.cancel = nil
	}
}

func restartTwice() {
	p := &poller{wake: make(chan struct{})}
	p.Start()
	p.Start()
	p.Stop()
}

// Stopped between the two starts (negative).
func restartStopped() {
	p := &poller{wake: make(chan struct{})}
	p.Start()
	p.Stop()
	p.Start()
	p.Stop()
}

// Start cancels the previous run before storing the new cancel function (negative).
type poller2 struct {
	cancel context.CancelFunc
	wake   chan struct{}
}

func (p *poller2) Start() {
	if p.cancel != nil {
		p.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	go p.run(ctx)
}

func (p *poller2) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.wake:
		}
	}
}

func restartTwice2() {
	p := &poller2{wake: make(chan struct{})}
	p.Start()
	p.Start()
	p.cancel()
}
