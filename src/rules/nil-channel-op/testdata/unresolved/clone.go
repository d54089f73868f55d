// Fields reached through values whose type the resolver does not know; a package of its
// own because any same-named field of the package is a candidate for such a store.
package unresolved

import "slices"

// The owners are walked through the result of a generic function of another package
// (slices.Clone): the element type is not resolved, so the store of ".done" on it may be
// the store of this field — not "never assigned" (negative). Its twin's field has no
// store anywhere.
type cloneWorker struct {
	done chan struct{}
}

func (w *cloneWorker) run() {
	<-w.done
}

type cloneSet struct{ ws []*cloneWorker }

func (s *cloneSet) start() {
	for _, w := range slices.Clone(s.ws) {
		w.done = make(chan struct{})
		go w.run()
	}
}

type idleWorker struct {
	wake chan struct{}
}

func (w *idleWorker) run() {
	<-w.wake // want "receive from nil channel field \"wake\" of idleWorker"
}

type idleSet struct{ ws []*idleWorker }

func (s *idleSet) start() {
	for _, w := range slices.Clone(s.ws) {
		go w.run()
	}
}
