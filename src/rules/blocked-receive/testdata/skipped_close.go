// Receivers wait for a close that the only closing function can skip (corpus cases
// generic-queue-producer-returns-early, inflight-load-error-keeps-entry).
package a

import (
	"errors"
	"sync"
)

type queue[T any] struct{ items chan T }

func newQueue[T any](n int) *queue[T] { return &queue[T]{items: make(chan T, n)} }

func (q *queue[T]) push(v T) { q.items <- v }

func (q *queue[T]) pop() (T, bool) {
	v, ok := <-q.items // want "the receive from \"q.items\" waits for a close that can be skipped: only produceOrders closes field \"items\" of queue \\(line 30\\), and it can return at line 26 after sending on it without closing it"
	return v, ok
}

func (q *queue[T]) close() { close(q.items) }

func produceOrders(q *queue[int], orders []int) error {
	for _, o := range orders {
		if o <= 0 {
			return errors.New("invalid order")
		}
		q.push(o)
	}
	q.close()
	return nil
}

func consumeOrders(q *queue[int]) {
	for {
		if _, ok := q.pop(); !ok {
			return
		}
	}
}

func startOrders(orders []int) error {
	q := newQueue[int](4)
	go consumeOrders(q)
	return produceOrders(q, orders)
}

// The close is deferred: every return closes (negative).
type jobs struct{ ch chan int }

func (j *jobs) next() (int, bool) {
	v, ok := <-j.ch
	return v, ok
}

func (j *jobs) done() { close(j.ch) }

func feedJobs(j *jobs, xs []int) error {
	defer j.done()
	for _, x := range xs {
		if x < 0 {
			return errors.New("negative")
		}
		j.ch <- x
	}
	return nil
}

func runJobs(xs []int) error {
	j := &jobs{ch: make(chan int)}
	go func() {
		for {
			if _, ok := j.next(); !ok {
				return
			}
		}
	}()
	return feedJobs(j, xs)
}

// An in-flight entry whose leader returns on error without closing (positive), and the
// same shape closing on both paths (negative).
type flightLoader struct {
	mu       sync.Mutex
	inflight map[string]chan struct{}
	fail     bool
}

func (l *flightLoader) load(key string) error {
	l.mu.Lock()
	if ch, ok := l.inflight[key]; ok {
		l.mu.Unlock()
		<-ch // want "the receive from \"ch\" waits for a close that can be skipped: only flightLoader.load closes the channel \\(line 102\\), and it can return at line 100 after making it without closing it"
		return nil
	}
	ch := make(chan struct{})
	l.inflight[key] = ch
	l.mu.Unlock()
	if l.fail {
		return errors.New("fetch failed")
	}
	close(ch)
	return nil
}

type flightLoader2 struct {
	mu       sync.Mutex
	inflight map[string]chan struct{}
	fail     bool
}

func (l *flightLoader2) load(key string) error {
	l.mu.Lock()
	if ch, ok := l.inflight[key]; ok {
		l.mu.Unlock()
		<-ch
		return nil
	}
	ch := make(chan struct{})
	l.inflight[key] = ch
	l.mu.Unlock()
	if l.fail {
		close(ch)
		return errors.New("fetch failed")
	}
	close(ch)
	return nil
}

func useLoaders(l *flightLoader, l2 *flightLoader2) {
	go l.load("a")
	go l2.load("a")
}

// One value per receiver: n goroutines send one signal each and n handler runs receive one
// each, so the receivers need no close, and the early return that skips the closes at the
// end strands nobody (negative). Its twin ranges over the channel, which needs the close.
type hijackServer struct{ handler func(id int) }

func (s *hijackServer) serve(id int) { s.handler(id) }

func hijackAll(s *hijackServer, n int, check func(int) bool) bool {
	var wg sync.WaitGroup
	startCh := make(chan int, n)
	stopCh := make(chan int, n)
	s.handler = func(id int) {
		sig := <-startCh
		defer func() {
			stopCh <- sig
			wg.Done()
		}()
	}
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(id int) {
			s.serve(id)
			startCh <- id
		}(i)
	}
	wg.Wait()
	for count := 0; count != n; count++ {
		if !check(<-stopCh) {
			return false
		}
	}
	close(startCh)
	close(stopCh)
	return true
}

func drainAll(n int, check func(int) bool) bool {
	results := make(chan int, n)
	go func() {
		for r := range results { // want "the range over \"results\" waits for a close that can be skipped"
			_ = r
		}
	}()
	for i := 0; i < n; i++ {
		if !check(i) {
			return false
		}
		results <- i
	}
	close(results)
	return true
}
