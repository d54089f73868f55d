package main

import (
	"fmt"
	"sync"
	"time"
)

type Schema struct {
	mu     sync.Mutex
	cond   *sync.Cond
	loaded bool
	tables []string
}

func NewSchema() *Schema {
	s := &Schema{}
	s.cond = sync.NewCond(&s.mu)
	return s
}

func (s *Schema) load() {
	s.mu.Lock()
	s.tables = []string{"users", "orders", "invoices"}
	s.loaded = true
	s.mu.Unlock()
	s.cond.Broadcast()
}

func (s *Schema) WaitLoaded() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cond.Wait()
	return s.tables
}

func main() {
	s := NewSchema()
	go s.load()
	time.Sleep(30 * time.Millisecond) // open the listener, read flags
	for i := 0; i < 4; i++ {
		go func(handler int) {
			fmt.Println("handler", handler, "sees", len(s.WaitLoaded()), "tables")
		}(i)
	}
	select {}
}
