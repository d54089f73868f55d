package main

import (
	"fmt"
	"sync"
)

type sessions struct {
	mu   sync.Mutex
	byID map[string]int
}

func (s *sessions) touch(id string) {
	s.mu.Lock()
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

func main() {
	s := &sessions{byID: map[string]int{}}
	safeTouch(s, "")
	for i := 0; i < 5; i++ {
		go safeTouch(s, fmt.Sprint("id", i))
	}
	select {}
}
