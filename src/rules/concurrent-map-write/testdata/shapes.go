// Fixtures for concurrent-map-write across several goroutines of one method: a session
// table behind a struct field, filled by an accept goroutine while a reaper goroutine
// deletes from it.
package a

import (
	"sync"
	"time"
)

type session struct {
	user string
	seen time.Time
}

type gateway struct {
	mu       sync.Mutex
	sessions map[uint64]*session
	accepted chan uint64
}

// run: the reaper deletes while the acceptor inserts; nothing orders the two.
func (g *gateway) run(maxAge time.Duration) {
	go func() {
		for id := range g.accepted {
			g.sessions[id] = &session{seen: time.Now()} // want `map "g.sessions" is written at line \d+ by the goroutine started at line \d+ while the goroutine started at line \d+ reads it at line \d+`
		}
	}()
	go func() {
		for now := range time.Tick(maxAge) {
			for id, s := range g.sessions {
				if now.Sub(s.seen) > maxAge {
					delete(g.sessions, id) // want `map "g.sessions" is written at line \d+ by the goroutine started at line \d+ while the goroutine started at line \d+ writes it`
				}
			}
		}
	}()
}

// runLocked (negative): both goroutines hold the gateway's mutex.
func (g *gateway) runLocked(maxAge time.Duration) {
	go func() {
		for id := range g.accepted {
			g.mu.Lock()
			g.sessions[id] = &session{seen: time.Now()}
			g.mu.Unlock()
		}
	}()
	go func() {
		t := time.NewTicker(maxAge)
		defer t.Stop()
		for now := range t.C {
			g.mu.Lock()
			for id, s := range g.sessions {
				if now.Sub(s.seen) > maxAge {
					delete(g.sessions, id)
				}
			}
			g.mu.Unlock()
		}
	}()
}
