package withtests

import "sync"

// Production code takes session then client everywhere; only a test takes the client
// first (reported at info, not warning). A second pair is inverted within the tests
// themselves (warning), and a third across two files of production code (warning, with
// a relative file reference).

type client struct {
	mu   sync.Mutex
	sess *session
	subs int
}

type session struct {
	mu      sync.Mutex
	pending int
}

func (c *client) addSub() {
	c.mu.Lock() // want `acquires c\.mu \(through client\.addSub\) here while holding sess\.mu .*only the test`
	c.subs++
	c.mu.Unlock()
}

func processSubs(sess *session, c *client) {
	sess.mu.Lock()
	c.addSub()
	sess.pending--
	sess.mu.Unlock()
}

type audit struct {
	mu sync.Mutex
	n  int
}

type ledger struct {
	mu sync.Mutex
	a  *audit
	n  int
}

func (l *ledger) post() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.a.mu.Lock() // want `acquires l\.a\.mu here while holding l\.mu`
	l.a.n++
	l.a.mu.Unlock()
}
