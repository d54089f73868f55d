package a

import (
	"errors"
	"time"
)

// False-positive families found in the Go standard library (bench/triage/chanB.md).

// Negative (family "constant trip count", crypto/tls/tls_test.go and
// internal/poll/fd_mutex_test.go watchdogs): the loop runs a fixed number of times, so
// at most that many timers exist, and each is freed when it fires.
func waitBoth(errc <-chan error) error {
	for i := 0; i < 2; i++ {
		select {
		case err := <-errc:
			if err != nil {
				return err
			}
		case <-time.After(10 * time.Second):
			return errors.New("deadlock")
		}
	}
	return nil
}

// Negative: range over a constant.
func tenTries(sig <-chan struct{}) int {
	lost := 0
	for range 10 {
		select {
		case <-sig:
		case <-time.After(time.Second):
			lost++
		}
	}
	return lost
}

// Positive: a constant inner loop inside an unbounded outer loop still piles up timers.
func nested(in <-chan int, quit <-chan struct{}) {
	for {
		for i := 0; i < 3; i++ {
			select {
			case <-in:
			case <-quit:
				return
			case <-time.After(time.Minute): // want "creates a new timer on every iteration"
			}
		}
	}
}

const (
	transportInmem = iota

	// must be last
	numTransports
)

// Negative (spot triage raft#3): loops bounded by constants, one of them an implicit
// repetition of iota in a const group — a constant trip count.
func perTransport(resp <-chan int) error {
	for tt := 0; tt < numTransports; tt++ {
		for i := 0; i < 10; i++ {
			select {
			case <-resp:
			case <-time.After(200 * time.Millisecond):
				return errors.New("timeout")
			}
		}
	}
	return nil
}
