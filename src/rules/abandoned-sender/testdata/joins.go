// Issue 11, family 1 and the "return at line N that can only run after the sender
// exited": receivers that leave only once they know the sending goroutine has made its
// last send — it closed its channel (`!ok`, the end of a range), it sent a final signal
// on another channel, or the receiver waited for it (wg.Wait). Each negative has a
// positive twin where that proof is missing.
package a

import (
	"context"
	"errors"
	"io"
	"sync"
	"time"
)

// mergeUntilBothClosed: each producer closes its own channel after its last send; the
// merge returns only when both reported !ok (a flag set in each !ok branch).
func mergeUntilBothClosed(a, b []int, limit int) []int {
	ca := make(chan int)
	cb := make(chan int)
	go func() {
		defer close(ca)
		for _, x := range a {
			ca <- x
		}
	}()
	go func() {
		defer close(cb)
		for _, x := range b {
			cb <- x
		}
	}()
	var out []int
	aDone, bDone := false, false
	for {
		select {
		case x, ok := <-ca:
			if !ok {
				aDone = true
				if bDone {
					return out
				}
				ca = nil
				continue
			}
			out = append(out, x)
		case x, ok := <-cb:
			if !ok {
				bDone = true
				if aDone {
					return out
				}
				cb = nil
				continue
			}
			out = append(out, x)
		}
	}
}

// mergeUntilNil: the same with the channel variables set to nil in the !ok branches
// and a return once both are nil.
func mergeUntilNil(a, b []int) int {
	ca, cb := make(chan int), make(chan int)
	go func() {
		defer close(ca)
		for _, x := range a {
			ca <- x
		}
	}()
	go func() {
		defer close(cb)
		for _, x := range b {
			cb <- x
		}
	}()
	sum := 0
	for {
		select {
		case x, ok := <-ca:
			if !ok {
				ca = nil
				if cb == nil {
					return sum
				}
				continue
			}
			sum += x
		case x, ok := <-cb:
			if !ok {
				cb = nil
				if ca == nil {
					return sum
				}
				continue
			}
			sum += x
		}
	}
}

// mergeReturnsOnFirstClose: the twin that returns as soon as one producer is done: the
// other one may still be sending.
func mergeReturnsOnFirstClose(a, b []int) int {
	ca, cb := make(chan int), make(chan int)
	go func() {
		defer close(ca)
		for _, x := range a {
			ca <- x
		}
	}()
	go func() {
		defer close(cb)
		for _, x := range b {
			cb <- x // want `goroutine blocks forever sending on "cb" \(unbuffered\): mergeReturnsOnFirstClose can return at line \d+ without receiving`
		}
	}()
	sum := 0
	for {
		select {
		case x, ok := <-ca:
			if !ok {
				return sum
			}
			sum += x
		case x, ok := <-cb:
			if !ok {
				cb = nil
				continue
			}
			sum += x
		}
	}
}

// readUntilFinalError: the reader sends lines and, as its very last act, the error
// that stopped it; the handler leaves only after receiving that error.
func readUntilFinalError(r io.Reader, handle func(string) bool) {
	lines := make(chan string)
	errc := make(chan error, 1)
	go func() {
		buf := make([]byte, 64)
		for {
			n, err := r.Read(buf)
			if err != nil {
				errc <- err
				return
			}
			lines <- string(buf[:n])
		}
	}()
	timeout := time.NewTimer(time.Minute)
	defer timeout.Stop()
	for {
		select {
		case l := <-lines:
			if !handle(l) {
				continue
			}
		case <-errc:
			return
		case <-timeout.C:
			closeReader(r)
		}
	}
}

// readUntilAnyError: the twin whose reader reports a soft error and keeps reading:
// receiving it proves nothing, the next line is sent to nobody, and the next errors
// fill the buffer.
func readUntilAnyError(r io.Reader) {
	lines := make(chan string)
	errc := make(chan error, 1)
	go func() {
		buf := make([]byte, 64)
		for {
			n, err := r.Read(buf)
			if err != nil {
				errc <- err // want `goroutine blocks forever sending on "errc" \(buffer of 1\): the receiving loop at line \d+ can return`
				continue
			}
			lines <- string(buf[:n]) // want `goroutine blocks forever sending on "lines" \(unbuffered\)`
		}
	}()
	for {
		select {
		case l := <-lines:
			_ = l
		case <-errc:
			return
		}
	}
}

func closeReader(r io.Reader) {
	if c, ok := r.(io.Closer); ok {
		_ = c.Close()
	}
}

// drainThenCancelAndWait: the collector receives until it has enough, cancels the
// producer and waits for it: the function cannot return before the producer exited.
func drainThenCancelAndWait(ctx context.Context, produce func() error) int {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errCh := make(chan error, 1000)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				if err := produce(); err != nil {
					errCh <- err
				}
			}
		}
	}()
	n := 0
