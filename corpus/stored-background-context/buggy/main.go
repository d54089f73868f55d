package main

import (
	"context"
	"fmt"
	"time"
)

type Fetcher struct {
	ctx     context.Context
	latency map[string]time.Duration
}

func NewFetcher() *Fetcher {
	return &Fetcher{ctx: context.Background(), latency: map[string]time.Duration{"a": 1, "b": 2 * time.Millisecond, "c": 3 * time.Millisecond}}
}

// First asks every mirror and returns the first answer.
func (f *Fetcher) First(ctx context.Context, mirrors []string) string {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan string)
	for _, m := range mirrors {
		go f.fetch(ctx, m, results)
	}
	select {
	case r := <-results:
		return r
	case <-ctx.Done():
		return ""
	}
}

func (f *Fetcher) fetch(ctx context.Context, mirror string, out chan<- string) {
	time.Sleep(f.latency[mirror])
	select {
	case out <- "payload from " + mirror:
	case <-f.ctx.Done():
	}
}

func main() {
	f := NewFetcher()
	for i := 0; i < 3; i++ {
		fmt.Println(f.First(context.Background(), []string{"a", "b", "c"}))
	}
	select {}
}
