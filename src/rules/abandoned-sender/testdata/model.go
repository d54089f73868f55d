package a

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Reply channels beyond one function (program model): struct fields, method values,
// a pool's Submit, closures.

// job is the corpus case job-done-field-abandoned.
type job struct {
	name string
	done chan error
}

func newJob(name string) *job { return &job{name: name, done: make(chan error)} }

func (j *job) start() {
	go func() {
		time.Sleep(30 * time.Millisecond)
		j.done <- errors.New(j.name + " failed") // want "the goroutine running the goroutine started at line 22 in job.start sends on field \"done\" of job at line 24, but its only receiver \\(the select at line 31 in runWithDeadline\\) can take the \"<-time.After\\(5 \\* time.Millisecond\\)\" case and return first"
	}()
}

func runWithDeadline(name string) error {
	j := newJob(name)
	j.start()
	select {
	case err := <-j.done:
		return err
	case <-time.After(5 * time.Millisecond):
		return errors.New("deadline exceeded")
	}
}

// A method value submitted to a pool that runs it on a goroutine.
type pool struct{}

func (pool) Submit(f func()) { go f() }

type indexer struct {
	name  string
	reply chan int
}

func (ix *indexer) build() {
	ix.reply <- len(ix.name) // want "the goroutine running indexer.build sends on field \"reply\" of indexer at line 50"
}

func rebuild(ctx context.Context, p pool, name string) {
	ix := &indexer{name: name, reply: make(chan int)}
	p.Submit(ix.build)
	select {
	case n := <-ix.reply:
		fmt.Println("built", n)
	case <-ctx.Done():
		fmt.Println("gave up on", name)
	}
}

// --- negatives ---

// Buffered: the send always completes.
type fetch struct{ out chan int }

func doFetch() int {
	f := &fetch{out: make(chan int, 1)}
	go func() { f.out <- 1 }()
	select {
	case v := <-f.out:
		return v
	case <-time.After(time.Second):
		return 0
	}
}

// The sender selects on the same context.
type call struct{ res chan int }

func doCall(ctx context.Context) int {
	c := &call{res: make(chan int)}
	go func() {
		select {
		case c.res <- 1:
		case <-ctx.Done():
		}
	}()
	select {
	case v := <-c.res:
		return v
	case <-ctx.Done():
		return 0
	}
}

// The receive is a plain receive: it always takes the value.
type plain struct{ c chan int }

func doPlain() int {
	p := &plain{c: make(chan int)}
	go func() { p.c <- 1 }()
	return <-p.c
}

// The select retries in a loop until the value arrives.
type retry struct{ c chan int }

func doRetry() int {
	r := &retry{c: make(chan int)}
	go func() { r.c <- 1 }()
	for {
		select {
		case v := <-r.c:
			return v
		case <-time.After(time.Millisecond):
			fmt.Println("still waiting")
		}
	}
}
