// Package fixed is notify with the fix: Notify waits for the listener, so the
// notification is never lost whatever the schedule.
package fixed

// Listener waits for one notification.
type Listener struct {
	ch      chan struct{}
	started chan struct{}
}

// Listen starts a listener and returns once it runs.
func Listen() *Listener {
	l := &Listener{ch: make(chan struct{}), started: make(chan struct{})}
	go func() {
		close(l.started)
		<-l.ch
	}()
	<-l.started
	return l
}

// Notify delivers the notification.
func (l *Listener) Notify() {
	l.ch <- struct{}{}
}
