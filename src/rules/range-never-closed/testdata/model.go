package a

import "fmt"

// Channels beyond one function (program model): fields reached through parameters,
// interfaces and closures; package variables.

// queue: the channel is made in the constructor, passed to a worker through a
// parameter, and ranged over there; nothing closes it.
type queue struct{ items chan string }

func newQueue() *queue {
	q := &queue{items: make(chan string)}
	go drain(q.items)
	return q
}

func drain(c chan string) {
	for s := range c { // want "range over field \"items\" of queue at line 19 never ends"
		fmt.Println(s)
	}
}

func (q *queue) push(s string) { q.items <- s }

// A package variable made per call of a function and never closed.
var feedVar chan int

func startFeed() {
	feedVar = make(chan int)
	go func() {
		for v := range feedVar { // want "range over package variable \"feedVar\" at line 32 never ends: the variable only ever holds a channel made in this package and nothing in the package closes it, so this goroutine blocks forever"
			fmt.Println(v)
		}
	}()
}

// --- negatives ---

// Closed through an interface with one implementation.
type stopper interface{ stop() }

type tasks struct{ c chan int }

func (t *tasks) stop() { close(t.c) }

func newTasks() *tasks {
	t := &tasks{c: make(chan int)}
	go func() {
		for v := range t.c {
			fmt.Println(v)
		}
	}()
	return t
}

func shutdown(s stopper) { s.stop() }

// Closed in a stored closure.
type jobs struct {
	c      chan int
	finish func()
}

func newJobs() *jobs {
	j := &jobs{c: make(chan int)}
	j.finish = func() { close(j.c) }
	go func() {
		for v := range j.c {
			fmt.Println(v)
		}
	}()
	return j
}

func (j *jobs) stop() { j.finish() }

// Made once per process (init): a worker pool meant to run until exit.
var work chan func()

func init() {
	work = make(chan func())
	go func() {
		for f := range work {
			f()
		}
	}()
}
