// Registries kept in a map field of a struct whose only instance is a package-level
// variable: they grow when every removal sits in code that never runs (a returned stop
// function every caller drops, a method nothing calls), and they do not when the
// removal runs, when the map belongs to a value that dies, or when it has no removal.
package main

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

type watch struct {
	path  string
	onHit func(string)
}

type fsNotifier struct {
	mu      sync.RWMutex
	watches map[string]*watch
}

var notifier = &fsNotifier{watches: make(map[string]*watch)} // want `package-level "notifier" holds the only fsNotifier, whose map "watches" only grows: .* the only removal \(line \d+\) is in code that never runs \(the function literal at line \d+ is never called\)`

// Watch registers fn under a key unique to this call and returns the function that
// unregisters it; refresh drops that function.
func (n *fsNotifier) Watch(path string, fn func(string)) func() {
	key := fmt.Sprintf("%s#%d", path, time.Now().UnixNano())
	n.mu.Lock()
	n.watches[key] = &watch{path: path, onHit: fn}
	n.mu.Unlock()
	unwatch := func() {
		n.mu.Lock()
		delete(n.watches, key)
		n.mu.Unlock()
	}
	return unwatch
}

// dirNotifier (negative): the same registry, but its caller defers the returned function.
type dirNotifier struct {
	mu      sync.Mutex
	watches map[string]func(string)
}

var dirs = &dirNotifier{watches: make(map[string]func(string))}

func (d *dirNotifier) Watch(dir string, fn func(string)) func() {
	key := fmt.Sprintf("%s#%d", dir, time.Now().UnixNano())
	d.mu.Lock()
	d.watches[key] = fn
	d.mu.Unlock()
	unwatch := func() {
		d.mu.Lock()
		delete(d.watches, key)
		d.mu.Unlock()
	}
	return unwatch
}

type job struct {
	id      string
	started time.Time
}

type jobTable struct {
	mu   sync.Mutex
	byID map[string]*job
}

var running = &jobTable{byID: map[string]*job{}} // want `package-level "running" holds the only jobTable, whose map "byID" only grows: .* \(.* is never called\)`

func (t *jobTable) Track(id string) *job {
	j := &job{id: id, started: time.Now()}
	t.mu.Lock()
	t.byID[id] = j
	t.mu.Unlock()
	return j
}

// Nothing calls this method; it resets the whole table.
func (t *jobTable) Purge() {
	t.mu.Lock()
	t.byID = map[string]*job{}
	t.mu.Unlock()
}

// limiter (negative): the bucket of a client is removed when it goes away, and that runs.
type limiter struct {
	mu      sync.Mutex
	buckets map[string]int
}

var perClient = &limiter{buckets: map[string]int{}}

func (l *limiter) allow(client string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buckets[client]++
	return l.buckets[client] < 100
}

func (l *limiter) gone(client string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.buckets, client)
}

// tokenSet (negative): one instance is global, the other is local and dies with its call.
type tokenSet struct {
	seen map[string]bool
}

var revoked = &tokenSet{seen: map[string]bool{}}

func dedupe(words []string) int {
	local := &tokenSet{seen: map[string]bool{}}
	for _, w := range words {
		local.seen[w] = true
	}
	revoked.seen[strings.ToLower(words[0])] = true
	return len(local.seen)
}

// roster (negative): the map is handed to a function the rule does not follow, which
// may clean it.
type roster struct {
	members map[uint16]string
}

var team = &roster{members: map[uint16]string{}}

func (r *roster) join(id uint16, name string) {
	r.members[id] = name
	prune(r.members, 32)
}

func prune(m map[uint16]string, max int) {
	for k := range m {
		if len(m) <= max {
			return
		}
		delete(m, k)
	}
}

// codecs (negative): a registration table with no removal at all, bounded by design.
type codecs struct {
	byExt map[string]func([]byte) string
}

var formats = &codecs{byExt: map[string]func([]byte) string{}}

func useCodec(ext string, f func([]byte) string) { formats.byExt[ext] = f }

func refresh(i int, path string) {
	notifier.Watch(path, func(s string) { fmt.Println(s, i) })
	stop := dirs.Watch(path, func(s string) { fmt.Println(s) })
	defer stop()
	j := running.Track(fmt.Sprint("job-", i))
	fmt.Println(j.id)
	if perClient.allow("c") {
		perClient.gone("c")
	}
	fmt.Println(dedupe([]string{"A", "b"}))
	team.join(uint16(i), "n")
	useCodec(".json", func(b []byte) string { return string(b) })
}

func main() {
	for i := 0; i < 10; i++ {
		refresh(i, fmt.Sprintf("/etc/app/%d.conf", i))
	}
}
