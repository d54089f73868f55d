package a

import "sync"

// A field bound to its own object: a method value (c.onEvict = c.recordEviction), an
// interface field holding the object (h.notifier = h), a back-pointer (s.check =
// checker{store: s}). Calling through it runs the method on the same object.
type evictCache struct {
	mu      sync.Mutex
	items   map[string]int
	order   []string
	onEvict func(key string)
	evicted []string
}

func newEvictCache() *evictCache {
	c := &evictCache{items: map[string]int{}}
	c.onEvict = c.recordEviction
	return c
}

func (c *evictCache) recordEviction(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.evicted = append(c.evicted, key)
}

func (c *evictCache) Put(key string, v int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items[key] = v
	c.order = append(c.order, key)
	if len(c.order) > 2 {
		old := c.order[0]
		c.order = c.order[1:]
		c.onEvict(old) // want `calling evictCache.recordEviction Locks c.mu`
	}
}

type notifier interface{ notify(topic string) }

type hub struct {
	mu     sync.Mutex
	counts map[string]int
	n      notifier
}

func newHub() *hub {
	h := &hub{counts: map[string]int{}}
	h.n = h
	return h
}

func (h *hub) notify(topic string) {
	h.mu.Lock()
	h.counts[topic]++
	h.mu.Unlock()
}

func (h *hub) publish(topic string) {
	h.mu.Lock()
	h.n.notify(topic) // want `calling hub.notify Locks h.mu`
	h.mu.Unlock()
}

func (h *hub) publishAfter(topic string) {
	h.mu.Lock()
	h.counts[topic] += 0
	h.mu.Unlock()
	h.n.notify(topic)
}

type validator interface{ check(key string) }

type checker struct{ store *kvStore }

func (k checker) check(key string) { k.store.get(key) }

type kvStore struct {
	mu    sync.Mutex
	vals  map[string]string
	check validator
}

func newKVStore() *kvStore {
	s := &kvStore{vals: map[string]string{}}
	s.check = checker{store: s}
	return s
}

func (s *kvStore) get(k string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.vals[k]
}

func (s *kvStore) validate() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.vals {
		s.check.check(k) // want `calling checker.check → kvStore.get Locks s.mu`
	}
}

// Negatives: a callback field written with something else too, and another object's callback.
type looseCache struct {
	mu      sync.Mutex
	onEvict func(key string)
}

func newLooseCache(f func(string)) *looseCache {
	c := &looseCache{}
	c.onEvict = c.record
	if f != nil {
		c.onEvict = f
	}
	return c
}

func (c *looseCache) record(string) { c.mu.Lock(); c.mu.Unlock() }

func (c *looseCache) put(k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.onEvict(k)
}

func (c *evictCache) putOther(o *evictCache, k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	o.onEvict(k)
}
