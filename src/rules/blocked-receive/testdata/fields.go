package a

import (
	"context"
	"sync"
)

// Channels owned by a struct: an unexported field only ever set to a new make.

// loader is the corpus case ready-never-closed-field (field renamed): load never closes initDone.
// The text check is by field name across the package, so names are kept distinct here.
type loader struct {
	initDone chan struct{}
	mu    sync.Mutex
	data  []string
}

func newLoader() *loader {
	l := &loader{initDone: make(chan struct{})}
	go l.load()
	return l
}

func (l *loader) load() {
	l.mu.Lock()
	l.data = []string{"a", "b"}
	l.mu.Unlock()
}

func (l *loader) Get(i int) string {
	<-l.initDone // want "receive from field \"initDone\" of loader at line 31 blocks forever: the field only ever holds a channel made in this package, and nothing in the package sends on it or closes it"
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.data[i%len(l.data)]
}

// goodLoader closes loaded when loading is done.
type goodLoader struct {
	loaded chan struct{}
	data  []string
}

func newGoodLoader() *goodLoader {
	l := &goodLoader{loaded: make(chan struct{})}
	go l.load()
	return l
}

func (l *goodLoader) load() {
	defer close(l.loaded)
	l.data = []string{"a"}
}

func (l *goodLoader) Get() []string {
	<-l.loaded
	return l.data
}

// signalled: a method sends on the field.
type signalled struct {
	wake chan bool
}

func newSignalled() *signalled {
	s := &signalled{wake: make(chan bool, 1)}
	go s.wait()
	return s
}

func (s *signalled) wait()  { <-s.wake }
func (s *signalled) Wake() { s.wake <- true }

// ctxWait: the receive also selects on ctx.Done().
type ctxWait struct {
	started chan struct{}
}

func newCtxWait(ctx context.Context) *ctxWait {
	c := &ctxWait{started: make(chan struct{})}
	go func() {
		select {
		case <-c.started:
		case <-ctx.Done():
		}
	}()
	return c
}
