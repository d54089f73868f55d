// Fixtures for ticker-not-stopped in goroutines a method starts, one per health probe
// behind an interface: a goroutine that gives up on a failing probe returns, and its
// ticker must be stopped.
package a

import "time"

type prober interface {
	Probe() bool
	Name() string
}

type monitor struct {
	every time.Duration
	down  chan string
}

// watch: a failing probe ends its goroutine, leaving the ticker running.
func (m *monitor) watch(probes []prober) {
	for _, p := range probes {
		go func() {
			t := time.NewTicker(m.every) // want "ticker \"t\" from time.NewTicker at line \\d+ is never stopped, and the function literal at line \\d+ returns"
			for range t.C {
				if !p.Probe() {
					m.down <- p.Name()
					return
				}
			}
		}()
	}
}

// watchStopped (negative): the goroutine stops its ticker on the way out.
func (m *monitor) watchStopped(probes []prober) {
	for _, p := range probes {
		go func() {
			t := time.NewTicker(m.every)
			defer t.Stop()
			for range t.C {
				if !p.Probe() {
					m.down <- p.Name()
					return
				}
			}
		}()
	}
}
