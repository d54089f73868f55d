package lockchan

import (
	"context"
	"sync"
)

// Lock-plus-wait cycles through struct fields and methods (the program-model detector,
// src/analysis/heldwait.ts): the channel or WaitGroup lives in a field, the lock may be
// taken by a caller, and the waker's lock may sit in a callee. The blocking-state search
// proves some of these cycles too (it inlines the methods of run* entries) and adds the
// other sites it explored (a second emitter blocked on p.mu); the wants accept either
// message, and test/heldwait.test.ts checks the detector's own traces.

type record struct{ seq int }

// pipeline.emit holds the lock while it sends; the consumer locks after each value.
type pipeline struct {
	mu       sync.Mutex
	inflight int
	out      chan record
}

func (p *pipeline) emit(r record) {
	p.mu.Lock() // want `blocks forever locking "p.mu" at line \d+: .* holds it and is itself blocked sending on "p.out"`
	p.inflight++
	p.out <- r // want `blocks forever sending on "p.out" at line \d+ while holding "p.mu"`
	p.mu.Unlock()
}

func (p *pipeline) consume() {
	for range p.out {
		p.mu.Lock() // want `blocks forever locking "p.mu" at line \d+: .* holds it and is itself blocked sending on "p.out"`
		p.inflight--
		p.mu.Unlock()
	}
}

func runPipeline() {
	p := &pipeline{out: make(chan record)}
	go p.consume()
	for s := 0; s < 3; s++ {
		go func() {
			for i := 0; i < 4; i++ {
				p.emit(record{i})
			}
		}()
	}
}

// The fixed twin: the send happens after the unlock.
type pipelineFixed struct {
	mu       sync.Mutex
	inflight int
	out      chan record
}

func (p *pipelineFixed) emit(r record) {
	p.mu.Lock()
	p.inflight++
	p.mu.Unlock()
	p.out <- r
}

func (p *pipelineFixed) consume() {
	for range p.out {
		p.mu.Lock()
		p.inflight--
		p.mu.Unlock()
	}
}

func runPipelineFixed() {
	p := &pipelineFixed{out: make(chan record)}
	go p.consume()
	for i := 0; i < 4; i++ {
		p.emit(record{i})
	}
}

// client.call keeps the lock while it waits for the reply; the read loop needs the lock
// to find the pending call before it can deliver the reply.
type client struct {
	mu      sync.Mutex
	seq     int
	pending map[int]chan string
	replies chan int
}

func (c *client) readLoop() {
	for id := range c.replies {
		c.mu.Lock() // want `client.readLoop blocks forever locking "c.mu"`
		ch := c.pending[id]
		delete(c.pending, id)
		c.mu.Unlock()
		ch <- "ok"
	}
}

func (c *client) call() string {
	c.mu.Lock()
	c.seq++
	ch := make(chan string, 1)
	c.pending[c.seq] = ch
	c.replies <- c.seq
	reply := <-ch // want `client.call blocks forever receiving from "ch" at line \d+ while holding "c.mu"`
	c.mu.Unlock()
	return reply
}

func runClient() {
	c := &client{pending: map[int]chan string{}, replies: make(chan int)}
	go c.readLoop()
	go c.call()
}

// exporter.close holds the lock while it waits for the loop; the loop's final flush
// (a callee) needs the lock before the loop closes done.
type exporter struct {
	mu   sync.Mutex
	buf  []string
	quit chan struct{}
	done chan struct{}
}

func (e *exporter) flush() {
	e.mu.Lock() // want `blocks forever locking "e.mu" at line \d+: .* holds it and is itself blocked receiving from "e.done"`
	defer e.mu.Unlock()
	e.buf = nil
}

func (e *exporter) run() {
	for {
		select {
		case <-e.quit:
			e.flush()
			close(e.done)
			return
		}
	}
}

func (e *exporter) close() {
	e.mu.Lock()
	defer e.mu.Unlock()
	close(e.quit)
	<-e.done // want `blocks forever receiving from "e.done" at line \d+ while holding "e.mu"`
}

