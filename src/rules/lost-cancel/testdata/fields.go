// Fixtures for lost-cancel through the program model: a constructor keeps the cancel
// function in a field of the struct it returns and starts a goroutine that runs until
// that context is cancelled; a caller that can return without closing the value leaves
// the goroutine running for good. Also: a method that re-arms a goroutine overwrites
// the cancel function of the one already running.
package a

import (
	"context"
	"fmt"
	"strings"
)

// follower tails a replication stream until Shutdown cancels it.
type follower struct {
	dsn     string
	ctx     context.Context
	stop    context.CancelFunc
	changes chan []byte
}

func follow(parent context.Context, dsn string) *follower {
	ctx, stop := context.WithCancel(parent)
	f := &follower{dsn: dsn, ctx: ctx, stop: stop, changes: make(chan []byte)}
	go f.apply()
	return f
}

func (f *follower) apply() {
	applied := 0
	for {
		select {
		case c := <-f.changes:
			applied += len(c)
		case <-f.ctx.Done():
			fmt.Println(f.dsn, applied)
			return
		}
	}
}

func (f *follower) Shutdown() { f.stop() }

// Shut down on every path (negative; the callers of follow are checked in order, so
// these come before the positive).
func replicateDeferred(dsns []string) (int, error) {
	f := follow(context.Background(), dsns[0])
	defer f.Shutdown()
	for _, d := range dsns[1:] {
		if strings.HasPrefix(d, "readonly:") {
			return 0, fmt.Errorf("%s: read-only", d)
		}
	}
	return len(dsns), nil
}

// The parent context is the caller's: when it is done the goroutine ends (negative).
func replicateUnder(ctx context.Context, dsns []string) (int, error) {
	f := follow(ctx, dsns[0])
	if len(dsns) > 8 {
		return 0, fmt.Errorf("too many replicas: %d", len(dsns))
	}
	f.Shutdown()
	return len(dsns), nil
}

// replicate: a read-only replica in the list returns before Shutdown.
func replicate(dsns []string) (int, error) {
	f := follow(context.Background(), dsns[0]) // want "follow starts follower.apply \\(line 25\\), which runs until its context is cancelled, and keeps the cancel function only in the follower it returns \\(called by follower.Shutdown\\); replicate can return \\(line 72\\) without using it" // leakscope-vs-vet: differs: a cancel kept in a struct field (program model), which vet's lostcancel does not follow
	for _, d := range dsns[1:] {
		if strings.HasPrefix(d, "readonly:") {
			return 0, fmt.Errorf("%s: cannot replicate to a read-only replica", d)
		}
	}
	f.Shutdown()
	return len(dsns), nil
}

// prefetcher's goroutine also ends when its input is closed (negative).
type prefetcher struct {
	abort context.CancelFunc
	keys  chan string
}

func newPrefetcher() *prefetcher {
	ctx, abort := context.WithCancel(context.Background())
	p := &prefetcher{abort: abort, keys: make(chan string, 16)}
	go p.fetch(ctx)
	return p
}

func (p *prefetcher) fetch(ctx context.Context) {
	for {
		select {
		case k, ok := <-p.keys:
			if !ok {
				return
			}
			_ = k
		case <-ctx.Done():
			return
		}
	}
}

func (p *prefetcher) Abort() { p.abort() }

func warm(keys []string) error {
	p := newPrefetcher()
	if len(keys) == 0 {
		return fmt.Errorf("nothing to warm")
	}
	p.Abort()
	return nil
}

// renewal keeps a lock alive until Release; the goroutine selects on a field channel and
// the context, and only the context ends it.
type renewal struct {
	release context.CancelFunc
	beats   chan struct{}
}

func renew(key string) *renewal {
	ctx, release := context.WithCancel(context.TODO())
	r := &renewal{release: release, beats: make(chan struct{}, 1)}
	go func() {
		for {
			select {
			case <-r.beats:
				fmt.Println("renewed", key)
			case <-ctx.Done():
				return
			}
		}
	}()
	return r
}

func (r *renewal) Release() { r.release() }

// The caller hands the renewal on (negative).
func lockFor(owner map[string]*renewal, key string) {
	owner[key] = renew(key)
}

func lockAndForget(key string) {
	renew(key) // want "renew starts a goroutine \\(line 127\\), which runs until its context is cancelled.*lockAndForget drops that result" // leakscope-vs-vet: differs: a cancel kept in a struct field (program model), which vet's lostcancel does not follow
}

// sampler re-arms its goroutine when the rate changes.
type sampler struct {
	rate   int
	disarm context.CancelFunc
	probe  chan int
}

func (s *sampler) Arm() {
	ctx, disarm := context.WithCancel(context.Background())
	s.disarm = disarm // want "sampler.Arm stores a new cancel function in \"s.disarm\" without cancelling the one already there, and retune calls sampler.Arm twice on the same value \\(line 183 and line 185\\)" // leakscope-vs-vet: differs: a cancel kept in a struct field (program model), which vet's lostcancel does not follow
	go s.sample(ctx)
}

func (s *sampler) sample(ctx context.Context) {
	for {
		select {
		case v := <-s.probe:
			s.rate += v
		case <-ctx.Done():
			return
		}
	}
}

func (s *sampler) Disarm() {
	if s.disarm != nil {
		s.disarm()
	}
}

func retune(rate int) {
	s := &sampler{probe: make(chan int)}
	s.Arm()
	s.rate = rate
	s.Arm()
	s.Disarm()
}

// Disarmed between the two arms (negative).
func retuneClean(rate int) {
	s := &sampler{probe: make(chan int)}
	s.Arm()
	s.Disarm()
	s.rate = rate
	s.Arm()
	s.Disarm()
}

// rearmer swaps the cancel function in and cancels the previous one (negative).
type rearmer struct {
	disarm context.CancelFunc
	probe  chan int
}

func (r *rearmer) Arm() {
	ctx, disarm := context.WithCancel(context.Background())
	prev := r.disarm
	r.disarm = disarm
	if prev != nil {
		prev()
	}
	go r.sample(ctx)
}

func (r *rearmer) sample(ctx context.Context) {
	for {
		select {
		case <-r.probe:
		case <-ctx.Done():
			return
		}
	}
}

func retuneSwapped() {
	r := &rearmer{probe: make(chan int)}
	r.Arm()
	r.Arm()
	r.disarm()
}
