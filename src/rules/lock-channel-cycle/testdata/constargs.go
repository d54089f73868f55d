package lockchan

import "sync"

// A constant argument decides, at that call, the branches of the function it is passed to
// (the blocking-state search binds the parameter to it when it inlines the call, as it does
// for an entry's own constant parameters): `txn(false)` takes no lock.

type memdb struct{ writer sync.Mutex }

// txn locks the writer for a write transaction only; done gives it back.
func (db *memdb) txn(write bool) {
	if write {
		db.writer.Lock()
	}
}

func (db *memdb) done(write bool) {
	if write {
		db.writer.Unlock()
	}
}

// A reader while a write transaction is open does not wait for the writer. Silent (reported
// as a lock-and-receive cycle when the search took `if write` both ways at `txn(false)`).
func readerWhileWriting() {
	db := &memdb{}
	db.txn(true)
	finished := make(chan struct{})
	go func() {
		db.txn(false)
		db.done(false)
		close(finished)
	}()
	<-finished
	db.done(true)
}

type store struct{ mu sync.Mutex }

func (s *store) begin(write bool) {
	if write {
		s.mu.Lock() // want `the goroutine started at line \d+ blocks forever locking "s.mu" at line \d+: writerWhileWriting holds it`
	}
}

func (s *store) end(write bool) {
	if write {
		s.mu.Unlock()
	}
}

// A second writer waits for the first, which waits for it to finish.
func writerWhileWriting() {
	s := &store{}
	s.begin(true)
	finished := make(chan struct{})
	go func() {
		s.begin(true)
		s.end(true)
		close(finished)
	}()
	<-finished // want `writerWhileWriting blocks forever receiving from "finished" at line \d+ while holding "s.mu"`
	s.end(true)
}
