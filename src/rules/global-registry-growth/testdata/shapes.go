// Fixtures for global-registry-growth where the entries are added by goroutines a method
// starts, one per accepted connection.
package a

import (
	"net"
	"sync"
)

// A connection table filled by the goroutine that serves each connection: one entry per
// connection ever accepted, never removed.
var (
	liveMu sync.Mutex
	live   = map[net.Conn]string{} // want `package-level map "live" only grows: entries are added at line \d+ outside initialisation`
)

type acceptor struct {
	ln net.Listener
}

func (a *acceptor) serve(handle func(net.Conn)) error {
	for {
		c, err := a.ln.Accept()
		if err != nil {
			return err
		}
		go func() {
			liveMu.Lock()
			live[c] = c.RemoteAddr().String()
			liveMu.Unlock()
			handle(c)
			c.Close()
		}()
	}
}

// The same table, emptied by the serving goroutine when the connection ends (negative).
var (
	trackedMu sync.Mutex
	tracked   = map[net.Conn]string{}
)

func (a *acceptor) serveTracked(handle func(net.Conn)) error {
	for {
		c, err := a.ln.Accept()
		if err != nil {
			return err
		}
		go func() {
			trackedMu.Lock()
			tracked[c] = c.RemoteAddr().String()
			trackedMu.Unlock()
			defer func() {
				trackedMu.Lock()
				delete(tracked, c)
				trackedMu.Unlock()
			}()
			handle(c)
			c.Close()
		}()
	}
}
