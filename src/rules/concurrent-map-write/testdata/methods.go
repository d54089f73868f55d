// Fixtures for concurrent-map-write one call deep: the goroutines of a loop call a method
// of one shared value, and the method writes a map field of its receiver.
package a

import (
	"strings"
	"sync"
)

// resolver caches DNS answers by host name.
type resolver struct {
	answers map[string][]string
	lookups int
}

func (r *resolver) remember(host string, addrs []string) {
	r.lookups++
	r.answers[host] = addrs // want `map "r.answers" is written at line \d+ by resolver.remember, which every goroutine started in the loop at line \d+ calls on the same r with no mutex held`
}

func fakeLookup(host string) []string { return []string{strings.ToLower(host)} }

// warmResolver: the workers report on a channel, which the caller drains only after the
// loop; nothing orders the writes.
func warmResolver(hosts []string) int {
	r := &resolver{answers: make(map[string][]string)}
	done := make(chan int, len(hosts))
	for _, h := range hosts {
		go func() {
			addrs := fakeLookup(h)
			r.remember(h, addrs)
			done <- len(addrs)
		}()
	}
	total := 0
	for range hosts {
		total += <-done
	}
	return total
}

// manifest: the shared value is a package-level variable.
type manifest struct {
	weight map[string]float64
}

func (m *manifest) add(sku string, kg float64) { m.weight[sku] += kg } // want `map "m.weight" is written at line \d+ by manifest.add, which every goroutine started in the loop at line \d+ calls on the same shipments`

var shipments = &manifest{weight: map[string]float64{}}

func loadTrucks(skus []string) {
	var wg sync.WaitGroup
	wg.Add(len(skus))
	for i := range skus {
		go func(i int) {
			defer wg.Done()
			shipments.add(skus[i], float64(i))
		}(i)
	}
	wg.Wait()
}

// guardedResolver (negative): the method takes the write lock.
type guardedResolver struct {
	mu      sync.RWMutex
	answers map[string][]string
}

func (g *guardedResolver) remember(host string, addrs []string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.answers[host] = addrs
}

func warmGuarded(hosts []string) {
	g := &guardedResolver{answers: map[string][]string{}}
	var wg sync.WaitGroup
	for _, h := range hosts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g.remember(h, fakeLookup(h))
		}()
	}
	wg.Wait()
}

// shard (negative): each goroutine gets a value of its own, made in the iteration.
type shard struct {
	rows map[int][]byte
}

func (s *shard) put(k int, v []byte) { s.rows[k] = v }

func fillShards(n int, payload []byte) []*shard {
	out := make([]*shard, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		s := &shard{rows: make(map[int][]byte)}
		out[i] = s
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.put(i, payload)
		}()
	}
	wg.Wait()
	return out
}

// histogram (negative): the loop waits for each goroutine before starting the next.
type histogram struct {
	buckets map[int]int
}

func (h *histogram) observe(v int) { h.buckets[v/10]++ }

func observeInTurn(vals []int) {
	h := &histogram{buckets: map[int]int{}}
	for _, v := range vals {
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			h.observe(v)
		}()
		wg.Wait()
	}
}

// ledger (negative): the method hands the entry to an owner goroutine over a channel
// instead of writing the map itself.
type ledger struct {
	entries map[string]int
	in      chan [2]string
}

func (l *ledger) post(k string) { l.in <- [2]string{k, "1"} }

func postAll(l *ledger, keys []string) {
	for _, k := range keys {
		go func() { l.post(k) }()
	}
}
