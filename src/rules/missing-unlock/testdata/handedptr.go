package a

import "sync"

// Negative: the mutex itself is handed to the caller as a *sync.Mutex result; every
// caller unlocks it.
type wire struct {
	rlock sync.Mutex
	next  int
}

func (c *wire) waitResponse(id int) (size int, lock *sync.Mutex, err error) {
	for {
		c.rlock.Lock()
		if c.next == id {
			size, lock = 4, &c.rlock
			// Don't unlock: ownership goes to the caller.
			break
		}
		c.rlock.Unlock()
	}
	return
}

func (c *wire) read(id int) int {
	n, lock, _ := c.waitResponse(id)
	defer lock.Unlock()
	return n
}
