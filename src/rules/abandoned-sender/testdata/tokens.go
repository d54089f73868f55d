package a

import "sync"

// A single-token channel whose only receiver leaves when the owner is closed (net/tstun's
// bufferConsumed shape): the constructor's first send fills an empty buffer, and later
// sends are guarded by a closed flag that Close sets under the same mutex.
type tokenWrapper struct {
	consumedMu     sync.Mutex
	consumedClosed bool
	consumed       chan struct{}
	closed         bool
	read           func() error
}

func newTokenWrapper(read func() error) *tokenWrapper {
	w := &tokenWrapper{consumed: make(chan struct{}, 1), read: read}
	go w.poll()
	w.consumed <- struct{}{}
	return w
}

func (w *tokenWrapper) poll() {
	for range w.consumed {
		if w.closed {
			return
		}
		_ = w.read()
	}
}

func (w *tokenWrapper) giveBack() {
	w.consumedMu.Lock()
	defer w.consumedMu.Unlock()
	if w.consumedClosed {
		return
	}
	w.consumed <- struct{}{}
}

func (w *tokenWrapper) Read() {
	for i := 0; i < 3; i++ {
		go w.giveBack()
	}
}

func (w *tokenWrapper) Close() {
	w.consumedMu.Lock()
	w.consumedClosed = true
	close(w.consumed)
	w.consumedMu.Unlock()
}

// Without the flag the same sender is reported.
type tokenWrapper2 struct {
	consumedMu sync.Mutex
	consumed   chan struct{}
	read       func() error
}

func newTokenWrapper2(read func() error) *tokenWrapper2 {
	w := &tokenWrapper2{consumed: make(chan struct{}, 1), read: read}
	go w.poll()
	w.consumed <- struct{}{}
	return w
}

func (w *tokenWrapper2) poll() {
	for range w.consumed {
		if err := w.read(); err != nil {
			return
		}
	}
}

func (w *tokenWrapper2) giveBack() {
	w.consumedMu.Lock()
	defer w.consumedMu.Unlock()
	w.consumed <- struct{}{} // want "can leave early"
}

func (w *tokenWrapper2) read3() {
	for i := 0; i < 3; i++ {
		go w.giveBack()
	}
}
