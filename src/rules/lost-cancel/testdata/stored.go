// Fixtures for lost-cancel: cancel functions kept in fields of plain func() type and
// called through a stdlib callback or a method — not lost.
package a

import (
	"context"
	"sync"
)

type restoreMonitor struct {
	once   sync.Once
	cancel func()
	doneCh chan struct{}
}

// startMonitor (negative): StopAndWait calls m.cancel inside the function given to once.Do.
func startMonitor() *restoreMonitor {
	ctx, cancel := context.WithCancel(context.Background())
	m := &restoreMonitor{cancel: cancel, doneCh: make(chan struct{})}
	go m.run(ctx)
	return m
}

func (m *restoreMonitor) run(ctx context.Context) {
	defer close(m.doneCh)
	<-ctx.Done()
}

func (m *restoreMonitor) StopAndWait() {
	m.once.Do(func() {
		m.cancel()
		<-m.doneCh
	})
}

type configurator interface{ Close() error }

type resolvedManager struct {
	cancel func()
}

// newResolvedManager (negative): Close, reached through the configurator interface, cancels.
func newResolvedManager() configurator {
	ctx, cancel := context.WithCancel(context.Background())
	m := &resolvedManager{cancel: cancel}
	go func() {
		<-ctx.Done()
	}()
	return m
}

func (m *resolvedManager) Close() error {
	m.cancel()
	return nil
}

type forgetful struct {
	cancel func()
}

func newForgetful() *forgetful {
	ctx, cancel := context.WithCancel(context.Background()) // want "kept in forgetful.cancel and nothing ever calls it" leakscope-vs-vet: differs: vet does not follow a cancel function into a struct field
	f := &forgetful{cancel: cancel}
	go func() {
		<-ctx.Done()
	}()
	return f
}
