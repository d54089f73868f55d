package main

import (
	"fmt"
	"sync"
	"time"
)

type guard struct {
	sync.Mutex
}

type Session struct {
	guard
	id      string
	expires time.Time
	hits    int
}

func (s *Session) Extend(d time.Duration) {
	s.Lock()
	defer s.Unlock()
	s.expires = s.expires.Add(d)
}

func (s *Session) Touch() {
	s.Lock()
	defer s.Unlock()
	s.hits++
	if s.hits%5 == 0 {
		s.expires = s.expires.Add(time.Minute)
	}
}

func main() {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 4; i++ {
		s := &Session{id: fmt.Sprintf("sess-%d", i), expires: start}
		go func() {
			for h := 0; h < 7; h++ {
				s.Touch()
			}
			fmt.Println(s.id, s.hits)
		}()
	}
	select {}
}
