package main

import (
	"fmt"
	"sync"
	"time"
)

type Room struct {
	mu       sync.RWMutex
	name     string
	sessions map[string]*Session
}

type Session struct {
	mu     sync.Mutex
	user   string
	room   *Room
	outbox []string
}

func (r *Room) Join(user string) *Session {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := &Session{user: user, room: r}
	r.sessions[user] = s
	return s
}

func (r *Room) Broadcast(msg string) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, s := range r.sessions {
		s.deliver(msg)
	}
}

func (r *Room) remove(user string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.sessions, user)
}

func (s *Session) deliver(msg string) {
	time.Sleep(40 * time.Millisecond) // encode for the client
	s.mu.Lock()
	defer s.mu.Unlock()
	s.outbox = append(s.outbox, msg)
}

func (s *Session) Leave() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.outbox = append(s.outbox, "bye "+s.user)
	time.Sleep(40 * time.Millisecond) // flush the outbox
	s.room.remove(s.user)
}

func main() {
	for i := 0; i < 4; i++ {
		r := &Room{name: fmt.Sprintf("room-%d", i), sessions: map[string]*Session{}}
		s := r.Join("alice")
		go r.Broadcast("hello")
		go s.Leave()
	}
	select {}
}
