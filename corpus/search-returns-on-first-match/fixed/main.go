package main

import (
	"fmt"
	"strings"
	"sync"
)

type segment struct {
	docs map[string]string
}

func (s *segment) find(term string) (string, bool) {
	for id, body := range s.docs {
		if strings.Contains(body, term) {
			return id, true
		}
	}
	return "", false
}

type Index struct {
	segments []*segment
}

func (ix *Index) Search(term string) (string, bool) {
	found := make(chan string, len(ix.segments))
	var wg sync.WaitGroup
	for _, seg := range ix.segments {
		wg.Add(1)
		go func(s *segment) {
			defer wg.Done()
			if id, ok := s.find(term); ok {
				found <- id
			}
		}(seg)
	}
	go func() {
		wg.Wait()
		close(found)
	}()
	id, ok := <-found
	return id, ok
}

func main() {
	ix := &Index{}
	for i := 0; i < 4; i++ {
		ix.segments = append(ix.segments, &segment{docs: map[string]string{
			fmt.Sprintf("doc-%d-a", i): "goroutine leaks in production",
			fmt.Sprintf("doc-%d-b", i): "release notes",
		}})
	}
	for _, q := range []string{"leaks", "notes", "missing"} {
		id, ok := ix.Search(q)
		fmt.Println(q, id, ok)
	}
	select {}
}
