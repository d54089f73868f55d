// Negative fixtures for abandoned-sender: every sender can complete (buffer
// room, a cancellable select, a receiver that always receives or drains), or
// the channel escapes the function so the analysis cannot see every receiver
// and must stay silent.
package a

import (
	"context"
	"log"
	"sync"
	"time"
)

// bufferedOne: capacity 1 and exactly one send: the send completes even if
// nobody ever receives. This is the standard fix for the timeout select.
func bufferedOne(q string) (string, error) {
	ch := make(chan string, 1)
	go func() {
		ch <- slowQuery(q)
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-time.After(time.Second):
		return "", errTimeout
	}
}

// bufferedPerItem: capacity len(urls), one send per goroutine per item: the
// early return abandons no sender.
func bufferedPerItem(ctx context.Context, urls []string) ([]int, error) {
	results := make(chan result, len(urls))
	for _, u := range urls {
		go func() {
			results <- get(ctx, u)
		}()
	}
	var codes []int
	for range urls {
		r := <-results
		if r.err != nil {
			return nil, r.err
		}
		codes = append(codes, r.status)
	}
	return codes, nil
}

// bufferedTwoHedged: two fixed senders (a hedged request), capacity 2, first
// answer wins: both sends always fit in the buffer.
func bufferedTwoHedged(q string) string {
	ch := make(chan string, 2)
	go func() { ch <- slowQuery("primary:" + q) }()
	go func() { ch <- slowQuery("backup:" + q) }()
	return <-ch
}

// senderSelectsCtx: the sender selects on ctx.Done() as well, and the
// receiver's early exit is the same ctx being done.
func senderSelectsCtx(ctx context.Context, q string) (string, error) {
	ch := make(chan string)
	go func() {
		v := slowQuery(q)
		select {
		case ch <- v:
		case <-ctx.Done():
		}
	}()
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// senderSelectsDone: the receiver closes a done channel on every exit (defer)
// and the sender selects on it.
func senderSelectsDone(q string, d time.Duration) (string, bool) {
	ch := make(chan string)
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case ch <- slowQuery(q):
		case <-done:
		}
	}()
	select {
	case v := <-ch:
		return v, true
	case <-time.After(d):
		return "", false
	}
}

// senderSelectDefault: the sender never blocks: if nobody is ready the value
// is dropped.
func senderSelectDefault(q string) (string, error) {
	ch := make(chan string)
	go func() {
		v := slowQuery(q)
		select {
		case ch <- v:
		default:
			log.Printf("dropping late result for %q", q)
		}
	}()
	select {
	case v := <-ch:
		return v, nil
	case <-time.After(time.Second):
		return "", errTimeout
	}
}

// alwaysReceives: a plain receive with no alternative exit; the sender is
// always matched.
func alwaysReceives(q string) string {
	ch := make(chan string)
	go func() {
		ch <- slowQuery(q)
	}()
	return <-ch
}

// timeoutOnlyLogs: the timer case of the select only logs and loops; the only
// way out of the function is receiving the value.
func timeoutOnlyLogs(q string) string {
	ch := make(chan string)
	go func() {
		ch <- slowQuery(q)
	}()
	for {
		select {
		case v := <-ch:
			return v
		case <-time.After(5 * time.Second):
			log.Printf("still waiting for %q", q)
		}
	}
}

// drainingCollector: the collector remembers the first error but keeps
// receiving until every goroutine has sent.
func drainingCollector(ctx context.Context, urls []string) ([]int, error) {
	results := make(chan result)
	for _, u := range urls {
		go func() {
			results <- get(ctx, u)
		}()
	}
	var firstErr error
	var codes []int
	for range urls {
		r := <-results
		if r.err != nil {
			if firstErr == nil {
				firstErr = r.err
			}
			continue
		}
		codes = append(codes, r.status)
	}
	return codes, firstErr
}

// rangeUntilClosed: the WaitGroup + close pattern: senders signal Done, a
// closer goroutine closes the channel after Wait, the receiver ranges until
// the close. The receiver has no early exit.
func rangeUntilClosed(ctx context.Context, urls []string) []result {
	results := make(chan result)
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- get(ctx, u)
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	var all []result
	for r := range results {
		all = append(all, r)
	}
	return all
}

// deferredDrain: the receiver can return on timeout, but a deferred closure
// starts a goroutine that drains the channel, so the sender always completes.
func deferredDrain(q string) (string, error) {
	ch := make(chan string)
	defer func() {
		go func() {
			for range ch {
			}
		}()
	}()
	go func() {
		ch <- slowQuery(q)
		close(ch)
	}()
	select {
	case v := <-ch:
		return v, nil
	case <-time.After(time.Second):
		return "", errTimeout
	}
}

// drainOnTimeout: the timeout case hands the channel to a drainer goroutine
// before returning.
func drainOnTimeout(q string) (string, error) {
	ch := make(chan string)
	go func() {
		ch <- slowQuery(q)
	}()
	select {
	case v := <-ch:
		return v, nil
	case <-time.After(time.Second):
		go func() { <-ch }()
		return "", errTimeout
	}
}

// returnedLateChannel: on timeout the channel is returned so that the caller
// can pick up the late answer; it escapes, so stay silent.
func returnedLateChannel(q string, wait time.Duration) (string, <-chan string) {
	ch := make(chan string)
	go func() {
		ch <- slowQuery(q)
	}()
	select {
	case v := <-ch:
		return v, nil
	case <-time.After(wait):
		return "", ch
	}
}

// pendingQuery keeps the channel of an in-flight query so that Collect can
// receive the answer later.
type pendingQuery struct {
	results chan string
}

// storedInStruct: the channel is stored in a struct field before the select;
// another method may receive from it later, so stay silent.
func (p *pendingQuery) storedInStruct(q string) (string, bool) {
	ch := make(chan string)
	p.results = ch
	go func() {
		ch <- slowQuery(q)
	}()
	select {
	case v := <-ch:
		return v, true
	case <-time.After(time.Second):
		return "", false
	}
}

func (p *pendingQuery) Collect() string { return <-p.results }

// passedToUnknown: the channel is also handed to a function value the
// analysis cannot see into (it may receive); stay silent.
func passedToUnknown(q string, register func(<-chan string)) (string, error) {
	ch := make(chan string)
	register(ch)
	go func() {
		ch <- slowQuery(q)
	}()
	select {
	case v := <-ch:
		return v, nil
	case <-time.After(time.Second):
		return "", errTimeout
	}
}

// earlyReturnBeforeGo: the only early return happens before the goroutine is
// started; once it runs, the receive is unconditional.
func earlyReturnBeforeGo(q string) (string, error) {
	if q == "" {
		return "", errTimeout
	}
	ch := make(chan string)
	go func() {
		ch <- slowQuery(q)
	}()
	return <-ch, nil
}

// sendOnParamChannel: the channel is not made in this function (it is a
// parameter); its receivers are out of sight, so stay silent.
func sendOnParamChannel(out chan<- string, q string) {
	go func() {
		out <- slowQuery(q)
	}()
}
