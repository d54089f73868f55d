// A pool built from main.main is not a run-once singleton: main is the whole program,
// and a Stop that does not close the channel leaves the workers ranging forever.
package main

type workers struct {
	jobs chan func()
}

func (w *workers) loop() {
	for j := range w.jobs { // want `range over field "jobs" of workers at line \d+ never ends`
		j()
	}
}

func newWorkers(n int) *workers {
	w := &workers{jobs: make(chan func())}
	for i := 0; i < n; i++ {
		go w.loop()
	}
	return w
}

func (w *workers) Stop() {}

func main() {
	w := newWorkers(4)
	w.jobs <- func() {}
	w.Stop()
}
