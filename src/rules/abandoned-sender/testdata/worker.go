// Fixtures for abandoned-sender: the goroutine is a named same-package
// function (`go produce(q, ch)`) that sends on its channel parameter. The
// finding is on the send inside that function.
package a

import (
	"context"
	"sync"
	"time"
)

// produce sends exactly one value on out. Only startProduce uses it.
func produce(q string, out chan<- string) {
	out <- slowQuery(q) // want "blocks forever sending on \"?out"
}

// startProduce: `go produce(q, ch)` with a timeout select in the receiver.
func startProduce(q string) (string, bool) {
	ch := make(chan string)
	go produce(q, ch)
	select {
	case v := <-ch:
		return v, true
	case <-time.After(time.Second):
		return "", false
	}
}

// cache loads missing entries in the background; load is a method that sends
// on its channel parameter.
type cache struct {
	mu sync.Mutex
	m  map[string]string
}

func (c *cache) load(key string, into chan<- string) {
	v := slowQuery(key)
	c.mu.Lock()
	c.m[key] = v
	c.mu.Unlock()
	into <- v // want "blocks forever sending on \"?into"
}

// getOrLoad: `go c.load(key, ch)`, receiver gives up on ctx.Done().
func (c *cache) getOrLoad(ctx context.Context, key string) (string, error) {
	c.mu.Lock()
	v, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return v, nil
	}
	ch := make(chan string)
	go c.load(key, ch)
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// produceCtx (negative): the named worker selects on ctx.Done() around its
// send, so it can always leave.
func produceCtx(ctx context.Context, q string, out chan<- string) {
	select {
	case out <- slowQuery(q):
	case <-ctx.Done():
	}
}

// startProduceCtx (negative): same receiver shape as startProduce, but the
// worker it starts cannot block forever.
func startProduceCtx(ctx context.Context, q string) (string, error) {
	ch := make(chan string)
	go produceCtx(ctx, q, ch)
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}