func runExporter() {
	e := &exporter{quit: make(chan struct{}), done: make(chan struct{})}
	go e.run()
	e.close()
}

// inventory.reserve holds the lock and, through a call, sends on the auditor's
// one-slot queue; the auditor locks the inventory after each event, so the queue fills.
type inventory struct {
	mu    sync.Mutex
	stock map[string]int
	audit *auditor
}

type auditor struct {
	queue chan string
	inv   *inventory
}

func (a *auditor) record(ev string) {
	a.queue <- ev // want `auditor.record blocks forever sending on "a.queue" at line \d+ while holding "inv.mu" \(locked at line \d+ in inventory.reserve\)`
}

func (a *auditor) run() {
	for ev := range a.queue {
		_ = a.inv.level(ev)
	}
}

func (inv *inventory) level(sku string) int {
	inv.mu.Lock() // want `inventory.level \(run by auditor.run\) blocks forever locking "inv.mu"`
	defer inv.mu.Unlock()
	return inv.stock[sku]
}

func (inv *inventory) reserve(sku string) {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	inv.stock[sku]--
	inv.audit.record(sku)
}

func runInventory(skus []string) {
	inv := &inventory{stock: map[string]int{}}
	a := &auditor{queue: make(chan string, 1), inv: inv}
	inv.audit = a
	go a.run()
	for _, s := range skus {
		inv.reserve(s)
	}
}

// batcher.shutdown waits for the batches while holding the lock they need before Done.
type batcher struct {
	mu      sync.Mutex
	wg      sync.WaitGroup
	results []int
}

func (b *batcher) submit(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.wg.Add(1)
	go b.process(n)
}

func (b *batcher) process(n int) {
	defer b.wg.Done()
	b.mu.Lock() // want `batcher.process blocks forever locking "b.mu"`
	b.results = append(b.results, n)
	b.mu.Unlock()
}

func (b *batcher) shutdown() []int {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.wg.Wait() // want `batcher.shutdown blocks forever in b.wg.Wait\(\) at line \d+ while holding "b.mu": every goroutine that could call b.wg.Done`
	return b.results
}

func runBatcher() {
	b := &batcher{}
	b.submit(1)
	b.submit(2)
	b.shutdown()
}

// catalog.price holds the read lock while it waits for the refresher, which needs the
// write lock to store the price.
type catalog struct {
	mu      sync.RWMutex
	prices  map[string]int
	refresh chan string
	loaded  chan string
}

func (c *catalog) refresher() {
	for sku := range c.refresh {
		c.mu.Lock() // want `blocks forever locking "c.mu" at line \d+: .* holds it and is itself blocked receiving from "c.loaded"`
		c.prices[sku] = 1
		c.mu.Unlock()
		c.loaded <- sku
	}
}

func (c *catalog) price(sku string) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	p, ok := c.prices[sku]
	if !ok {
		c.refresh <- sku
		<-c.loaded // want `blocks forever receiving from "c.loaded" at line \d+ while holding "c.mu"`
		p = c.prices[sku]
	}
	return p
}

func runCatalog() {
	c := &catalog{prices: map[string]int{}, refresh: make(chan string), loaded: make(chan string)}
	go c.refresher()
	c.price("a")
}

// Several waker goroutines, each locking before it reports.
type gather struct {
	mu      sync.Mutex
	seen    int
	results chan int
}

func (g *gather) worker(n int) {
	g.mu.Lock() // want `blocks forever locking "g.mu" at line \d+: .* holds it and is itself blocked receiving from "g.results"`
	g.seen++
	g.mu.Unlock()
	g.results <- n
}

func (g *gather) collect() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	total := 0
	for i := 0; i < 3; i++ {
		total += <-g.results // want `blocks forever receiving from "g.results" at line \d+ while holding "g.mu"`
	}
	return total
}

func runGather() {
	g := &gather{results: make(chan int)}
	for i := 0; i < 3; i++ {
		go g.worker(i)
	}
	g.collect()
}

