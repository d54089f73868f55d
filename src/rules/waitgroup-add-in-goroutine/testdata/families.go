// Negatives distilled from false-positive families found on the Go standard library
// (see bench/triage/stdlib.md).
package a

import "sync"

// acceptLoop: the accept goroutine was counted by its spawner and holds that count
// (`defer wg.Done()` comes first), so its Adds for each connection cannot race with
// Wait (net/tcpsock_unix_test shape).
func acceptLoop(conns <-chan int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for c := range conns {
			wg.Add(1)
			go func() {
				defer wg.Done()
				process(c)
			}()
		}
	}()
	wg.Wait()
}

// Found on real code (issue 11, family 5): the same accept loop whose Done is in a
// deferred closure. The counted goroutine's Add for each connection happens before the
// child starts and before this goroutine's Done, whichever way the Done is deferred.
type listener struct {
	wg    sync.WaitGroup
	conns chan int
	log   []string
}

func (l *listener) serveDeferredClosure() {
	l.wg.Add(1)
	go func() {
		defer func() {
			l.log = append(l.log, "accept loop done")
			l.wg.Done()
		}()
		for c := range l.conns {
			l.wg.Add(1)
			go func() {
				defer l.wg.Done()
				process(c)
			}()
		}
	}()
}

// The same with a plain Done at the end of the loop goroutine.
func (l *listener) servePlainDone() {
	l.wg.Add(1)
	go func() {
		for c := range l.conns {
			l.wg.Add(1)
			go func() {
				defer l.wg.Done()
				process(c)
			}()
		}
		l.wg.Done()
	}()
}

// The twin: the accept loop itself is not counted, so Wait can return before it Adds for
// a child; the message says the Add counts the child, not the goroutine it runs in.
func (l *listener) serveUncounted() {
	go func() {
		for c := range l.conns {
			l.wg.Add(1) // want `l.wg.Add\(1\) counts the goroutine started at line 73, but it runs inside the goroutine started at line 70, which this WaitGroup does not count`
			go func() {
				defer l.wg.Done()
				process(c)
			}()
		}
	}()
}

// The self-counting twin keeps its message: the Add counts the goroutine it runs in.
func (l *listener) handleSelf(c int) {
	go func() {
		l.wg.Add(1) // want `l.wg.Add\(1\) is called inside the goroutine it counts \(started at line 83\)`
		process(c)
		l.wg.Done()
	}()
}
