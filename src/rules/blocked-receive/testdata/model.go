package a

import (
	"fmt"
	"os"
	"os/signal"
)

// Channels that live beyond one function, followed by the program model: struct
// fields, package variables, parameters, interfaces, closures and method values.

// waiter: a select whose every case receives from a field nothing sends on or closes.
type waiter struct {
	stopped  chan struct{}
	reloaded chan struct{}
	shutdown chan struct{}
}

func newWaiter() *waiter {
	w := &waiter{stopped: make(chan struct{}), reloaded: make(chan struct{}), shutdown: make(chan struct{})}
	go func() {
		select { // want "the select at line 22 blocks forever: none of its channels \\(\"w.stopped\", \"w.reloaded\"\\) is ever sent on or closed anywhere in the package"
		case <-w.stopped:
			fmt.Println("stopped")
		case <-w.reloaded:
			fmt.Println("reloaded")
		}
	}()
	return w
}

func (w *waiter) Shutdown() { close(w.shutdown) }

// A channel handed to a constructor and stored: the parameter, the field and the
// caller's local are one object.
type relay struct{ in chan int }

func newRelay(in chan int) *relay { return &relay{in: in} }

func (r *relay) next() int {
	return <-r.in // want "receive from field \"in\" of relay at line 41 blocks forever"
}

func useRelay() {
	r := newRelay(make(chan int))
	go r.next()
}

// A package variable nothing sends on or closes.
var started = make(chan bool)

func waitStarted() {
	<-started // want "receive from package variable \"started\" at line 53 blocks forever: the variable only ever holds"
}

// --- negatives ---

// The send is behind an interface with one implementation.
type notifier interface{ notify() }

type chanNotifier struct{ c chan struct{} }

func (n chanNotifier) notify() { n.c <- struct{}{} }

func viaInterface(n notifier) { n.notify() }

type watcher struct{ c chan struct{} }

func watch() {
	w := &watcher{c: make(chan struct{})}
	viaInterface(chanNotifier{c: w.c})
	<-w.c
}

// The close is in a stored closure.
type closer struct {
	done   chan struct{}
	onStop func()
}

func newCloser() *closer {
	c := &closer{done: make(chan struct{})}
	c.onStop = func() { close(c.done) }
	return c
}

func (c *closer) wait() { <-c.done }

func (c *closer) stop() { c.onStop() }

// The close is in a method started through a method value.
type runner struct{ finished chan struct{} }

func (r *runner) run() { close(r.finished) }

func startRunner() {
	r := &runner{finished: make(chan struct{})}
	f := r.run
	go f()
	<-r.finished
}

// The channel is handed to signal.Notify: the runtime sends on it.
type sigs struct{ c chan os.Signal }

func (s *sigs) wait() {
	s.c = make(chan os.Signal, 1)
	signal.Notify(s.c, os.Interrupt)
	<-s.c
}

// Passed to code the model does not see.
type external struct{ c chan int }

func (e *external) wait(register func(chan int)) {
	e.c = make(chan int)
	register(e.c)
	<-e.c
}

// An exported field of an exported type: other packages may send.
type Public struct{ Events chan int }

func (p *Public) Next() int { return <-p.Events }

func newPublic() *Public { return &Public{Events: make(chan int)} }

// A package channel nothing sends on, drained only as far as its length says: len is
// always 0, so the receives never run (negatives); the plain receive next to them blocks.
var snapshotAliases = make(chan string, 16)

func drainSnapshots() []string {
	var out []string
	n := len(snapshotAliases)
	for range n {
		out = append(out, <-snapshotAliases)
	}
	for i := 0; i < len(snapshotAliases); i++ {
		out = append(out, <-snapshotAliases)
	}
	if len(snapshotAliases) > 0 {
		out = append(out, <-snapshotAliases)
	}
	return out
}

func waitSnapshot() string {
	return <-snapshotAliases // want "receive from package variable \"snapshotAliases\""
}

func startSnapshots() {
	go drainSnapshots()
	go waitSnapshot()
}
