package fields

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// ---- channels in struct fields, made by a constructor -------------------------------

type flusher struct {
	batches chan []byte
	stop    chan struct{}
	done    chan struct{}
}

func startFlusher() *flusher {
	f := &flusher{batches: make(chan []byte), stop: make(chan struct{}), done: make(chan struct{})}
	go f.run()
	return f
}

// The flusher looks at stop only after a batch, without waiting, then waits for the next
// batch alone: when stop is closed while it waits, nothing reaches it.
func (f *flusher) run() {
	defer close(f.done)
	written := 0
	for {
		b := <-f.batches // want `blocks forever receiving from "f.batches"`
		written += len(b)
		select {
		case <-f.stop:
			fmt.Println("flushed", written)
			return
		default:
		}
	}
}

func (f *flusher) shutdown() {
	close(f.stop)
	<-f.done // want `blocks forever receiving from "f.done"`
}

func flushOne() {
	f := startFlusher()
	f.batches <- []byte("header")
	f.shutdown()
}

// Fixed twin: the flusher waits for a batch or the stop, whichever comes.
type flusher2 struct {
	batches chan []byte
	stop    chan struct{}
	done    chan struct{}
}

func startFlusher2() *flusher2 {
	f := &flusher2{batches: make(chan []byte), stop: make(chan struct{}), done: make(chan struct{})}
	go f.run()
	return f
}

func (f *flusher2) run() {
	defer close(f.done)
	written := 0
	for {
		select {
		case b := <-f.batches:
			written += len(b)
		case <-f.stop:
			fmt.Println("flushed", written)
			return
		}
	}
}

func (f *flusher2) shutdown() {
	close(f.stop)
	<-f.done
}

func flushOne2() {
	f := startFlusher2()
	f.batches <- []byte("header")
	f.shutdown()
}

// ---- a struct the entry allocates, fields bound to other objects ----------------------

type link struct {
	toA chan string
	toB chan string
}

type peer struct {
	name string
	out  chan<- string
	in   <-chan string
}

func (p *peer) hello() string {
	p.out <- p.name // want `blocks forever sending on "l.toB"`
	return <-p.in
}

// Each peer sends its hello first on an unbuffered channel: both wait for the other.
func handshake() {
	l := &link{toA: make(chan string), toB: make(chan string)}
	a := &peer{name: "a", out: l.toB, in: l.toA}
	b := &peer{name: "b", out: l.toA, in: l.toB}
	go func() { fmt.Println(a.hello()) }()
	go func() { fmt.Println(b.hello()) }()
}

// Fixed twin: a buffer of one for each hello.
func handshakeFixed() {
	l := &link{toA: make(chan string, 1), toB: make(chan string, 1)}
	a := &peer{name: "a", out: l.toB, in: l.toA}
	b := &peer{name: "b", out: l.toA, in: l.toB}
	go func() { fmt.Println(a.hello()) }()
	go func() { fmt.Println(b.hello()) }()
}

// A struct whose channel escapes (stored in a map) is not modelled: silent.
var registry = map[string]chan string{}

func escapes() {
	l := &link{toA: make(chan string), toB: make(chan string)}
	registry["a"] = l.toA
	go func() { l.toB <- "x" }()
}

// ---- a goroutine body that makes its own objects; a select default before the other side waits

type job struct {
	name string
	done chan error
}

func start(name string) *job {
	j := &job{name: name, done: make(chan error)}
	go func() {
		select {
		case j.done <- nil:
		default: // nobody waiting yet: the result is dropped
		}
	}()
	return j
}

func (j *job) wait() error { return <-j.done } // want `blocks forever receiving from "j.done"`

// One iteration stands for each: every goroutine gets its own job.
func runJobs() {
	for i := 0; i < 3; i++ {
		go func() {
			j := start(fmt.Sprint("job", i))
			time.Sleep(time.Millisecond)
			fmt.Println(j.wait())
		}()
	}
	select {}
}

// Fixed twin: a buffer of one keeps the result for a late waiter.
func start2(name string) *job {
	j := &job{name: name, done: make(chan error, 1)}
	go func() {
		select {
		case j.done <- nil:
		default:
		}
	}()
	return j
}

func runJobs2() {
	for i := 0; i < 3; i++ {
		go func() {
			j := start2(fmt.Sprint("job", i))
			time.Sleep(time.Millisecond)
			fmt.Println(<-j.done)
		}()
	}
	select {}
}

// ---- a range over data the program gives as a literal: decided element by element --------

type tailer struct {
	src   []string
	lines chan string
	quit  chan struct{}
}

func newTailer(src []string) *tailer {
	t := &tailer{src: src, lines: make(chan string), quit: make(chan struct{})}
	go t.run()
	return t
}

// The tail loop gives up on an empty line; then nothing receives quit.
func (t *tailer) run() {
	for _, l := range t.src {
		if l == "" {
			return
		}
		select {
		case t.lines <- l:
		case <-t.quit:
			return
		}
	}
	<-t.quit
}

func (t *tailer) stop() { t.quit <- struct{}{} } // want `blocks forever sending on "t.quit"`

func tailTwo() {
	t := newTailer([]string{"GET /", "GET /login", "", "POST /login"})
	fmt.Println(<-t.lines)
	fmt.Println(<-t.lines)
	t.stop()
}

// Fixed twin: no empty line before the two lines read, so the loop is still there to receive quit.
func tailTwoFixed() {
	t := newTailer([]string{"GET /", "GET /login", "POST /login"})
	fmt.Println(<-t.lines)
	fmt.Println(<-t.lines)
	t.quit <- struct{}{}
}

// ---- a constructor that returns its struct next to a derived context ------------------

type batch struct {
	wg   sync.WaitGroup
	stop context.CancelFunc
}

func newBatch(parent context.Context) (context.Context, *batch) {
	ctx, stop := context.WithCancel(parent)
	b := &batch{stop: stop}
	return ctx, b
}

func (b *batch) spawn(task func()) {
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		task()
	}()
}

func (b *batch) finish() {
	b.wg.Wait() // want `blocks forever in b.wg.Wait\(\)`
	b.stop()
}

// The caller keeps the first hit and leaves: the other scanners block on their sends, and
// finish waits for them forever.
func firstHit(parent context.Context, files []string) string {
	_, b := newBatch(parent)
	hits := make(chan string)
	for _, f := range files {
		b.spawn(func() {
			hits <- f // want `blocks forever sending on "hits"`
		})
	}
	go b.finish()
	return <-hits
}

// Fixed twin: the scanners give up when the batch's context is cancelled, which the
// caller does on its way out. Silent.
func firstHitCancelled(parent context.Context, files []string) string {
	ctx, b := newBatch(parent)
	defer b.stop()
	hits := make(chan string)
	for _, f := range files {
		b.spawn(func() {
			select {
			case hits <- f:
			case <-ctx.Done():
			}
		})
	}
	go b.finish()
	return <-hits
}

// A constructor whose other result is the struct's own channel: an alias the model would
// not see. Not modelled (silent).
type relayPair struct {
	in chan string
	wg sync.WaitGroup
}

func newRelayPair() (*relayPair, chan string) {
	in := make(chan string)
	r := &relayPair{in: in}
	return r, in
}

func relayOnce() string {
	r, in := newRelayPair()
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		in <- "x"
	}()
	v := <-r.in
	r.wg.Wait()
	return v
}
