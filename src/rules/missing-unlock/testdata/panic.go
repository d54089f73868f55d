package a

import (
	"fmt"
	"sync"
)

// A panic with the lock held, recovered by a caller: the lock stays locked.
type sessions struct {
	mu   sync.Mutex
	byID map[string]int
}

func (s *sessions) touch(id string) {
	s.mu.Lock() // want `s.mu is locked here and still held at the panic at line 17 \(no deferred Unlock\); safeTouch recovers that panic`
	if id == "" {
		panic("empty session id")
	}
	s.byID[id]++
	s.mu.Unlock()
}

func safeTouch(s *sessions, id string) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Println("recovered:", r)
		}
	}()
	s.touch(id)
}

// Negatives: a deferred unlock; nobody recovers; the recover is in a goroutine's own frame.
func (s *sessions) touchDeferred(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id == "" {
		panic("empty session id")
	}
	s.byID[id]++
}

func safeTouchDeferred(s *sessions, id string) {
	defer func() { _ = recover() }()
	s.touchDeferred(id)
}

func (s *sessions) mustTouch(id string) {
	s.mu.Lock()
	if id == "" {
		panic("empty session id")
	}
	s.byID[id]++
	s.mu.Unlock()
}

func crash(s *sessions) { s.mustTouch("") }

func (s *sessions) bump(id string) {
	s.mu.Lock()
	if id == "" {
		panic("empty")
	}
	s.byID[id]++
	s.mu.Unlock()
}

func spawn(s *sessions) {
	defer func() { _ = recover() }()
	go s.bump("")
}
