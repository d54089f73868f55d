// Fixtures for waitgroup-add-in-goroutine where the WaitGroup is a struct
// field, an embedded field, or is used by a named function or method started
// with `go`.
package a

import (
	"net"
	"sync"
)

// server tracks its connection handlers in a WaitGroup field; Close waits.
type server struct {
	ln    net.Listener
	wg    sync.WaitGroup
	conns chan net.Conn
}

// serveFuncLit: `s.wg.Add(1)` inside the handler goroutine literal.
func (s *server) serveFuncLit() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		go func() {
			s.wg.Add(1) // want "Add.* inside the goroutine"
			defer s.wg.Done()
			_ = c.Close()
		}()
	}
}

// handle is started with `go s.handle(c)`; its first statement Adds to the
// server's WaitGroup, racing with Close's Wait.
func (s *server) handle(c net.Conn) {
	s.wg.Add(1) // want "Add.* inside the goroutine"
	defer s.wg.Done()
	_ = c.Close()
}

func (s *server) serveMethod() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		go s.handle(c)
	}
}

func (s *server) Close() error {
	err := s.ln.Close()
	s.wg.Wait()
	return err
}

// pool embeds sync.WaitGroup, so p.Add / p.Wait are WaitGroup methods.
type pool struct {
	sync.WaitGroup
	jobs chan int
}

// runEmbedded: Add through the embedded WaitGroup inside the goroutine.
func (p *pool) runEmbedded(n int) {
	for i := 0; i < n; i++ {
		go func() {
			p.Add(1) // want "Add.* inside the goroutine"
			defer p.Done()
			for j := range p.jobs {
				process(j)
			}
		}()
	}
	p.Wait()
}

// countedWorker is only ever started with `go`; it Adds itself.
func countedWorker(wg *sync.WaitGroup, n int) {
	wg.Add(1) // want "Add.* inside the goroutine"
	defer wg.Done()
	process(n)
}

func startCountedWorkers(items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		go countedWorker(&wg, it)
	}
	wg.Wait()
}

// addBeforeGoField (negative): the correct field form: Add in the loop, before
// `go`.
func (s *server) serveCorrect() {
	for c := range s.conns {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			_ = c.Close()
		}()
	}
}

// correctHandler (negative): Add in the caller before `go s.handleCounted(c)`;
// the goroutine only calls Done.
func (s *server) handleCounted(c net.Conn) {
	defer s.wg.Done()
	_ = c.Close()
}

func (s *server) serveCounted() {
	for c := range s.conns {
		s.wg.Add(1)
		go s.handleCounted(c)
	}
}

// embeddedCorrect (negative): embedded WaitGroup, Add before `go`.
func (p *pool) embeddedCorrect(n int) {
	p.Add(n)
	for i := 0; i < n; i++ {
		go func() {
			defer p.Done()
			for j := range p.jobs {
				process(j)
			}
		}()
	}
	p.Wait()
}
