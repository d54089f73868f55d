// Fixtures for the 0.2.0 extension of abandoned-sender (issue 3): producers in
// loops whose collector returns early, consumers that stop ranging while a
// producer keeps sending, and buffers smaller than the senders that outlive
// the receiver.
package a

import (
	"context"
	"errors"
	"strings"
	"time"
)

var errStop = errors.New("stop")

// stopRangingBreak: the consumer breaks out of the range; the producer keeps
// sending the remaining lines and blocks forever on the next one.
func stopRangingBreak(lines []string) string {
	ch := make(chan string)
	go func() {
		for _, l := range lines {
			ch <- l // want "blocks forever sending on \"ch\" \\(unbuffered\\): the receiving loop at line 26 can return at line 31 while the sending goroutine still has values to send"
		}
		close(ch)
	}()
	for l := range ch {
		if strings.HasPrefix(l, "END") {
			break
		}
	}
	return "done"
}

// stopRangingReturn: returning from inside the range abandons the producer.
func stopRangingReturn(n int) (int, error) {
	nums := make(chan int)
	go func() {
		defer close(nums)
		for i := 0; i < n; i++ {
			nums <- i // want "blocks forever sending on \"nums\" \\(unbuffered\\): the receiving loop at line 43 can return at line 45"
		}
	}()
	for v := range nums {
		if v < 0 {
			return 0, errStop
		}
	}
	return n, nil
}

// loopProducerFirstError: one goroutine produces in a loop; the collector
// returns on the first error.
func loopProducerFirstError(ctx context.Context, items []string) error {
	errc := make(chan error)
	go func() {
		for _, it := range items {
			errc <- check(it) // want "blocks forever sending on \"errc\""
		}
	}()
	for range items {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

func check(s string) error {
	if s == "" {
		return errStop
	}
	return nil
}

// bufferTooSmall: five senders, room for two, the receiver takes one and may
// time out: at least two goroutines stay blocked.
func bufferTooSmall(q string) (string, error) {
	ch := make(chan string, 2)
	for i := 0; i < 5; i++ {
		go func() {
			ch <- slowQuery(q) // want "blocks forever sending on \"ch\" \\(buffer of 2\\)"
		}()
	}
	select {
	case r := <-ch:
		return r, nil
	case <-time.After(time.Second):
		return "", errStop
	}
}

// bufferTooSmallUnknownCount: goroutines per item, a fixed small buffer.
func bufferTooSmallUnknownCount(ctx context.Context, urls []string) (int, error) {
	sizes := make(chan int, 4)
	for _, u := range urls {
		go func() {
			sizes <- len(u) // want "blocks forever sending on \"sizes\" \\(buffer of 4\\)"
		}()
	}
	total := 0
	for range urls {
		select {
		case s := <-sizes:
			total += s
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	return total, nil
}

// bufferMatchesSenders (negative): room for every sender.
func bufferMatchesSenders(q string) (string, error) {
	ch := make(chan string, 3)
	for i := 0; i < 3; i++ {
		go func() {
			ch <- slowQuery(q)
		}()
	}
	select {
	case r := <-ch:
		return r, nil
	case <-time.After(time.Second):
		return "", errStop
	}
}

// drainAfterBreak (negative): the consumer drains the rest after breaking.
func drainAfterBreak(lines []string) int {
	ch := make(chan string)
	go func() {
		defer close(ch)
		for _, l := range lines {
			ch <- l
		}
	}()
	n := 0
	for l := range ch {
		if l == "END" {
			break
		}
		n++
	}
	for range ch {
	}
	return n
}

// producerSelectsDone (negative): the producer selects on a done channel the
// consumer closes when it stops.
func producerSelectsDone(lines []string) int {
	ch := make(chan string)
	done := make(chan struct{})
	defer close(done)
	go func() {
		defer close(ch)
		for _, l := range lines {
			select {
			case ch <- l:
			case <-done:
				return
			}
		}
	}()
	n := 0
	for l := range ch {
		if l == "END" {
			break
		}
		n++
	}
	return n
}

// rangeToTheEnd (negative): the consumer ranges until the producer closes.
func rangeToTheEnd(lines []string) int {
	ch := make(chan string)
	go func() {
		defer close(ch)
		for _, l := range lines {
			ch <- l
		}
	}()
	n := 0
	for range ch {
		n++
	}
	return n
}

// firstOfThree: corpus case error-channel-buffer-too-small. Three goroutines,
// one receive, a buffer of 1: the third sender blocks forever.
func firstOfThree(key string) error {
	errc := make(chan error, 1)
	for _, dc := range []string{"east", "west", "north"} {
		go func(dc string) {
			time.Sleep(time.Millisecond)
			errc <- errors.New(dc + ": " + key) // want "3 goroutines send but only 1 value\\(s\\) are received and the buffer holds 1"
		}(dc)
	}
	return <-errc
}

// firstOfMany: goroutines per item, a buffer of 1, one receive.
func firstOfMany(items []string) error {
	errc := make(chan error, 1)
	for _, it := range items {
		go func() {
			errc <- check(it) // want "goroutines are started in a loop but only one value is received \\(line 212\\) and the buffer holds 1"
		}()
	}
	return <-errc
}

// firstOfTwoBuffered (negative): two goroutines, one receive, one buffer slot.
func firstOfTwoBuffered(key string) error {
	errc := make(chan error, 1)
	for _, dc := range []string{"east", "west"} {
		go func(dc string) {
			errc <- errors.New(dc + ": " + key)
		}(dc)
	}
	return <-errc
}
