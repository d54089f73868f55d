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

// notify waits for the listener.
func (l *listener) notify() {
	l.ch <- struct{}{}
}

func main() {
	for i := 0; i < 5; i++ {
		listen().notify()
	}
	select {}
}
