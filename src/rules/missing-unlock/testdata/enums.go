// A switch over a closed, unexported enum with a case for every member: its default
// clause never runs, so an exit reached only through it is not a path that leaves the
// lock held. The positive twins open the enum (a conversion of a non-constant, arithmetic,
// a zero value that is no member, an exported type) or miss a member.
package a

import (
	"strconv"
	"sync"
)

type source int

const (
	fromCache source = iota
	fromDisk
	fromCacheThenDisk
)

type offsetTable struct {
	mu    sync.RWMutex
	table map[string]int64
}

func loadOffset(key string) int64 { return int64(len(key)) }

// Every member has a case, each returns after RUnlock; the empty default falls out to a
// return that no value of source reaches (negative).
func (o *offsetTable) get(key string, s source) int64 {
	o.mu.RLock()
	switch s {
	case fromCache, fromCacheThenDisk:
		if v, ok := o.table[key]; ok {
			o.mu.RUnlock()
			return v
		}
		if s == fromCache {
			o.mu.RUnlock()
			return -1
		}
		fallthrough
	case fromDisk:
		o.mu.RUnlock()
		return loadOffset(key)
	default:
	}
	return -1
}

// No default at all: the way out past every case is as impossible (negative).
func (o *offsetTable) peek(key string, s source) int64 {
	o.mu.Lock()
	switch s {
	case fromCache:
		o.mu.Unlock()
		return o.table[key]
	case fromDisk:
		o.mu.Unlock()
		return loadOffset(key)
	case fromCacheThenDisk:
		o.mu.Unlock()
		return 0
	}
	return -1
}

// A member has no case: the default is where fromCacheThenDisk goes (positive).
func (o *offsetTable) partial(key string, s source) int64 {
	o.mu.Lock() // want `o.mu is locked here and is still held at the return at line 79`
	switch s {
	case fromCache:
		o.mu.Unlock()
		return o.table[key]
	case fromDisk:
		o.mu.Unlock()
		return loadOffset(key)
	default:
	}
	return -1
}

// The package converts an arbitrary integer to the type: any value may reach the default (positive).
type level int

const (
	levelLow level = iota
	levelHigh
)

func parseLevel(s string) level {
	n, _ := strconv.Atoi(s)
	return level(n)
}

func (o *offsetTable) byLevel(l level) int64 {
	o.mu.Lock() // want `o.mu is locked here and is still held at the return at line 105`
	switch l {
	case levelLow:
		o.mu.Unlock()
		return 0
	case levelHigh:
		o.mu.Unlock()
		return 1
	}
	return -1
}

// Arithmetic on the type makes values past the last constant (positive).
type phase uint8

const (
	phaseStart phase = iota
	phaseRun
	phaseStop
)

func (p *phase) advance() { *p++ }

func (o *offsetTable) byPhase(p phase) int64 {
	o.mu.Lock() // want `o.mu is locked here and is still held at the return at line 127`
	switch p {
	case phaseStart, phaseRun, phaseStop:
		o.mu.Unlock()
		return int64(p)
	default:
	}
	return -1
}

// The zero value (an unset field, `var k kind`) is no member (positive).
type kind int

const (
	kindA kind = 1
	kindB kind = 2
)

func (o *offsetTable) byKind(k kind) int64 {
	o.mu.Lock() // want `o.mu is locked here and is still held at the return at line 145`
	switch k {
	case kindA, kindB:
		o.mu.Unlock()
		return int64(k)
	}
	return -1
}

// An exported type: other packages may pass any untyped constant (positive).
type Mode int

const (
	ModeA Mode = iota
	ModeB
)

func (o *offsetTable) byMode(m Mode) int64 {
	o.mu.Lock() // want `o.mu is locked here and is still held at the return at line 163`
	switch m {
	case ModeA, ModeB:
		o.mu.Unlock()
		return 0
	}
	return -1
}
