// Fixtures for abandoned-sender: a goroutine sends on a channel made in the
// enclosing function, while the only receiver in that function is a select
// that can take another case (a timeout, ctx.Done(), a quit channel) and
// return first. The goroutine then blocks forever on its send; the finding is
// on the send statement, which is the frame a goroutine profile shows.
package a

import (
	"context"
	"errors"
	"net/http"
	"time"
)

var errTimeout = errors.New("timeout")

func slowQuery(q string) string {
	time.Sleep(50 * time.Millisecond)
	return q
}

func slowQueryErr(q string) (string, error) {
	if q == "" {
		return "", errors.New("empty query")
	}
	return slowQuery(q), nil
}

// timeoutFuncLit: go func literal, unbuffered channel, receiver selects on
// time.After. After the timeout nobody will ever receive from ch.
func timeoutFuncLit(q string) (string, error) {
	ch := make(chan string)
	go func() {
		ch <- slowQuery(q) // want "blocks forever sending on \"?ch"
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-time.After(time.Second):
		return "", errTimeout
	}
}

// ctxDoneReceiver: the receiver gives up when the caller's context is done.
func ctxDoneReceiver(ctx context.Context, q string) (string, error) {
	results := make(chan string)
	go func() {
		v, _ := slowQueryErr(q)
		results <- v // want "blocks forever sending on \"?results"
	}()
	select {
	case v := <-results:
		return v, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// serveUntilCancelled: a real-world shape. On ctx.Done the server is shut
// down, ListenAndServe then returns http.ErrServerClosed, and the goroutine
// blocks sending it on errc, which nobody reads any more.
func serveUntilCancelled(ctx context.Context, srv *http.Server) error {
	errc := make(chan error)
	go func() {
		errc <- srv.ListenAndServe() // want "blocks forever sending on \"?errc"
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(shutdownCtx)
	}
}

// sendsInIfBranches: the goroutine sends on one of two channels depending on
// the outcome; either send can be abandoned after the timeout.
func sendsInIfBranches(q string, d time.Duration) (string, error) {
	resc := make(chan string)
	errc := make(chan error)
	go func() {
		v, err := slowQueryErr(q)
		if err != nil {
			errc <- err // want "blocks forever sending on \"?errc"
			return
		}
		resc <- v // want "blocks forever sending on \"?resc"
	}()
	select {
	case v := <-resc:
		return v, nil
	case err := <-errc:
		return "", err
	case <-time.After(d):
		return "", errTimeout
	}
}

// timerReceiver: the timeout comes from a time.Timer instead of time.After.
func timerReceiver(q string, d time.Duration) (string, bool) {
	done := make(chan string)
	go func() {
		done <- slowQuery(q) // want "blocks forever sending on \"?done"
	}()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case v := <-done:
		return v, true
	case <-t.C:
		return "", false
	}
}

// quitChannelReceiver: the receiver also listens on a quit channel from its
// caller and returns when it is closed.
func quitChannelReceiver(quit <-chan struct{}, q string) string {
	answer := make(chan string)
	go func() {
		s := slowQuery(q)
		answer <- s + "!" // want "blocks forever sending on \"?answer"
	}()
	select {
	case s := <-answer:
		return s
	case <-quit:
		return ""
	}
}

// channelAsLiteralParam: the channel is passed to the go func literal as an
// argument; the send uses the parameter name `out`, the channel was made as
// `ch`. Either name in the message is acceptable.
func channelAsLiteralParam(q string) (string, error) {
	ch := make(chan string)
	go func(out chan<- string) {
		out <- slowQuery(q) // want "blocks forever sending on \"?(out|ch)"
	}(ch)
	select {
	case v := <-ch:
		return v, nil
	case <-time.After(100 * time.Millisecond):
		return "", errTimeout
	}
}

// sendInSwitch: the send sits in a switch case in the goroutine; the receiver
// can return on ctx.Done().
func sendInSwitch(ctx context.Context, kind int) (int, error) {
	sizes := make(chan int)
	go func() {
		switch kind {
		case 0:
			sizes <- 0 // want "blocks forever sending on \"?sizes"
		default:
			sizes <- len(slowQuery("x")) * kind // same goroutine: a related location of the finding above
		}
	}()
	select {
	case n := <-sizes:
		return n, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}
