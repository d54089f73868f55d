// Package notify has a listener that waits for one notification, and a
// notifier that drops the notification when the listener is not waiting yet.
// The listener signals that it started just before it waits, so in a plain run
// it is (almost) always waiting in time; if it is descheduled between the two,
// the notification is lost and it waits forever.
package notify

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
		<-l.ch // site: listener
	}()
	<-l.started
	return l
}

// Notify delivers the notification if the listener is waiting, and drops it otherwise.
func (l *Listener) Notify() {
	select {
	case l.ch <- struct{}{}:
	default:
	}
}
