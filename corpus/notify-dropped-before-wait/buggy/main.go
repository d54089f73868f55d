package main

type listener struct {
	ch      chan struct{}
	started chan struct{}
}

func listen() *listener {
	l := &listener{ch: make(chan struct{}), started: make(chan struct{})}
	go func() {
		close(l.started)
		<-l.ch
	}()
	<-l.started
	return l
}

// notify drops the notification when the listener is not waiting yet.
func (l *listener) notify() {
	select {
	case l.ch <- struct{}{}:
	default:
	}
}

func main() {
	for i := 0; i < 5; i++ {
		listen().notify()
	}
	select {}
}
