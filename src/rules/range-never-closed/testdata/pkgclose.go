package a

import (
	"slices"
	"sync"
)

// The close of an owner's channel field may be in a package-level function (not a method
// of the owner) that loops over a collection of owners: a package slice, a map field, a
// slice parameter indexed in the loop. The model sees the close through the range
// variable / index and the collection's element class.

type cmdConn struct {
	cmdCh chan int
	id    int
}

func (c *cmdConn) loop() {
	for cmd := range c.cmdCh {
		_ = cmd
	}
}

var cmdConns []*cmdConn

func openCmdConns(n int) {
	for i := 0; i < n; i++ {
		c := &cmdConn{cmdCh: make(chan int), id: i}
		cmdConns = append(cmdConns, c)
		go c.loop()
	}
}

func closeCmdConns() {
	for _, c := range cmdConns {
		close(c.cmdCh)
	}
}

type connHub struct {
	peers map[int]*hubConn
}

type hubConn struct{ in chan string }

func (c *hubConn) loop() {
	for s := range c.in {
		_ = s
	}
}

func (h *connHub) add(id int) {
	c := &hubConn{in: make(chan string)}
	h.peers[id] = c
	go c.loop()
}

func shutdownHub(h *connHub) {
	closeHubConns(listConns(h))
}

func listConns(h *connHub) []*hubConn {
	out := make([]*hubConn, 0, len(h.peers))
	for _, p := range h.peers {
		out = append(out, p)
	}
	return out
}

func closeHubConns(cs []*hubConn) {
	for i := range cs {
		close(cs[i].in)
	}
}

// The owners are copied with a generic function of another package before the close
// loop: the element type of the copy is not resolved, so a close of ".cmds" on it may be
// the close of this field.
type clonedConn struct{ cmds chan int }

func (c *clonedConn) loop() {
	for v := range c.cmds {
		_ = v
	}
}

type clonedWorld struct {
	mu    sync.Mutex
	conns []*clonedConn
}

func (w *clonedWorld) add() {
	c := &clonedConn{cmds: make(chan int, 256)}
	w.mu.Lock()
	w.conns = append(w.conns, c)
	w.mu.Unlock()
	go c.loop()
}

func finish(w *clonedWorld) {
	w.mu.Lock()
	conns := slices.Clone(w.conns)
	w.mu.Unlock()
	for _, c := range conns {
		close(c.cmds)
	}
}

// Positive twin: the package function only reads the owners; nothing closes their channel.
type idleConn struct{ in chan int }

func (c *idleConn) loop() {
	for v := range c.in { // want "range over field \"in\" of idleConn"
		_ = v
	}
}

var idleConns []*idleConn

func openIdle() {
	c := &idleConn{in: make(chan int)}
	idleConns = append(idleConns, c)
	go c.loop()
}

func countIdle() int {
	n := 0
	for _, c := range idleConns {
		n += len(c.in)
	}
	return n
}
