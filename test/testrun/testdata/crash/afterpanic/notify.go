// Package afterpanic has a notifier whose goroutine outlives the test that
// started it and sends on the channel the test closed: it panics after the
// tests, while another goroutine left by a finished test is still blocked.
package afterpanic

import "time"

// NotifyLater sends on ch after d.
func NotifyLater(ch chan<- int, d time.Duration) {
	go func() {
		time.Sleep(d)
		ch <- 1 // site: send-closed
	}()
}

// Wait blocks until ch is closed.
func Wait(ch <-chan struct{}) {
	go func() {
		<-ch // site: waiter
	}()
}
