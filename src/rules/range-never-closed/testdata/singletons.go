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
