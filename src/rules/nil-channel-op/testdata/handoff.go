// Field channels that get their channel in ways a name-matching or assignment-only view
// misses: a channel handed over on a channel of channels and received in a select case
// (`case done := <-p.askCh:`), then stored with a keyed, unkeyed or pointer composite
// literal; and field channels that code expects to be nil at times and guards with a nil
// check. Each negative has a positive twin whose field really is never given a channel.
package a

type reply struct {
	done chan<- bool
	id   int
}

type tokenPool struct {
	askCh chan chan<- bool
	quit  chan struct{}
}

// serve gets the reply channel from a select case and stores it in a keyed literal.
func (p *tokenPool) serve() {
	for {
		select {
		case done := <-p.askCh:
			r := reply{done: done}
			go r.answer()
		case <-p.quit:
			return
		}
	}
}

func (r reply) answer() {
	r.done <- true
}

// ask hands a buffered channel over on askCh from a select case of its own.
func (p *tokenPool) ask() bool {
	done := make(chan bool, 1)
	select {
	case p.askCh <- done:
	case <-p.quit:
		return false
	}
	return <-done
}

func (p *tokenPool) Close() { close(p.quit) }

func newTokenPool() *tokenPool {
	p := &tokenPool{askCh: make(chan chan<- bool), quit: make(chan struct{})}
	go p.serve()
	return p
}

type unkeyedReply struct {
	done chan<- bool
}

type unkeyedPool struct {
	askCh chan chan<- bool
}

// serve receives with the two-value form and stores through an unkeyed pointer literal.
func (p *unkeyedPool) serve() {
	for {
		select {
		case done, ok := <-p.askCh:
			if !ok {
				return
			}
			r := &unkeyedReply{done}
			go r.answer(false)
		}
	}
}

// answer has a parameter named like the field; only the field is the receiver's.
func (r *unkeyedReply) answer(done bool) {
	r.done <- done
}

func (p *unkeyedPool) ask() bool {
	c := make(chan bool, 1)
	p.askCh <- c
	return <-c
}

func newUnkeyedPool() *unkeyedPool {
	p := &unkeyedPool{askCh: make(chan chan<- bool)}
	go p.serve()
	return p
}

// optionalNotifier: notify is set only by callers that want events (never in this
// package); every use checks it for nil first, through a local copy or directly.
type optionalNotifier struct {
	notify chan int
	events chan int
}

func (o *optionalNotifier) drain() {
	c := o.notify
	if c != nil {
		<-c
	}
}

func (o *optionalNotifier) publish(v int) {
	if o.notify == nil {
		return
	}
	o.notify <- v
}

// emit uses events, which is never given a channel and never checked for nil.
func (o *optionalNotifier) emit(v int) {
	o.events <- v // want "send on nil channel field \"events\" of optionalNotifier"
}

func runNotifier(o *optionalNotifier) {
	go o.drain()
	go o.publish(1)
	go o.emit(2)
}

// lostReply has a reply field nobody ever fills: the answer blocks forever.
type lostReply struct {
	done chan<- bool
}

func (r lostReply) answer() {
	r.done <- true // want "send on nil channel field \"done\" of lostReply"
}

func startLost() {
	r := lostReply{}
	go r.answer()
}
