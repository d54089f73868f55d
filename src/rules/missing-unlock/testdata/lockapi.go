// A lock API on a wrapper type: one method returns holding a per-key mutex, another
// method of the same type releases it (the acquire and release halves, like Lock and
// Unlock of a mutex). The acquire half is not reported; its twins are.
package a

import "sync"

type slot struct {
	mu      sync.Mutex
	waiters int
}

type keyedMutex struct {
	mu    sync.Mutex
	slots map[string]*slot
}

// Acquire returns holding the key's mutex on every path; Release unlocks it (negative).
func (k *keyedMutex) Acquire(key string) {
	k.mu.Lock()
	s, ok := k.slots[key]
	if !ok {
		s = new(slot)
		k.slots[key] = s
	}
	s.waiters++
	k.mu.Unlock()

	s.mu.Lock()
}

// Release unlocks the mutex Acquire returned holding.
func (k *keyedMutex) Release(key string) {
	k.mu.Lock()
	s, ok := k.slots[key]
	k.mu.Unlock()
	if !ok {
		return
	}
	s.mu.Unlock()
	k.mu.Lock()
	s.waiters--
	if s.waiters == 0 {
		delete(k.slots, key)
	}
	k.mu.Unlock()
}

// AcquireUnlessBusy holds the key's mutex on one path only: the missing Unlock on the other
// is a bug whatever Release does (positive).
func (k *keyedMutex) AcquireUnlessBusy(key string) int {
	k.mu.Lock()
	s := k.slots[key]
	k.mu.Unlock()
	s.mu.Lock() // want `s.mu is locked here and is still held at the return at line 57`
	if s.waiters > 1 {
		return s.waiters
	}
	s.mu.Unlock()
	return 0
}

// No method of the type releases the mutex a method returns holding (positive).
type keyedGate struct {
	mu    sync.Mutex
	slots map[string]*slot
}

func (k *keyedGate) Enter(key string) {
	k.mu.Lock()
	s := k.slots[key]
	k.mu.Unlock()
	s.mu.Lock() // want `s.mu is locked here and is still held at the end of keyedGate.Enter`
}

// Leave locks the mutex itself before unlocking it: not a release of what Enter holds.
func (k *keyedGate) Leave(key string) {
	k.mu.Lock()
	s := k.slots[key]
	k.mu.Unlock()
	s.mu.Lock()
	s.waiters--
	s.mu.Unlock()
}
