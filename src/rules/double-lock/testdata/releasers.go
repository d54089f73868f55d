package a

import (
	"errors"
	"sync"
)

// Unlocks handed out as function values: a helper returns the function that releases a
// lock (at most once), the caller defers it and may also call it early; a method returns
// the Unlock method value of the lock it took.

func unlockerOnce(l sync.Locker) func() {
	var once sync.Once
	return func() { once.Do(l.Unlock) }
}

type relay struct {
	lock    sync.Mutex
	running bool
}

func (r *relay) serve() error {
	r.lock.Lock()
	defer r.lock.Unlock()
	r.running = true
	return nil
}

// Released early through the returned function, then serve takes the lock again: fine.
func (r *relay) Start() error {
	r.lock.Lock()
	unlock := unlockerOnce(&r.lock)
	defer unlock()
	if r.running {
		return errors.New("already running")
	}
	unlock()
	return r.serve()
}

// Start returns with the lock released (deferred releaser, Once-guarded): fine.
func (r *relay) Restart() error {
	if err := r.Start(); err != nil {
		return err
	}
	r.lock.Lock()
	r.running = false
	r.lock.Unlock()
	return nil
}

func (r *relay) hold() func() {
	r.lock.Lock()
	return r.lock.Unlock
}

func (r *relay) Toggle() {
	done := r.hold()
	r.running = !r.running
	done()
	r.lock.Lock()
	r.running = false
	r.lock.Unlock()
}

// A releaser of unknown origin (a func field given the mutex): nothing is claimed.
type lender struct {
	mu     sync.Mutex
	giveUp func(sync.Locker)
}

func (l *lender) Borrow() {
	l.mu.Lock()
	l.giveUp(&l.mu)
	l.mu.Lock()
	l.mu.Unlock()
}

// A releaser from another package's helper: unknown, so a later Lock is not claimed.
func (l *lender) Lend(release func(sync.Locker) func()) {
	l.mu.Lock()
	done := release(&l.mu)
	done()
	l.mu.Lock()
	l.mu.Unlock()
}

// Positives: the releaser has not run yet when the lock is taken again.
func (r *relay) Reload() error {
	r.lock.Lock()
	unlock := unlockerOnce(&r.lock)
	defer unlock()
	return r.serve() // want `calling relay.serve Locks r.lock \(line 23\) while this goroutine already holds it`
}

func (r *relay) Flip() {
	done := r.hold()
	r.lock.Lock() // want `r.lock.Lock\(\) is called while r.lock is already held`
	done()
}

// A sync.Locker parameter is whatever the caller passes: here the mutex it holds.
func withLocker(l sync.Locker, f func()) {
	l.Lock()
	defer l.Unlock()
	f()
}

func (r *relay) Stop() {
	r.lock.Lock()
	defer r.lock.Unlock()
	withLocker(&r.lock, func() { r.running = false }) // want `calling withLocker Locks r.lock`
}