// ---------------------------------------------------------------------------
// Silent: the shapes above, fixed, and what the model cannot prove.
// ---------------------------------------------------------------------------

// The lock is released before the receive.
type catalogFixed struct {
	mu      sync.RWMutex
	prices  map[string]int
	refresh chan string
	loaded  chan string
}

func (c *catalogFixed) refresher() {
	for sku := range c.refresh {
		c.mu.Lock()
		c.prices[sku] = 1
		c.mu.Unlock()
		c.loaded <- sku
	}
}

func (c *catalogFixed) price(sku string) int {
	c.mu.RLock()
	p, ok := c.prices[sku]
	c.mu.RUnlock()
	if !ok {
		c.refresh <- sku
		<-c.loaded
	}
	return p
}

func runCatalogFixed() {
	c := &catalogFixed{prices: map[string]int{}, refresh: make(chan string), loaded: make(chan string)}
	go c.refresher()
	c.price("a")
}

// A buffered channel with room: one send under the lock always completes.
type notifier struct {
	mu    sync.Mutex
	count int
	ready chan struct{}
}

func (n *notifier) announce() {
	n.mu.Lock()
	n.count++
	n.ready <- struct{}{}
	n.mu.Unlock()
}

func (n *notifier) await() {
	for range n.ready {
		n.mu.Lock()
		n.count--
		n.mu.Unlock()
	}
}

func runNotifier() {
	n := &notifier{ready: make(chan struct{}, 1)}
	go n.await()
	n.announce()
}

// The sender selects on ctx.Done(): it can always leave.
type ctxPipeline struct {
	mu  sync.Mutex
	out chan int
}

func (p *ctxPipeline) emit(ctx context.Context, v int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case p.out <- v:
	case <-ctx.Done():
	}
}

func (p *ctxPipeline) consume() {
	for range p.out {
		p.mu.Lock()
		p.mu.Unlock()
	}
}

func runCtxPipeline(ctx context.Context) {
	p := &ctxPipeline{out: make(chan int)}
	go p.consume()
	for i := 0; i < 3; i++ {
		p.emit(ctx, i)
	}
}

// A second receiver never locks: it can always take the value.
type fanIn struct {
	mu   sync.Mutex
	n    int
	jobs chan int
}

func (f *fanIn) send(v int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.jobs <- v
}

func (f *fanIn) lockedWorker() {
	for range f.jobs {
		f.mu.Lock()
		f.n++
		f.mu.Unlock()
	}
}

func (f *fanIn) freeWorker() {
	for v := range f.jobs {
		_ = v
	}
}

func runFanIn() {
	f := &fanIn{jobs: make(chan int)}
	go f.lockedWorker()
	go f.freeWorker()
	for i := 0; i < 3; i++ {
		f.send(i)
	}
}

// The waker hands off on another channel after locking: what happens in between may
// order it before the holder, so the gate proves nothing.
type handoff struct {
	mu    sync.Mutex
	ready chan struct{}
	reply chan int
}

func (h *handoff) responder() {
	h.mu.Lock()
	h.mu.Unlock()
	h.ready <- struct{}{}
	h.reply <- 1
}

func (h *handoff) ask() int {
	<-h.ready
	h.mu.Lock()
	defer h.mu.Unlock()
	return <-h.reply
}

func runHandoff() {
	h := &handoff{ready: make(chan struct{}), reply: make(chan int)}
	go h.responder()
	h.ask()
}

// A read lock on both sides never waits for the other.
type readers struct {
	mu    sync.RWMutex
	items []int
	reply chan int
}

func (r *readers) answer() {
	r.mu.RLock()
	n := len(r.items)
	r.mu.RUnlock()
	r.reply <- n
}

func (r *readers) ask() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return <-r.reply
}

func runReaders() {
	r := &readers{reply: make(chan int)}
	go r.answer()
	r.ask()
}

