// Ranges over a ticker's channel that other code stops (corpus case
// ticker-field-stopped-loop-waits).
package a

import (
	"sync"
	"time"
)

type reporter struct {
	ticker *time.Ticker
	mu     sync.Mutex
	sent   int
}

func newReporter(every time.Duration) *reporter {
	r := &reporter{ticker: time.NewTicker(every)}
	go r.loop()
	return r
}

func (r *reporter) loop() {
	for range r.ticker.C { // want "the range over \"r.ticker.C\" never ends once the ticker is stopped \\(line 31 in reporter.Stop\\)"
		r.mu.Lock()
		r.sent++
		r.mu.Unlock()
	}
}

func (r *reporter) Stop() {
	r.ticker.Stop()
}

// A ticker nobody stops runs for the life of the process (negative).
type sampler struct {
	ticker *time.Ticker
	n      int
}

func newSampler(every time.Duration) *sampler {
	s := &sampler{ticker: time.NewTicker(every)}
	go s.loop()
	return s
}

func (s *sampler) loop() {
	for range s.ticker.C {
		s.n++
	}
}

// The loop returns on its own once told to stop (negative).
type pinger struct {
	ticker *time.Ticker
	mu     sync.Mutex
	done   bool
}

func newPinger(every time.Duration) *pinger {
	p := &pinger{ticker: time.NewTicker(every)}
	go p.loop()
	return p
}

func (p *pinger) loop() {
	for range p.ticker.C {
		p.mu.Lock()
		d := p.done
		p.mu.Unlock()
		if d {
			return
		}
	}
}

func (p *pinger) Stop() {
	p.mu.Lock()
	p.done = true
	p.mu.Unlock()
	p.ticker.Stop()
}
