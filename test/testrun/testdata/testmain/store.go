// Package testmain has its own TestMain (in the external test package) and
// leaking tests in both the internal and the external test package.
package testmain

import "time"

// Watch starts a goroutine that polls until stop is closed; callers that never
// close stop leak it.
func Watch(stop <-chan struct{}, every time.Duration, f func()) {
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select { // site: watch
			case <-stop:
				return
			case <-t.C:
				f()
			}
		}
	}()
}

// Notify sends on ch in a goroutine.
func Notify(ch chan<- string, msg string) {
	go func() { ch <- msg }() // site: notify
}
