// Fixtures for lost-cancel in a main package: a log shipper whose cancel functions are
// kept in struct fields, a slice or a map of records, and whose goroutines run until
// those contexts are done. A cancel function that only uncalled methods call is as lost
// as one nobody calls; one reached through an interface is not.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
)

// tailer follows one file; quit is assigned after the value is built.
type tailer struct {
	path  string
	lines chan string
	quit  context.CancelFunc
}

func openTailer(path string) (*tailer, error) {
	if path == "" {
		return nil, errors.New("tailer: empty path")
	}
	ctx, quit := context.WithCancel(context.TODO()) // want "kept in tailer.quit and nothing ever calls it"
	t := &tailer{path: path, lines: make(chan string, 4)}
	t.quit = quit
	go t.follow(ctx)
	return t, nil
}

func (t *tailer) follow(ctx context.Context) {
	bytes := 0
	for {
		select {
		case l := <-t.lines:
			bytes += len(l)
		case <-ctx.Done():
			fmt.Println(t.path, "shipped", bytes, "bytes")
			return
		}
	}
}

// Detach lets go of the file but not of the goroutine.
func (t *tailer) Detach() { t.lines = make(chan string) }

// batcher starts one flusher per batch and keeps their cancel functions in a slice.
type batcher struct {
	mu       sync.Mutex
	flushers []context.CancelFunc
}

func (b *batcher) spawn(out io.Writer, batch []string) {
	ctx, stop := context.WithCancel(context.Background()) // want "only batcher[.]Abor[t] calls it, which nothing in the program runs"
	b.mu.Lock()
	b.flushers = append(b.flushers, stop)
	b.mu.Unlock()
	go func() {
		<-ctx.Done()
		fmt.Fprintln(out, strings.Join(batch, ","))
	}()
}

// Reset forgets the flushers without stopping them.
func (b *batcher) Reset() {
	b.mu.Lock()
	b.flushers = nil
	b.mu.Unlock()
}

// Nothing calls this method (its name must stay unique in the package).
func (b *batcher) Abort() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for i := len(b.flushers) - 1; i >= 0; i-- {
		b.flushers[i]()
	}
}

// ownedTailer (negative): Detach cancels, and main calls it.
type ownedTailer struct {
	quit context.CancelFunc
}

func openOwned() *ownedTailer {
	ctx, quit := context.WithCancel(context.TODO())
	o := &ownedTailer{}
	o.quit = quit
	go func() {
		<-ctx.Done()
	}()
	return o
}

func (o *ownedTailer) Detach() { o.quit() }

// shard (negative): the cancel function lives in a record of a map; Release calls it
// before deleting the record, and main runs Release.
type shard struct {
	stop context.CancelFunc
	hits int
}

type router struct {
	mu     sync.Mutex
	shards map[uint32]*shard
}

func (r *router) Claim(id uint32) context.Context {
	ctx, stop := context.WithCancel(context.Background())
	r.mu.Lock()
	r.shards[id] = &shard{stop: stop}
	r.mu.Unlock()
	return ctx
}

func (r *router) Release(id uint32) {
	r.mu.Lock()
	s := r.shards[id]
	delete(r.shards, id)
	r.mu.Unlock()
	if s != nil {
		s.stop()
	}
}

func serveShard(ctx context.Context, id uint32) {
	<-ctx.Done()
	fmt.Println("shard", id, "released:", ctx.Err())
}

// uploader (negative): no call names Close, but main collects the value as an
// io.Closer, and the loop over the closers calls it through the interface.
type uploader struct {
	cancel context.CancelFunc
}

func newUploader() *uploader {
	ctx, cancel := context.WithCancel(context.Background())
	u := &uploader{cancel: cancel}
	go func() {
		<-ctx.Done()
	}()
	return u
}

func (u *uploader) Close() error { u.cancel(); return nil }

func closeEach(cs []io.Closer) (first error) {
	for _, c := range cs {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func main() {
	t, err := openTailer("/var/log/app.log")
	if err != nil {
		return
	}
	defer t.Detach()
	b := &batcher{}
	var sb strings.Builder
	b.spawn(&sb, []string{"a", "b"})
	b.spawn(&sb, []string{"c"})
	b.Reset()
	o := openOwned()
	o.Detach()
	r := &router{shards: map[uint32]*shard{}}
	for id := uint32(1); id <= 3; id++ {
		go serveShard(r.Claim(id), id)
	}
	for id := uint32(1); id <= 3; id++ {
		r.Release(id)
	}
	fmt.Println(closeEach([]io.Closer{newUploader()}))
}
