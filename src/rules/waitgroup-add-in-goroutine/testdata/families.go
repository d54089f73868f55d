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
