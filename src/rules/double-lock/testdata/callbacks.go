package a

import (
	"slices"
	"sort"
	"sync"
)

// Functions the standard library runs before it returns (sort.Slice's less, Once.Do's
// f, slices.SortFunc's cmp) run on the caller's goroutine, with the caller's locks held.
type board struct {
	mu      sync.Mutex
	once    sync.Once
	players []string
	scores  map[string]int
}

func (b *board) score(p string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.scores[p]
}

func (b *board) load() {
	b.mu.Lock()
	b.scores = map[string]int{}
	b.mu.Unlock()
}

func (b *board) top() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	sort.Slice(b.players, func(i, j int) bool {
		return b.score(b.players[i]) > b.score(b.players[j]) // want "calling board.score Locks b.mu .*while this goroutine already holds it"
	})
	return b.players
}

func (b *board) sorted() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	slices.SortFunc(b.players, func(x, y string) int {
		b.mu.Lock() // want `b.mu.Lock\(\) is called while b.mu is already held`
		defer b.mu.Unlock()
		return b.scores[x] - b.scores[y]
	})
	return b.players
}

func (b *board) init() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.once.Do(b.load) // want "calling Once.Do → board.load Locks b.mu"
}

// Negatives: the callback runs after the unlock, reads without locking, or is started
// on another goroutine.
func (b *board) topUnlocked() []string {
	b.mu.Lock()
	ps := append([]string(nil), b.players...)
	b.mu.Unlock()
	sort.Slice(ps, func(i, j int) bool { return b.score(ps[i]) > b.score(ps[j]) })
	return ps
}

func (b *board) topLocked() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	sort.Slice(b.players, func(i, j int) bool { return b.scores[b.players[i]] > b.scores[b.players[j]] })
	return b.players
}

func (b *board) initOther(o *board) {
	b.mu.Lock()
	defer b.mu.Unlock()
	o.once.Do(o.load)
}

func (b *board) later() {
	b.mu.Lock()
	defer b.mu.Unlock()
	go sort.Slice(b.players, func(i, j int) bool { return b.score(b.players[i]) > b.score(b.players[j]) })
}
