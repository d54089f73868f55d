// Issue 11: a worker pool that is a process-lifetime singleton — built only where code
// runs once per process (a package-level sync.OnceValue, init, a package-level
// initialiser) — is meant to run until the process exits: its never-closed task
// channel is the design, not a leak. Built per call or per struct value, it leaks.
package a

import (
	"runtime"
	"sync"
)

type hasher struct {
	tasks chan []byte
}

func newHasher(n int) *hasher {
	h := &hasher{tasks: make(chan []byte, n)}
	for i := 0; i < n; i++ {
		go h.run()
	}
	return h
}

func (h *hasher) run() {
	for b := range h.tasks {
		_ = len(b)
	}
}

func (h *hasher) Hash(b []byte) { h.tasks <- b }

// The only construction: a package-level sync.OnceValue.
var sharedHasher = sync.OnceValue(func() *hasher { return newHasher(runtime.NumCPU()) })

func Hash(b []byte) { sharedHasher().Hash(b) }

type indexer struct {
	jobs chan string
}

func (x *indexer) loop() {
	for j := range x.jobs {
		_ = j
	}
}

func (x *indexer) Add(s string) { x.jobs <- s }

var defaultIndexer *indexer

// Built in init, once.
func init() {
	defaultIndexer = &indexer{jobs: make(chan string)}
	go defaultIndexer.loop()
}

type resizer struct {
	once sync.Once
	resizeReqs chan int
}

func (r *resizer) start() {
	// A sync.Once in a struct runs once per value: every resizer starts a loop.
	r.once.Do(func() {
		r.resizeReqs = make(chan int)
		go r.serve()
	})
}

func (r *resizer) serve() {
	for n := range r.resizeReqs { // want `range over field "resizeReqs" of resizer at line \d+ never ends`
		_ = n
	}
}

func (r *resizer) Resize(n int) {
	r.start()
	r.resizeReqs <- n
}

type encoder struct {
	encodeIn chan string
}

func newEncoder() *encoder {
	e := &encoder{encodeIn: make(chan string)}
	go e.encode()
	return e
}

func (e *encoder) encode() {
	for s := range e.encodeIn { // want `range over field "encodeIn" of encoder at line \d+ never ends`
		_ = s
	}
}

// Built per call: every Encode leaves a goroutine behind.
func Encode(s string) {
	newEncoder().encodeIn <- s
}

// An exported constructor of a worker pool that the package itself only builds under a
// package-level sync.Once (fasthttp's stackless.NewFunc): the workers live as long as the
// process by design; a test may build throwaway ones.
type stackWork struct {
	ctx  any
	done chan struct{}
}

func NewStackless(f func(any)) func(any) bool {
	workCh := make(chan *stackWork, 128)
	var once sync.Once
	start := func() {
		for i := 0; i < runtime.NumCPU(); i++ {
			go stackWorker(workCh, f)
		}
	}
	return func(ctx any) bool {
		once.Do(start)
		w := &stackWork{ctx: ctx, done: make(chan struct{}, 1)}
		select {
		case workCh <- w:
		default:
			return false
		}
		<-w.done
		return true
	}
}

func stackWorker(ch <-chan *stackWork, f func(any)) {
	for w := range ch {
		f(w.ctx)
		w.done <- struct{}{}
	}
}

var (
	writerOnce sync.Once
	writerFunc func(any) bool
)

func stacklessWrite(ctx any) bool {
	writerOnce.Do(func() { writerFunc = NewStackless(func(any) {}) })
	return writerFunc(ctx)
}

// The same constructor called per request: every call leaves its workers behind.
func NewPerCall(f func(any)) func(any) {
	workCh := make(chan any, 16)
	go perCallWorker(workCh, f) // want `"workCh" is ranged over by perCallWorker`
	return func(ctx any) { workCh <- ctx }
}

func perCallWorker(ch <-chan any, f func(any)) {
	for x := range ch {
		f(x)
	}
}

func handle(ctx any) { NewPerCall(func(any) {})(ctx) }
