// Package subtests has a worker pool that leaks its workers when Close is never
// called, and subtests (nested, parallel, table-driven, named functions) that do
// or do not close it.
package subtests

// Pool runs tasks on n workers until Close.
type Pool struct{ tasks chan func() }

// New starts a pool of n workers.
func New(n int) *Pool {
	p := &Pool{tasks: make(chan func())}
	for i := 0; i < n; i++ {
		go p.worker() // site: spawn
	}
	return p
}

func (p *Pool) worker() {
	for f := range p.tasks { // site: worker
		f()
	}
}

// Go runs f on a worker.
func (p *Pool) Go(f func()) { p.tasks <- f }

// Close stops the workers.
func (p *Pool) Close() { close(p.tasks) }
