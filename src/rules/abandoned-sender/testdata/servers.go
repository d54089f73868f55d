package a

import (
	"fmt"
	"time"
)

// Senders behind an interface of the package, on a channel in a field of a struct the
// receiving function makes itself (corpus case sender-behind-interface).

type intSink interface {
	put(v int)
}

type chanIntSink struct {
	ch chan int
}

func (s chanIntSink) put(v int) {
	s.ch <- v // want "can send more than once"
}

func produceInts(s intSink, n int) {
	for i := 0; i < n; i++ {
		s.put(i)
	}
}

func firstInt() int {
	s := chanIntSink{ch: make(chan int)}
	go produceInts(s, 3)
	return <-s.ch
}

// The sender gives up after a timeout: nothing leaks.
type timedIntSink struct {
	ch chan int
}

func (s timedIntSink) put(v int) {
	select {
	case s.ch <- v:
	case <-time.After(50 * time.Millisecond):
	}
}

func firstTimedInt() int {
	s := timedIntSink{ch: make(chan int)}
	go produceInts(s, 3)
	return <-s.ch
}

// The struct is kept across calls (a field of a long-lived value): the channel of one
// call may be drained by a later call, so one receive per call says nothing.
type sinkHolder struct {
	sink chanIntSink2
}

type chanIntSink2 struct {
	ch chan int
}

func (s chanIntSink2) put(v int) { s.ch <- v }

func (h *sinkHolder) next() int {
	if h.sink.ch == nil {
		h.sink = chanIntSink2{ch: make(chan int)}
		go produceInts(h.sink, 3)
	}
	return <-h.sink.ch
}

// A request/reply server whose single goroutine is stuck replying to a client that
// timed out: every later request blocks (corpus case reply-after-client-timeout).
type kvRequest struct {
	key   string
	reply chan string
}

type kvServer struct {
	reqs chan kvRequest
	data map[string]string
}

func newKVServer() *kvServer {
	s := &kvServer{reqs: make(chan kvRequest), data: map[string]string{}}
	go s.serve()
	return s
}

func (s *kvServer) serve() {
	for r := range s.reqs {
		r.reply <- s.data[r.key] // want "can take the"
	}
}

func (s *kvServer) get(key string) (string, bool) {
	r := kvRequest{key: key, reply: make(chan string)}
	s.reqs <- r // want "whose goroutine can block forever sending"
	select {
	case v := <-r.reply:
		return v, true
	case <-time.After(10 * time.Millisecond):
		return "", false
	}
}

func useKV() {
	s := newKVServer()
	for _, k := range []string{"a", "b"} {
		fmt.Println(s.get(k))
	}
}

// The reply channel has room for the answer: the server never blocks.
type kvRequest2 struct {
	key   string
	reply chan string
}

type kvServer2 struct {
	reqs chan kvRequest2
}

func newKVServer2() *kvServer2 {
	s := &kvServer2{reqs: make(chan kvRequest2)}
	go s.serve()
	return s
}

func (s *kvServer2) serve() {
	for r := range s.reqs {
		r.reply <- r.key
	}
}

func (s *kvServer2) get(key string) (string, bool) {
	r := kvRequest2{key: key, reply: make(chan string, 1)}
	s.reqs <- r
	select {
	case v := <-r.reply:
		return v, true
	case <-time.After(10 * time.Millisecond):
		return "", false
	}
}

func useKV2() {
	s := newKVServer2()
	for _, k := range []string{"a", "b"} {
		fmt.Println(s.get(k))
	}
}
