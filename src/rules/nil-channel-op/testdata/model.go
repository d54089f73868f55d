package a

import (
	"fmt"

	"example.com/ext"
)

// Channel fields and package variables that nothing ever assigns (program model).

// pipeline is the corpus case nil-chan-field: out is never made.
type pipeline struct {
	in  chan string
	out chan string
}

func newPipeline() *pipeline {
	return &pipeline{in: make(chan string)}
}

func (p *pipeline) Start(workers int) {
	for i := 0; i < workers; i++ {
		go func() {
			for s := range p.out { // want "range over nil channel field \"out\" of pipeline at line 24 blocks forever: nothing in the package ever assigns a channel to it, so it is always nil"
				fmt.Println(s)
			}
		}()
	}
	p.in <- "x"
}

var events chan int

func publish(v int) {
	events <- v // want "send on nil channel package variable \"events\" at line 35 blocks forever"
}

// --- negatives ---

// Assigned in a method.
type lazy struct{ c chan int }

func (l *lazy) init() { l.c = make(chan int, 1) }
func (l *lazy) put(v int) { l.c <- v }

// Assigned from a parameter.
type fed struct{ c chan int }

func newFed(c chan int) *fed { return &fed{c: c} }
func (f *fed) get() int   { return <-f.c }

// A nil field as one case of a select disables that case.
type optional struct{ extra chan int }

func (o *optional) loop(main chan int) {
	for {
		select {
		case v := <-main:
			fmt.Println(v)
		case v := <-o.extra:
			fmt.Println(v)
		}
	}
}

// Positional literal sets the field.
type pos struct{ c chan int }

func newPos() pos     { return pos{make(chan int)} }
func (p pos) get() int { return <-p.c }

// Exported field of an exported type: other packages may set it.
type Hooks struct{ Done chan struct{} }

func (h *Hooks) wait() { <-h.Done }

// Set in a keyed literal from a call into another package (containerd's shim `ec:
// reaper.Default.Subscribe()`): a value of unknown origin, not nil.
type shim struct{ ec chan int }

func newShim() *shim { return &shim{ec: ext.Subscribe()} }

func (s *shim) forward() {
	for e := range s.ec {
		fmt.Println(e)
	}
}

// Set from a parameter whose caller passes a result of another package's code
// (go-ethereum's insertIterator.results).
type iter struct{ results <-chan error }

func newIter(results <-chan error) *iter { return &iter{results: results} }

func (it *iter) next() error { return <-it.results }

func insertChain() error {
	_, results := ext.Engine.VerifyHeaders()
	return newIter(results).next()
}

// Set by a multi-value assignment from an interface of another package.
type monitor struct{ errCh <-chan error }

func (m *monitor) start(sub ext.Subscriber) { _, m.errCh = sub.Subscribe() }

func (m *monitor) wait() error { return <-m.errCh }
