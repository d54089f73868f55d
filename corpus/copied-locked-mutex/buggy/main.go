package main

import (
	"fmt"
	"sync"
)

type stats struct {
	mu   sync.Mutex
	hits int
}

func (s *stats) Snapshot() stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s
}

func (s *stats) Hits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits
}

func main() {
	live := &stats{hits: 3}
	snap := live.Snapshot()
	go func() { fmt.Println(snap.Hits()) }()
	select {}
}
