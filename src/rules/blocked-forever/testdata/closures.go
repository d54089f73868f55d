package chans

import (
	"errors"
	"strings"
	"sync"
)

// Function literals handed to same-package code that runs them (a minimal errgroup with a
// limit) and to sync.WaitGroup.Go.

type limitGroup struct {
	wg  sync.WaitGroup
	sem chan struct{}
}

func newLimitGroup(n int) *limitGroup { return &limitGroup{sem: make(chan struct{}, n)} }

func (g *limitGroup) Go(f func()) {
	g.sem <- struct{}{} // want `blocks forever sending on "g.sem"`
	g.wg.Add(1)
	go func() {
		defer func() { <-g.sem; g.wg.Done() }()
		f()
	}()
}

var errEmpty = errors.New("empty name")

// The receiver returns on the first error: the workers still running block sending
// theirs, and with two slots taken the loop blocks in Go.
func convertAll(files []string) error {
	g := newLimitGroup(2)
	out := make(chan error)
	go func() {
		for _, f := range files {
			g.Go(func() {
				if f == "" {
					out <- errEmpty // want `blocks forever sending on "out"`
					return
				}
				out <- nil // want `blocks forever sending on "out"`
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

// Fixed: a buffer for every result.
func convertAllBuffered(files []string) error {
	g := newLimitGroup(2)
	out := make(chan error, len(files))
	go func() {
		for _, f := range files {
			g.Go(func() {
				if f == "" {
					out <- errEmpty
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

// WaitGroup.Go runs the literal on a goroutine counted by wg: Wait comes before anyone receives.
func findGo(paths []string) []string {
	var wg sync.WaitGroup
	found := make(chan string)
	for _, p := range paths {
		wg.Go(func() {
			if strings.HasSuffix(p, ".go") {
				found <- p // want `blocks forever sending on "found"`
			}
		})
	}
	wg.Wait() // want `blocks forever in wg.Wait\(\)`
	close(found)
	var out []string
	for p := range found {
		out = append(out, p)
	}
	return out
}

// Fixed: the results are received while the goroutines run.
func findGoDrained(paths []string) []string {
	var wg sync.WaitGroup
	found := make(chan string)
	for _, p := range paths {
		wg.Go(func() {
			if strings.HasSuffix(p, ".go") {
				found <- p
			}
		})
	}
	go func() {
		wg.Wait()
		close(found)
	}()
	var out []string
	for p := range found {
		out = append(out, p)
	}
	return out
}

type hooks struct {
	fns []func()
}

func (h *hooks) add(f func()) { h.fns = append(h.fns, f) }

// The literal is stored, not run: the model does not know when it runs, so it stays silent.
func stored(h *hooks) {
	ch := make(chan int)
	h.add(func() { ch <- 1 })
	<-ch
}
