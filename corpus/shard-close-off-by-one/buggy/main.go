package main

import (
	"fmt"
	"hash/fnv"
)

type shard struct {
	in    chan string
	terms map[string]int
}

type Index struct {
	shards []*shard
}

func NewIndex(n int) *Index {
	ix := &Index{}
	for i := 0; i < n; i++ {
		s := &shard{in: make(chan string, 16), terms: map[string]int{}}
		ix.shards = append(ix.shards, s)
		go ix.run(s)
	}
	return ix
}

func (ix *Index) run(s *shard) {
	for term := range s.in {
		s.terms[term]++
	}
}

func (ix *Index) Add(term string) {
	h := fnv.New32a()
	h.Write([]byte(term))
	ix.shards[int(h.Sum32())%len(ix.shards)].in <- term
}

func (ix *Index) Close() {
	for i := 1; i < len(ix.shards); i++ {
		close(ix.shards[i].in)
	}
}

func main() {
	for doc := 0; doc < 5; doc++ {
		ix := NewIndex(3)
		for _, w := range []string{"alpha", "beta", "gamma", "delta"} {
			ix.Add(fmt.Sprintf("%s-%d", w, doc))
		}
		ix.Close()
	}
	select {}
}
