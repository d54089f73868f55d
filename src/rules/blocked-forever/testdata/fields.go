package fields

import (
	"fmt"
	"sync"
	"time"
)

// ---- channels in struct fields, made by a constructor -------------------------------

type worker struct {
	jobs chan string
	quit chan struct{}
	wg   sync.WaitGroup
}

func newWorker() *worker {
	w := &worker{jobs: make(chan string), quit: make(chan struct{})}
	w.wg.Add(1)
	go w.loop()
	return w
}

// The worker polls quit, then blocks on jobs alone: closing quit does not reach it.
func (w *worker) loop() {
	defer w.wg.Done()
	for {
		select {
		case <-w.quit:
			return
		default:
		}
		job := <-w.jobs // want `blocks forever receiving from "w.jobs"`
		fmt.Println(job)
	}
}

func (w *worker) close() {
	close(w.quit)
	w.wg.Wait() // want `blocks forever in w.wg.Wait\(\)`
}

func useWorker() {
	w := newWorker()
	w.jobs <- "a"
	w.close()
}

// Fixed twin: the worker waits on both channels at once.
type worker2 struct {
	jobs chan string
	quit chan struct{}
	wg   sync.WaitGroup
}

func newWorker2() *worker2 {
	w := &worker2{jobs: make(chan string), quit: make(chan struct{})}
	w.wg.Add(1)
	go w.loop()
	return w
}

func (w *worker2) loop() {
	defer w.wg.Done()
	for {
		select {
		case <-w.quit:
			return
		case job := <-w.jobs:
			fmt.Println(job)
		}
	}
}

func (w *worker2) close() {
	close(w.quit)
	w.wg.Wait()
}

func useWorker2() {
	w := newWorker2()
	w.jobs <- "a"
	w.close()
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
