package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// group is a minimal errgroup.Group: the first error cancels the context.
type group struct {
	wg     sync.WaitGroup
	once   sync.Once
	err    error
	cancel context.CancelFunc
}

func withContext(ctx context.Context) (*group, context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	return &group{cancel: cancel}, ctx
}

func (g *group) Go(f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			g.once.Do(func() {
				g.err = err
				g.cancel()
			})
		}
	}()
}

func (g *group) Wait() error {
	g.wg.Wait()
	g.cancel()
	return g.err
}

func lookup(q string) string { return "result:" + q }

func search(ctx context.Context, queries []string) error {
	g, ctx := withContext(ctx)
	results := make(chan string)
	for _, q := range queries {
		g.Go(func() error {
			r := lookup(q)
			results <- r
			return nil
		})
	}
	go func() {
		_ = g.Wait()
		close(results)
	}()
	for r := range results {
		if r == "result:bad" {
			return errors.New("bad result")
		}
	}
	return nil
}

func main() {
	for i := 0; i < 5; i++ {
		fmt.Println(search(context.Background(), []string{"bad", "a", "b", "c"}))
	}
	select {}
}
