// A value receiver whose goroutine leaves through the quit field of a shared hub, not of
// its own copy: the hub's Close can end it (negative). The field the goroutine waits on
// is resolved through its receiver, never matched by name with the copy's field.
package sharedquit

import "fmt"

type hub struct{ quit chan struct{} }

func (h *hub) Close() { close(h.quit) }

type relay struct {
	quit chan struct{}
	h    *hub
	in   chan int
}

func (r relay) Start() {
	r.quit = make(chan struct{})
	go r.pump()
}

func (r *relay) pump() {
	h := r.h
	for {
		select {
		case <-h.quit:
			return
		case v := <-r.in:
			fmt.Println(v)
		}
	}
}