// TryLock does not wait: it is no gate.
type trier struct {
	mu    sync.Mutex
	reply chan int
}

func (t *trier) answer() {
	if t.mu.TryLock() {
		t.mu.Unlock()
	}
	t.reply <- 1
}

func (t *trier) ask() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return <-t.reply
}

func runTrier() {
	t := &trier{reply: make(chan int)}
	go t.answer()
	t.ask()
}

// The channel escapes to code the model does not see: silent.
type escaping struct {
	mu    sync.Mutex
	reply chan int
}

func (e *escaping) ask() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return <-e.reply
}

func (e *escaping) answer() {
	e.mu.Lock()
	e.mu.Unlock()
	e.reply <- 1
}

func runEscaping(register func(chan int)) {
	e := &escaping{reply: make(chan int)}
	register(e.reply)
	go e.answer()
	e.ask()
}

// The waiter makes its channel and publishes it under the lock: the registrar can only
// find it after the waiter has unlocked, so the waiter's Lock is no gate.
type registry struct {
	mu      sync.Mutex
	waiting map[string]chan int
}

func (r *registry) register(id string, v int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if w, ok := r.waiting[id]; ok {
		delete(r.waiting, id)
		w <- v
	}
}

func (r *registry) wait(id string) int {
	r.mu.Lock()
	w := make(chan int)
	r.waiting[id] = w
	r.mu.Unlock()
	return <-w
}

func runRegistry() {
	r := &registry{waiting: map[string]chan int{}}
	go r.register("a", 1)
	r.wait("a")
}

// A one-slot channel used as a semaphore, made and filled under the lock: the one send
// per channel always finds room.
type device struct {
	state sync.RWMutex
	comms chan struct{}
}

func (d *device) open() {
	d.state.Lock()
	defer d.state.Unlock()
	d.comms = make(chan struct{}, 1)
	d.comms <- struct{}{}
}

func (d *device) use() {
	d.state.RLock()
	defer d.state.RUnlock()
	<-d.comms
	d.comms <- struct{}{}
}

func runDevice() {
	d := &device{}
	for i := 0; i < 3; i++ {
		d.open()
		go d.use()
	}
}

// Drain, then send, under the lock: the one-slot buffer always has room.
type latest struct {
	mu     sync.Mutex
	status int
	update chan struct{}
}

func (l *latest) set(v int) {
	l.mu.Lock()
	l.status = v
	select {
	case <-l.update:
	default:
	}
	l.update <- struct{}{}
	l.mu.Unlock()
}

func (l *latest) watch() {
	for range l.update {
		l.mu.Lock()
		_ = l.status
		l.mu.Unlock()
	}
}

func runLatest() {
	l := &latest{update: make(chan struct{}, 1)}
	go l.watch()
	for i := 0; i < 3; i++ {
		l.set(i)
	}
}

// Another goroutine unlocks the lock for the holder (a lock handed over): the holder is
// released on its behalf, so there is no cycle.
type handover struct {
	mu sync.Mutex
	wg sync.WaitGroup
}

func (h *handover) release() {
	h.mu.Unlock()
}

func (h *handover) run(n int) {
	h.mu.Lock()
	go h.release()
	for i := 0; i < n; i++ {
		h.wg.Add(1)
		go func() {
			defer h.wg.Done()
			h.mu.Lock()
			h.mu.Unlock()
		}()
	}
	h.wg.Wait()
}

// A child holds its own lock while it reports to its parent, which locks its own: two
// values of one type, two mutexes (points-to alone would take them for one).
type node struct {
	mu     sync.Mutex
	v      int
	parent *node
	in     chan int
}

func (n *node) report() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.parent.in <- n.v
}

func (n *node) collect() {
	for v := range n.in {
		n.mu.Lock()
		n.v += v
		n.mu.Unlock()
	}
}

func runTree() {
	root := &node{in: make(chan int)}
	go root.collect()
	for i := 0; i < 3; i++ {
		c := &node{v: i, parent: root, in: make(chan int)}
		go c.report()
	}
}
