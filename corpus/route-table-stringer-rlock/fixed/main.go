package main

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

type Route struct {
	Prefix  string
	Backend string
}

type Table struct {
	mu      sync.RWMutex
	routes  []Route
	version int
}

func (t *Table) String() string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return fmt.Sprintf("route table v%d (%d routes)", t.version, len(t.routes))
}

func (t *Table) Update(routes []Route) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.routes = routes
	t.version++
}

func (t *Table) refresh() {
	t.Update(append([]Route{{Prefix: "/new", Backend: "svc-new"}}, t.snapshot()...))
}

func (t *Table) snapshot() []Route {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return append([]Route(nil), t.routes...)
}

func (t *Table) Lookup(path string) (string, error) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	for _, r := range t.routes {
		if strings.HasPrefix(path, r.Prefix) {
			return r.Backend, nil
		}
	}
	go t.refresh()
	time.Sleep(20 * time.Millisecond) // consult the fallback resolver
	return "", fmt.Errorf("no route for %s in route table v%d", path, t.version)
}

func main() {
	for i := 0; i < 3; i++ {
		t := &Table{routes: []Route{{Prefix: "/api", Backend: "svc-api"}, {Prefix: "/static", Backend: "cdn"}}}
		go func() {
			for _, p := range []string{"/api/users", "/metrics", "/static/app.js"} {
				if _, err := t.Lookup(p); err != nil {
					fmt.Println(err)
				}
			}
		}()
	}
	select {}
}
