// Fixtures for ticker-not-stopped in a library (go 1.24): a server's accept loop hands
// each connection to a handler, and the handler starts a ticker goroutine with no way
// out — one more goroutine and ticker per connection, for the life of the process.
package acceptloop

import (
	"fmt"
	"net"
	"time"
)

// Handler serves one connection; the accept loop calls it through the interface.
type Handler interface {
	Handle(c net.Conn)
}

func Serve(ln net.Listener, h Handler) error {
	for {
		c, err := ln.Accept()
		if err != nil {
			return err
		}
		h.Handle(c)
	}
}

// Pinger writes a ping every interval and never looks at the connection again.
type Pinger struct{ Every time.Duration }

func (p Pinger) Handle(c net.Conn) { go p.ping(c) }

func (p Pinger) ping(c net.Conn) {
	for t := range time.Tick(p.Every) { // want "Pinger.ping \\(a goroutine\\) loops on a ticker with no way out, and it is started by Pinger.Handle, which Serve calls in a loop"
		fmt.Fprintln(c, "ping", t.Unix())
	}
}

// ClosingPinger (negative): the goroutine returns when a write fails (the peer left).
type ClosingPinger struct{ Every time.Duration }

func (p ClosingPinger) Handle(c net.Conn) { go p.ping(c) }

func (p ClosingPinger) ping(c net.Conn) {
	t := time.NewTicker(p.Every)
	defer t.Stop()
	for now := range t.C {
		if _, err := fmt.Fprintln(c, "ping", now.Unix()); err != nil {
			c.Close()
			return
		}
	}
}

// The accept loop above is the only caller of Handle; both handlers are in use.
func ServeBoth(a, b net.Listener) {
	go Serve(a, Pinger{Every: time.Second})
	go Serve(b, ClosingPinger{Every: time.Second})
}
