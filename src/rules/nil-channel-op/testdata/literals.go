// Composite literals assign the fields they list (keyed or positional, by value or
// through &), and a nil check of the channel — direct, through a local copy, or in an if
// statement's init — means the code expects it to be nil at times.
package a

type slot struct {
	done chan<- bool
	n    int
}

type broker struct {
	handoff chan chan bool
}

// take receives a bidirectional channel and stores it in a send-only field, keyed, via &.
func (b *broker) take() {
	for done := range b.handoff {
		s := &slot{done: done, n: 1}
		go s.finish()
	}
}

func (s *slot) finish() { s.done <- true }

type plainSlot struct {
	done chan<- bool
}

// takePlain stores it positionally in a value literal.
func (b *broker) takePlain() {
	for done := range b.handoff {
		s := plainSlot{done}
		go s.finish()
	}
}

func (s plainSlot) finish() { s.done <- false }

// offer hands buffered channels over through a parameter of the channel of channels.
func offer(handoff chan chan bool) bool {
	c := make(chan bool, 20)
	handoff <- c
	return <-c
}

func newBroker() *broker {
	b := &broker{handoff: make(chan chan bool)}
	go b.take()
	go b.takePlain()
	go offer(b.handoff)
	return b
}

// hooked: the channel is optional; the if statement's init copies it and checks it.
type hooked struct {
	onClose chan struct{}
	always  chan struct{}
}

func (h *hooked) close() {
	if c := h.onClose; c != nil {
		c <- struct{}{}
	}
}

func (h *hooked) wait() {
	<-h.always // want "receive from nil channel field \"always\" of hooked"
}

func startHooked() {
	h := &hooked{}
	go h.close()
	go h.wait()
}
