// Package parallel has t.Parallel() tests whose leaks must be attributed by the
// created-by chain, not by timing: two tests leak at the same site, one leaks
// through a goroutine started by another (short-lived) goroutine, one is clean.
package parallel

import "time"

// StartWorker starts a worker that waits for jobs forever.
func StartWorker(jobs <-chan func()) {
	go func() {
		for j := range jobs { // site: worker
			j()
		}
	}()
}

// Supervise starts a supervisor that itself starts a watcher and exits.
func Supervise(stop <-chan struct{}) {
	go func() {
		go watch(stop)
	}()
}

func watch(stop <-chan struct{}) {
	<-stop // site: watcher
}

// Work runs and exits.
func Work(d time.Duration) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		time.Sleep(d)
		close(done)
	}()
	return done
}
