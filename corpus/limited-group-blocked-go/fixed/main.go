package main

import (
	"errors"
	"fmt"
	"sync"
)

// limitGroup is a minimal errgroup.Group with SetLimit.
type limitGroup struct {
	wg  sync.WaitGroup
	sem chan struct{}
}

func newLimitGroup(n int) *limitGroup { return &limitGroup{sem: make(chan struct{}, n)} }

func (g *limitGroup) Go(f func()) {
	g.sem <- struct{}{}
	g.wg.Add(1)
	go func() {
		defer func() { <-g.sem; g.wg.Done() }()
		f()
	}()
}

func convert(files []string) error {
	g := newLimitGroup(2)
	out := make(chan error, len(files))
	go func() {
		for _, f := range files {
			f := f
			g.Go(func() {
				if f == "" {
					out <- errors.New("empty name")
					return
				}
				out <- nil
			})
		}
	}()
	for range files {
		if err := <-out; err != nil {
			return err
		}
	}
	return nil
}

func main() {
	for i := 0; i < 5; i++ {
		fmt.Println(convert([]string{"", "", "c", "d", "e"}))
	}
	select {}
}
