package leaky

import (
	"errors"
	"testing"
	"time"
)

func TestRecvNoSender(t *testing.T) {
	leakyGoroutine()
}

func TestAbandonedSender(t *testing.T) {
	if _, err := fetch(time.Millisecond); err == nil {
		t.Fatal("expected a timeout")
	}
}

func TestRangeNeverClosed(t *testing.T) {
	sum := 0
	ch := consume(func(v int) { sum += v })
	ch <- 1
}

func TestForSelectNoExit(t *testing.T) {
	poll(make(chan string), func(string) {})
}

func TestMutexHeldForever(t *testing.T) {
	c := &Cache{m: map[string]int{"x": 1}}
	if c.Get("x") != 1 {
		t.Fatal("wrong value")
	}
	go c.Get("y")
}

func TestWaitGroupForever(t *testing.T) {
	runAll([]func() error{
		func() error { return nil },
		func() error { return errors.New("boom") },
	}, func() {})
}

func TestNoLeak(t *testing.T) {
	done := make(chan struct{})
	go func() { close(done) }()
	<-done
}
