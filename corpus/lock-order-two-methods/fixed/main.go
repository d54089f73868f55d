package main

import (
	"sync"
	"time"
)

type store struct {
	itemsMu sync.Mutex
	indexMu sync.Mutex
	items   []string
	index   map[string]int
}

func (s *store) Move(v string) {
	s.itemsMu.Lock()
	defer s.itemsMu.Unlock()
	s.items = append(s.items, v)
	time.Sleep(50 * time.Millisecond)
	s.indexMu.Lock()
	s.index[v] = len(s.items) - 1
	s.indexMu.Unlock()
}

func (s *store) Reindex() {
	s.itemsMu.Lock()
	defer s.itemsMu.Unlock()
	s.indexMu.Lock()
	defer s.indexMu.Unlock()
	for i, v := range s.items {
		s.index[v] = i
	}
}

func main() {
	s := &store{index: map[string]int{}}
	go s.Move("a")
	go s.Reindex()
	select {}
}
