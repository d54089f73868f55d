package a

// Channels one per slice element, closed by a loop that starts past the first element
// (corpus case shard-close-off-by-one).

type shardIn struct {
	in    chan string
	terms map[string]int
}

type shardIndex struct {
	shards []*shardIn
}

func newShardIndex(n int) *shardIndex {
	ix := &shardIndex{}
	for i := 0; i < n; i++ {
		s := &shardIn{in: make(chan string, 16), terms: map[string]int{}}
		ix.shards = append(ix.shards, s)
		go ix.run(s)
	}
	return ix
}

func (ix *shardIndex) run(s *shardIn) {
	for term := range s.in { // want "never ends for the first element"
		s.terms[term]++
	}
}

func (ix *shardIndex) add(k int, term string) { ix.shards[k%len(ix.shards)].in <- term }

func (ix *shardIndex) close() {
	for i := 1; i < len(ix.shards); i++ {
		close(ix.shards[i].in)
	}
}

// Every element is closed.
type shardIn2 struct {
	in chan string
}

type shardIndex2 struct {
	shards []*shardIn2
}

func newShardIndex2(n int) *shardIndex2 {
	ix := &shardIndex2{}
	for i := 0; i < n; i++ {
		s := &shardIn2{in: make(chan string, 16)}
		ix.shards = append(ix.shards, s)
		go ix.run(s)
	}
	return ix
}

func (ix *shardIndex2) run(s *shardIn2) {
	for range s.in {
	}
}

func (ix *shardIndex2) close() {
	for i := 0; i < len(ix.shards); i++ {
		close(ix.shards[i].in)
	}
}

// The first element has no goroutine (the loop starting goroutines begins at 1 too).
type shardIn3 struct {
	in chan string
}

type shardIndex3 struct {
	shards []*shardIn3
}

func newShardIndex3(n int) *shardIndex3 {
	ix := &shardIndex3{shards: []*shardIn3{{in: make(chan string, 1)}}}
	for i := 1; i < n; i++ {
		s := &shardIn3{in: make(chan string, 16)}
		ix.shards = append(ix.shards, s)
		go ix.run(s)
	}
	return ix
}

func (ix *shardIndex3) run(s *shardIn3) {
	for range s.in {
	}
}

func (ix *shardIndex3) close() {
	for i := 1; i < len(ix.shards); i++ {
		close(ix.shards[i].in)
	}
}

// The first element is closed on its own.
type shardIn4 struct {
	in chan string
}

type shardIndex4 struct {
	shards []*shardIn4
}

func newShardIndex4(n int) *shardIndex4 {
	ix := &shardIndex4{}
	for i := 0; i < n; i++ {
		s := &shardIn4{in: make(chan string, 16)}
		ix.shards = append(ix.shards, s)
		go ix.run(s)
	}
	return ix
}

func (ix *shardIndex4) run(s *shardIn4) {
	for range s.in {
	}
}

func (ix *shardIndex4) close() {
	close(ix.shards[0].in)
	for i := 1; i < len(ix.shards); i++ {
		close(ix.shards[i].in)
	}
}
