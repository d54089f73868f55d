// Package busy has a poller that spins on a flag nobody ever sets.
package busy

import "sync/atomic"

// Spin loops until *stop becomes true, without ever blocking.
func Spin(stop *atomic.Bool, n *atomic.Int64) {
	go func() {
		for !stop.Load() { // site: spin
			n.Add(1)
		}
	}()
}
