package a

import (
	"strings"
	"sync"
)

// A callee known from the call graph (a field bound to a value that points back at its
// owner) that locks the owner's mutex only for some inputs: a caller holding the mutex
// deadlocks on those inputs.

type Checker interface {
	Check(name, value string) bool
}

type catalog struct {
	mu      sync.RWMutex
	entries map[string]string
	checker Checker
}

type aliasChecker struct {
	cat *catalog
}

func (a aliasChecker) Check(name, value string) bool {
	if !strings.HasPrefix(value, "@") {
		return true
	}
	_, ok := a.cat.lookup(strings.TrimPrefix(value, "@"))
	return ok
}

func newCatalog() *catalog {
	c := &catalog{entries: map[string]string{}}
	c.checker = aliasChecker{cat: c}
	return c
}

func (c *catalog) lookup(name string) (string, bool) {
	c.mu.RLock() // want `this RLock of c.mu can run while the same goroutine already holds it: catalog.Verify RLocks c.mu`
	defer c.mu.RUnlock()
	v, ok := c.entries[name]
	return v, ok
}

func (c *catalog) Put(name, value string) {
	c.mu.Lock() // want `this Lock can block forever: catalog.Verify read-locks c.mu again`
	defer c.mu.Unlock()
	c.entries[name] = value
}

func (c *catalog) Verify() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	bad := 0
	for k, v := range c.entries {
		if !c.checker.Check(k, v) {
			bad++
		}
	}
	return bad
}

// Negatives.

// The entries are copied under the lock and checked after it is released.
func (c *catalog) VerifySnapshot() int {
	c.mu.RLock()
	snap := make(map[string]string, len(c.entries))
	for k, v := range c.entries {
		snap[k] = v
	}
	c.mu.RUnlock()
	bad := 0
	for k, v := range snap {
		if !c.checker.Check(k, v) {
			bad++
		}
	}
	return bad
}

// The callee locks only when the caller says it does not hold the lock.
type Resolver interface {
	Resolve(name string, locked bool) string
}

type registry struct {
	mu       sync.Mutex
	names    map[string]string
	resolver Resolver
}

type nameResolver struct {
	reg *registry
}

func (n nameResolver) Resolve(name string, locked bool) string {
	if !locked {
		n.reg.mu.Lock()
		defer n.reg.mu.Unlock()
	}
	return n.reg.names[name]
}

func newRegistry() *registry {
	r := &registry{names: map[string]string{}}
	r.resolver = nameResolver{reg: r}
	return r
}

func (r *registry) Canonical(name string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.resolver.Resolve(name, true)
}

// A direct call to a function that locks on some paths: the two paths' conditions may be
// correlated in ways the analysis does not follow, so nothing is claimed.
func (r *registry) maybeRefresh(force bool, name string) {
	if name == "" {
		return
	}
	r.mu.Lock()
	r.names[name] = name
	r.mu.Unlock()
}

func (r *registry) Rename(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.maybeRefresh(false, "")
}
