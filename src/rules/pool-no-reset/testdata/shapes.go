// Fixtures for pool-no-reset where the pool is a field and the Get runs in goroutines a
// method starts, one per page.
package a

import (
	"bytes"
	"html"
	"sync"
)

type renderer struct {
	scratch sync.Pool
}

// renderAll: every goroutine writes into a buffer that may still hold another page.
func (r *renderer) renderAll(pages []string, out chan<- string) {
	var wg sync.WaitGroup
	for _, p := range pages {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := r.scratch.Get().(*bytes.Buffer)
			b.WriteString(html.EscapeString(p)) // want `"b" from r.scratch.Get\(\) at line \d+ is used at line \d+ before b.Reset\(\), and r.scratch.Put\(b\) at line \d+ puts values back without resetting them`
			out <- b.String()
			r.scratch.Put(b)
		}()
	}
	wg.Wait()
}

// cleanRenderer (negative): the same goroutines, but every Put resets first.
type cleanRenderer struct {
	scratch sync.Pool
}

func (r *cleanRenderer) renderAll(pages []string, out chan<- string) {
	var wg sync.WaitGroup
	for _, p := range pages {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := r.scratch.Get().(*bytes.Buffer)
			b.WriteString(html.EscapeString(p))
			out <- b.String()
			b.Reset()
			r.scratch.Put(b)
		}()
	}
	wg.Wait()
}
