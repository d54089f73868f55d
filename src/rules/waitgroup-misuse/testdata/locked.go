package a

import "sync"

// Wait while holding a lock the counted goroutines must take before their Done.
type cache struct {
	mu   sync.RWMutex
	data map[string]string
}

func (c *cache) set(k, v string) {
	c.mu.Lock() // want `this Lock of c.mu blocks forever in the goroutine started at line 25: cache.warm holds c.mu.RLock\(\) \(line 18\) and waits in wg.Wait\(\) \(line 30\)`
	defer c.mu.Unlock()
	c.data[k] = v
}

func (c *cache) warm(keys []string) {
	c.mu.RLock()
	var wg sync.WaitGroup
	for _, k := range keys {
		if _, ok := c.data[k]; ok {
			continue
		}
		wg.Add(1)
		go func(key string) {
			defer wg.Done()
			c.set(key, key)
		}(k)
	}
	wg.Wait() // want `wg.Wait\(\) waits for the goroutine started at line 25, which Locks c.mu through cache.set before its deferred Done while this goroutine holds c.mu.RLock\(\) \(line 18\)`
	c.mu.RUnlock()
}

type table struct {
	mu   sync.Mutex
	rows []int
	wg   sync.WaitGroup
}

func (t *table) rebuild() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i := 0; i < 3; i++ {
		t.wg.Add(1)
		go func(i int) {
			defer t.wg.Done()
			t.add(i)
		}(i)
	}
	t.wg.Wait() // want `t.wg.Wait\(\) waits for the goroutine started at line 45, which Locks t.mu through table.add before its deferred Done while this goroutine holds t.mu.Lock\(\)`
}

func (t *table) add(i int) {
	t.mu.Lock() // want `this Lock of t.mu blocks forever in the goroutine started at line 45`
	t.rows = append(t.rows, i)
	t.mu.Unlock()
}

// Negatives.

// Released before the Wait.
func (c *cache) warmReleased(keys []string) {
	c.mu.RLock()
	var missing []string
	for _, k := range keys {
		if _, ok := c.data[k]; !ok {
			missing = append(missing, k)
		}
	}
	c.mu.RUnlock()
	var wg sync.WaitGroup
	for _, k := range missing {
		wg.Add(1)
		go func(key string) {
			defer wg.Done()
			c.set(key, key)
		}(k)
	}
	wg.Wait()
}

// Readers under a reader, and nothing ever write-locks the lock.
type index struct {
	mu   sync.RWMutex
	keys []string
}

func (x *index) has(k string) bool {
	x.mu.RLock()
	defer x.mu.RUnlock()
	for _, y := range x.keys {
		if y == k {
			return true
		}
	}
	return false
}

func (x *index) hasAll(ks []string) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	var wg sync.WaitGroup
	for _, k := range ks {
		wg.Add(1)
		go func(k string) {
			defer wg.Done()
			_ = x.has(k)
		}(k)
	}
	wg.Wait()
}

// The goroutine takes another lock.
type pair struct {
	a, b sync.Mutex
	n    int
}

func (p *pair) run() {
	p.a.Lock()
	defer p.a.Unlock()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		p.b.Lock()
		p.n++
		p.b.Unlock()
	}()
	wg.Wait()
}

// The goroutine does not count on this WaitGroup.
func (t *table) spawn() {
	t.mu.Lock()
	defer t.mu.Unlock()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
	}()
	go func() {
		t.mu.Lock()
		t.rows = nil
		t.mu.Unlock()
	}()
	wg.Wait()
}
