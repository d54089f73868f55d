package a

import "sync"

// WaitGroups and channels in struct fields (issue 13): the Wait blocks the counted
// goroutine's only counterpart.

type renderer struct {
	results chan string
	wg      sync.WaitGroup
}

func newRenderer() *renderer { return &renderer{results: make(chan string)} }

func (r *renderer) render(f string) {
	defer r.wg.Done()
	r.results <- f + ".png" // want `renderer.render \(started at line 23\) blocks here forever: the only receive from r.results \(line 28\) runs only after renderer.renderAll returns from r.wg.Wait\(\)`
}

func (r *renderer) renderAll(files []string) []string {
	for _, f := range files {
		r.wg.Add(1)
		go r.render(f)
		r.wg.Wait() // want `r.wg.Wait\(\) waits for the goroutine started at line 23 \(renderer.render\), which sends on unbuffered r.results before its deferred Done, but the only receive from r.results \(line 28\) comes after this Wait`
	}
	var out []string
	for range files {
		out = append(out, <-r.results)
	}
	return out
}

type crawler struct {
	wg      sync.WaitGroup
	fetched chan string
	stop    chan struct{}
	n       int
}

func newCrawler() *crawler {
	return &crawler{fetched: make(chan string), stop: make(chan struct{})}
}

func (c *crawler) fetch(u string) {
	defer c.wg.Done()
	c.fetched <- u
}

func (c *crawler) progress() {
	defer c.wg.Done()
	for {
		select { // want `crawler.progress \(started at line 65\) blocks here forever: the only close of c.stop \(line 73\) runs only after crawler.crawl returns from c.wg.Wait\(\)`
		case <-c.fetched:
			c.n++
		case <-c.stop:
			return
		}
	}
}

func (c *crawler) crawl(rounds [][]string) {
	for i, urls := range rounds {
		if i == 0 {
			c.wg.Add(1)
			go c.progress()
		}
		for _, u := range urls {
			c.wg.Add(1)
			go c.fetch(u)
		}
		c.wg.Wait() // want `c.wg.Wait\(\) waits for the goroutine started at line 65 \(crawler.progress\), which returns \(and calls its deferred Done\) only when c.stop is closed`
	}
	close(c.stop)
}

// Negatives.

// The Wait comes after the receive loop.
type batcher struct {
	out chan int
	wg  sync.WaitGroup
}

func newBatcher() *batcher { return &batcher{out: make(chan int)} }

func (b *batcher) work(i int) {
	defer b.wg.Done()
	b.out <- i * 2
}

func (b *batcher) run(n int) int {
	for i := 0; i < n; i++ {
		b.wg.Add(1)
		go b.work(i)
	}
	sum := 0
	for i := 0; i < n; i++ {
		sum += <-b.out
	}
	b.wg.Wait()
	return sum
}

// A buffered channel: the send does not wait for the receiver.
type buffered struct {
	out chan int
	wg  sync.WaitGroup
}

func newBuffered() *buffered { return &buffered{out: make(chan int, 16)} }

func (b *buffered) work(i int) {
	defer b.wg.Done()
	b.out <- i
}

func (b *buffered) run() int {
	b.wg.Add(1)
	go b.work(1)
	b.wg.Wait()
	return <-b.out
}

// Another goroutine receives.
type relay struct {
	in chan int
	wg sync.WaitGroup
}

func newRelay() *relay { return &relay{in: make(chan int)} }

func (r *relay) produce() {
	defer r.wg.Done()
	r.in <- 1
}

func (r *relay) consume() {
	for v := range r.in {
		_ = v
	}
}

func (r *relay) run() {
	go r.consume()
	r.wg.Add(1)
	go r.produce()
	r.wg.Wait()
	close(r.in)
}

// The stop channel is closed before the Wait.
type poller struct {
	wg   sync.WaitGroup
	stop chan struct{}
	tick chan int
}

func newPoller() *poller { return &poller{stop: make(chan struct{}), tick: make(chan int)} }

func (p *poller) loop() {
	defer p.wg.Done()
	for {
		select {
		case <-p.tick:
		case <-p.stop:
			return
		}
	}
}

func (p *poller) run() {
	p.wg.Add(1)
	go p.loop()
	close(p.stop)
	p.wg.Wait()
}

// The goroutine is not counted by the WaitGroup the function waits on.
type watcher struct {
	wg   sync.WaitGroup
	stop chan struct{}
}

func newWatcher() *watcher { return &watcher{stop: make(chan struct{})} }

func (w *watcher) watch() {
	<-w.stop
}

func (w *watcher) job() { defer w.wg.Done() }

func (w *watcher) run() {
	go w.watch()
	w.wg.Add(1)
	go w.job()
	w.wg.Wait()
	close(w.stop)
}