loop:
	for {
		select {
		case <-errCh:
			n++
			if n >= 100 {
				cancel()
				break loop
			}
		case <-time.After(time.Second):
			cancel()
			break loop
		}
	}
	wg.Wait()
	return n
}

// checkerWaitsWithoutReceiving: the checker sends on every failure until it is told
// to stop, and the test receives nothing before waiting for it: after 64 failures the
// checker blocks, never sees stop, and wg.Wait never returns.
func checkerWaitsWithoutReceiving(check func() error) error {
	stop := make(chan struct{})
	errs := make(chan error, 64)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
				if err := check(); err != nil {
					errs <- err // want `goroutine blocks forever sending on "errs" \(buffer of 64\): checkerWaitsWithoutReceiving receives nothing from it before waiting for the goroutine at line \d+`
				}
			}
		}
	}()
	time.Sleep(time.Second)
	close(stop)
	wg.Wait()
	if len(errs) > 0 {
		return <-errs
	}
	return nil
}

// doneAfterLastSend: Done comes after the goroutine's only send, and the function
// waits before leaving; the early return happens after the wait.
func doneAfterLastSend(q string) (string, error) {
	res := make(chan string, 1)
	errc := make(chan error)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		v, err := slowQueryErr(q)
		if err != nil {
			errc <- err // want "sends on \"errc\" at line 283, but nothing in the package ever receives from that unbuffered channel"
			wg.Done()
			return
		}
		res <- v
		wg.Done()
	}()
	select {
	case v := <-res:
		return v, nil
	case <-time.After(time.Second):
		wg.Wait()
		return "", errTimeout
	}
}

// doneBeforeSend: the twin calls Done before its send: the wait proves nothing.
func doneBeforeSend(q string) (string, error) {
	errc := make(chan error)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		_, err := slowQueryErr(q)
		wg.Done()
		errc <- err // want `goroutine blocks forever sending on "errc" \(unbuffered\): doneBeforeSend can return at line \d+ without receiving`
	}()
	select {
	case err := <-errc:
		return "", err
	case <-time.After(time.Second):
		wg.Wait()
		return "", errTimeout
	}
}

// retryUntilSubscribed: each iteration starts one attempt and receives its single
// result in every case before looping or returning.
func retryUntilSubscribed(ctx context.Context, attempt func(context.Context) error, quit <-chan struct{}) error {
	result := make(chan error)
	for {
		actx, cancel := context.WithCancel(ctx)
		go func() {
			result <- attempt(actx)
		}()
		select {
		case err := <-result:
			cancel()
			if err == nil {
				return nil
			}
			if errors.Is(err, context.Canceled) {
				return err
			}
		case <-quit:
			cancel()
			<-result
			return errors.New("quit")
		}
	}
}

// retryAbandonsAttempt: the twin does not wait for the attempt when told to quit.
func retryAbandonsAttempt(ctx context.Context, attempt func(context.Context) error, quit <-chan struct{}) error {
	result := make(chan error)
	for {
		actx, cancel := context.WithCancel(ctx)
		go func() {
			result <- attempt(actx) // want `goroutine blocks forever sending on "result" \(unbuffered\): retryAbandonsAttempt can return at line \d+ without receiving`
		}()
		select {
		case err := <-result:
			cancel()
			if err == nil {
				return nil
			}
		case <-quit:
			cancel()
			return errors.New("quit")
		}
	}
}

// openAllOrFail: the return before the go statement abandons goroutines of earlier
// iterations, and the message says so.
func openAllOrFail(names []string, open func(string) (io.Closer, error)) ([]io.Closer, error) {
	type res struct {
		c   io.Closer
		err error
	}
	resc := make(chan res)
	for _, n := range names {
		if n == "" {
			return nil, errors.New("empty name")
		}
		go func() {
			c, err := open(n)
			resc <- res{c, err} // want `goroutine blocks forever sending on "resc" \(unbuffered\): openAllOrFail can return at line \d+ \(in a later iteration of the loop at line \d+\)`
		}()
	}
	var out []io.Closer
	for range names {
		r := <-resc
		if r.err != nil {
			return nil, r.err
		}
		out = append(out, r.c)
	}
	return out, nil
}

// boundedSendsThenWait: each worker sends at most once per item of a bounded loop, and
// the count is not known: waiting without receiving may or may not overflow, so only
// an endless sending loop is reported.
func boundedSendsThenWait(items []string, workers int) error {
	errCh := make(chan error, 16)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, it := range items {
				if err := check(it); err != nil {
					errCh <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errCh)
	for err := range errCh {
		return err
	}
	return nil
}
