package a

import "sync"

// Calls through function values the analysis cannot resolve (a func field, a func
// parameter), made while a lock is held. A function value can only release a lock whose
// release the package puts in a function value somewhere.

type pipeline struct {
	mu      sync.Mutex
	release func()
	stages  int
}

func releaserOf(l sync.Locker) func() { return l.Unlock }

func newPipeline() *pipeline {
	p := &pipeline{}
	p.release = releaserOf(&p.mu)
	return p
}

func (p *pipeline) grow() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stages++
}

// The field may hold p.mu's releaser (newPipeline stores one): p.mu may be free again.
func (p *pipeline) Step() {
	p.mu.Lock()
	p.release()
	p.grow()
}

// So may a parameter.
func (p *pipeline) StepWith(done func()) {
	p.mu.Lock()
	done()
	p.grow()
}

// No function value of the package can release q.mu: it is still held.
type jobQueue struct {
	mu     sync.Mutex
	notify func()
	n      int
}

func (q *jobQueue) add() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.n++
}

func (q *jobQueue) Push() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.notify()
	q.add() // want `calling jobQueue.add Locks q.mu`
}

func (q *jobQueue) PushWith(done func()) {
	q.mu.Lock()
	done()
	q.add() // want `calling jobQueue.add Locks q.mu`
	q.mu.Unlock()
}
