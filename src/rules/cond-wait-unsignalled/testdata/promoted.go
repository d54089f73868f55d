package a

import "sync"

// Negative: the type embeds *sync.Cond; Wait is called on the field, Broadcast through
// method promotion (w.Broadcast() is w.Cond.Broadcast()).
type window struct {
	*sync.Cond
	waiters int
}

func newWindow() *window { return &window{Cond: sync.NewCond(new(sync.Mutex))} }

func (w *window) waitBlocked() {
	w.Cond.L.Lock()
	for w.waiters == 0 {
		w.Cond.Wait()
	}
	w.Cond.L.Unlock()
}

func (w *window) block() {
	w.L.Lock()
	w.waiters++
	w.Broadcast()
	w.L.Unlock()
}
