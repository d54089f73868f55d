package a

import "sync"

// A lock handed to the caller in the object that releases it: Lock returns the locked
// entry as an Unlocker, and the entry's Unlock method releases its mutex. The caller
// pairs Lock with Unlock, as with a plain mutex.

// Unlocker releases a lock.
type Unlocker interface {
	Unlock()
}

type mapEntry struct {
	m   *lockMap
	key string
	el  sync.Mutex
	cnt int
}

type lockMap struct {
	ml sync.Mutex
	ma map[string]*mapEntry
}

// Lock returns holding the entry's mutex, in the entry it returns. Silent.
func (m *lockMap) Lock(key string) Unlocker {
	m.ml.Lock()
	e, ok := m.ma[key]
	if !ok {
		e = &mapEntry{m: m, key: key}
		m.ma[key] = e
	}
	e.cnt++
	m.ml.Unlock()
	e.el.Lock()
	return e
}

// Unlock releases the entry's mutex (taken by lockMap.Lock), found again through the map.
func (entry *mapEntry) Unlock() {
	m := entry.m
	m.ml.Lock()
	e, ok := m.ma[entry.key]
	if !ok {
		m.ml.Unlock()
		panic("unlock of a key that is not locked: " + entry.key)
	}
	e.cnt--
	if e.cnt == 0 {
		delete(m.ma, entry.key)
	}
	m.ml.Unlock()
	e.el.Unlock()
}

type countEntry struct {
	el  sync.Mutex
	cnt int
}

type countMap struct {
	ma map[string]*countEntry
}

// Locks the entry's mutex and returns only its count: the caller cannot release it, and
// nothing in the package does.
func (m *countMap) Count(key string) int {
	e := m.ma[key]
	e.el.Lock() // want `e.el is locked here and is still held`
	return e.cnt
}
