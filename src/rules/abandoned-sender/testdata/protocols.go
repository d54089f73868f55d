// Issue 11, family 2 (the buffer always has room) when the room comes from how the two
// sides talk: one reply per request with the next request sent only after the previous
// reply was taken, and an in-flight gate that starts the next goroutine only after the
// previous one finished. Each negative has a positive twin.
package a

import (
	"bufio"
	"os"
	"strings"
)

type prompter struct {
	in      *bufio.Reader
	stopped chan struct{}
}

// readReplies answers each prompt received on prompts with a line or an error.
func (p *prompter) readReplies(lines chan<- string, errs chan<- error, prompts <-chan string) {
	for pr := range prompts {
		os.Stdout.WriteString(pr)
		l, err := p.in.ReadString('\n')
		if err != nil {
			errs <- err
		} else {
			lines <- l
		}
	}
}

// interactive sends a prompt only after taking the reply to the previous one: at most
// one reply is ever pending, and each reply channel holds one.
func (p *prompter) interactive(eval func(string)) {
	lines := make(chan string, 1)
	errs := make(chan error, 1)
	prompts := make(chan string)
	go p.readReplies(lines, errs, prompts)
	defer close(prompts)
	for {
		prompts <- "> "
		select {
		case <-p.stopped:
			return
		case err := <-errs:
			if strings.Contains(err.Error(), "interrupt") {
				continue
			}
			return
		case l := <-lines:
			if l == "exit\n" {
				return
			}
			eval(l)
		}
	}
}

// interactiveUnbuffered: the twin without buffers: when it stops, the pending reply
// has nowhere to go.
func (p *prompter) interactiveUnbuffered(eval func(string)) {
	lines := make(chan string)
	errs := make(chan error, 1)
	prompts := make(chan string)
	go p.readLinesOnly(lines, prompts)
	defer close(prompts)
	for {
		prompts <- "> "
		select {
		case <-p.stopped:
			return
		case err := <-errs:
			_ = err
			return
		case l := <-lines:
			eval(l)
		}
	}
}

func (p *prompter) readLinesOnly(lines chan<- string, prompts <-chan string) {
	for pr := range prompts {
		os.Stdout.WriteString(pr)
		l, _ := p.in.ReadString('\n')
		lines <- l // want `goroutine blocks forever sending on "lines" \(unbuffered\)`
	}
}

// interactiveRunAhead: the twin sends two prompts before taking a reply: two replies
// can be pending for a buffer of one.
func (p *prompter) interactiveRunAhead(eval func(string)) {
	lines := make(chan string, 1)
	prompts := make(chan string, 2)
	go p.readLinesTwice(lines, prompts)
	defer close(prompts)
	for {
		prompts <- "> "
		prompts <- ">> "
		select {
		case <-p.stopped:
			return
		case l := <-lines:
			eval(l)
		}
	}
}

func (p *prompter) readLinesTwice(lines chan<- string, prompts <-chan string) {
	for pr := range prompts {
		os.Stdout.WriteString(pr)
		l, _ := p.in.ReadString('\n')
		lines <- l // want `goroutine blocks forever sending on "lines" \(buffer of 1\)`
	}
}

type peer struct {
	queue chan []string
	term  chan struct{}
	send  func([]string) error
}

// broadcastLoop: a writer is started only while none is in flight (done == nil), and
// a writer that fails never closes done, so no second writer ever starts: fail (buffer
// of 1) receives at most one error.
func (p *peer) broadcastLoop() {
	var (
		pending []string
		done    chan struct{}
		fail    = make(chan error, 1)
		failed  bool
	)
	for {
		if done == nil && len(pending) > 0 {
			batch := pending
			pending = nil
			done = make(chan struct{})
			go func() {
				if err := p.send(batch); err != nil {
					fail <- err
					return
				}
				close(done)
			}()
		}
		select {
		case items := <-p.queue:
			if !failed {
				pending = append(pending, items...)
			}
		case <-done:
			done = nil
		case <-fail:
			failed = true
		case <-p.term:
			return
		}
	}
}

// broadcastLoopCloseFirst: the twin's writer closes done before reporting its error,
// so the next writer can start while the error waits: two errors for one slot.
func (p *peer) broadcastLoopCloseFirst() {
	var (
		pending []string
		done    chan struct{}
		fail    = make(chan error, 1)
	)
	for {
		if done == nil && len(pending) > 0 {
			batch := pending
			pending = nil
			done = make(chan struct{})
			go func() {
				err := p.send(batch)
				close(done)
				if err != nil {
					fail <- err // want `goroutine blocks forever sending on "fail" \(buffer of 1\)`
				}
			}()
		}
		select {
		case items := <-p.queue:
			pending = append(pending, items...)
		case <-done:
			done = nil
		case err := <-fail:
			_ = err
		case <-p.term:
			return
		}
	}
}
