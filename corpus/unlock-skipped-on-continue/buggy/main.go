package main

import (
	"fmt"
	"sync"
)

type index struct {
	mu    sync.Mutex
	terms map[string]int
}

func (ix *index) AddAll(words []string) {
	for _, w := range words {
		ix.mu.Lock()
		if w == "" {
			continue
		}
		ix.terms[w]++
		ix.mu.Unlock()
	}
}

func main() {
	ix := &index{terms: map[string]int{}}
	go func() {
		ix.AddAll([]string{"a", "", "b"})
		fmt.Println(len(ix.terms))
	}()
	select {}
}
