// Negative fixtures for lost-cancel: legitimate shapes where the cancel func
// is called, or handed to someone who will call it, on every path. None of
// these lines may be reported. Like go vet, any reference to the cancel
// variable on a path counts as a use.
package a

import (
	"context"
	"errors"
	"log"
	"os"
	"sync"
	"testing"
	"time"
)

// cancelEveryBranch: cancel is called explicitly in both branches.
func cancelEveryBranch(parent context.Context, key string) (string, error) {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	v, err := fetch(ctx, key)
	if err != nil {
		cancel()
		return "", err
	}
	cancel()
	return v, nil
}

// cancelEverySwitchCase: a switch with a default; every case cancels.
func cancelEverySwitchCase(parent context.Context, mode string) error {
	ctx, cancel := context.WithCancel(parent)
	switch mode {
	case "a":
		cancel()
		return nil
	case "b":
		_, err := fetch(ctx, mode)
		cancel()
		return err
	default:
		cancel()
		return errStopped
	}
}

// returnedToCaller: the caller owns the cancel func (the WithCancel wrapper
// idiom); returning it is a use.
func returnedToCaller(parent context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(parent, d)
	return ctx, cancel
}

// namedResultNakedReturn: cancel is a named result; the naked return hands it
// to the caller.
func namedResultNakedReturn(parent context.Context) (ctx context.Context, cancel context.CancelFunc) {
	ctx, cancel = context.WithCancel(parent)
	if parent.Err() != nil {
		return
	}
	ctx = context.WithValue(ctx, ctxKey{}, 1)
	return
}

// service keeps its cancel func in a struct field; Stop calls it.
type service struct {
	ctx    context.Context
	cancel context.CancelFunc
	stop   func()
	wg     sync.WaitGroup
}

// storedViaLocal: the local cancel var is stored into a struct field.
func storedViaLocal(parent context.Context) *service {
	ctx, cancel := context.WithCancel(parent)
	w := &service{ctx: ctx}
	w.cancel = cancel
	return w
}

// storedInLiteral: the cancel var is a field of a composite literal.
func storedInLiteral(parent context.Context) *service {
	ctx, cancel := context.WithCancel(parent)
	return &service{ctx: ctx, cancel: cancel}
}

// assignedToField: the constructor assigns straight into a struct field; the
// cancel func is not a local variable and is not analysed (vet agrees).
func (w *service) start(parent context.Context) {
	w.ctx, w.cancel = context.WithCancel(parent)
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		<-w.ctx.Done()
	}()
}

func (w *service) Stop() {
	w.cancel()
	w.wg.Wait()
}

// pkgCancel is a package-level cancel func set by initGlobal and called by
// shutdownGlobal; package-level vars are not analysed.
var (
	pkgCtx    context.Context
	pkgCancel context.CancelFunc
)

func initGlobal() {
	pkgCtx, pkgCancel = context.WithCancel(context.Background())
}

func shutdownGlobal() { pkgCancel() }

// storedInMap: cancel funcs registered by id for a later Cancel(id).
type registry struct {
	mu      sync.Mutex
	cancels map[string]context.CancelFunc
	all     []context.CancelFunc
}

func (r *registry) startJob(parent context.Context, id string) context.Context {
	ctx, cancel := context.WithCancel(parent)
	r.mu.Lock()
	r.cancels[id] = cancel
	r.mu.Unlock()
	return ctx
}

// storedInSlice: cancel funcs appended to a slice, all called on shutdown.
func (r *registry) startAll(parent context.Context, n int) {
	for i := 0; i < n; i++ {
		ctx, cancel := context.WithCancel(parent)
		r.all = append(r.all, cancel)
		go watch(ctx)
	}
}

// passedToHelper: cancel handed to a same-package helper that calls it.
func passedToHelper(parent context.Context, done <-chan struct{}) context.Context {
	ctx, cancel := context.WithCancel(parent)
	go cancelWhenDone(done, cancel)
	return ctx
}

func cancelWhenDone(done <-chan struct{}, cancel context.CancelFunc) {
	<-done
	cancel()
}

// passedToCleanup: testing's t.Cleanup(cancel) registers it for the end of
// the test.
func passedToCleanup(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// goroutineCancels: a goroutine closure owns the cancel call; the function
// returns the context immediately.
func goroutineCancels(parent context.Context, done <-chan struct{}) context.Context {
	ctx, cancel := context.WithCancel(parent)
	go func() {
		<-done
		cancel()
	}()
	return ctx
}

// closureStored: cancel captured in a closure stored in a struct field.
func closureStored(parent context.Context, w *service) context.Context {
	ctx, cancel := context.WithCancel(parent)
	w.stop = func() {
		log.Print("stopping")
		cancel()
	}
	return ctx
}

// assignedToOuterVar: cancel assigned to another variable that the caller
// reads (a pointer out-parameter).
func assignedToOuterVar(parent context.Context, out *context.CancelFunc) context.Context {
	ctx, cancel := context.WithCancel(parent)
	*out = cancel
	return ctx
}

// earlyReturnBeforeConstructor: the early return happens before WithCancel is
// called, so there is nothing to cancel on that path.
func earlyReturnBeforeConstructor(parent context.Context, key string) (string, error) {
	if key == "" {
		return "", errors.New("empty key")
	}
	ctx, cancel := context.WithTimeout(parent, time.Second)
	defer cancel()
	return fetch(ctx, key)
}

// pathEndsInLogFatal: the only path without cancel ends in log.Fatal, which
// does not return.
func pathEndsInLogFatal(parent context.Context) string {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	v, err := fetch(ctx, "cfg")
	if err != nil {
		log.Fatalf("loading config: %v", err)
	}
	cancel()
	return v
}

// pathEndsInPanic: the only path without cancel panics.
func pathEndsInPanic(parent context.Context) string {
	ctx, cancel := context.WithCancel(parent)
	v, err := fetch(ctx, "must")
	if err != nil {
		panic(err)
	}
	cancel()
	return v
}

// pathEndsInOsExit: the only path without cancel exits the process.
func pathEndsInOsExit(parent context.Context) string {
	ctx, cancel := context.WithCancel(parent)
	v, err := fetch(ctx, "must")
	if err != nil {
		log.Print(err)
		os.Exit(1)
	}
	cancel()
	return v
}

// pathEndsInTFatal: a test helper whose leaking path ends in t.Fatalf, which
// stops the test goroutine (runtime.Goexit).
func pathEndsInTFatal(t *testing.T) string {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	v, err := fetch(ctx, "fixture")
	if err != nil {
		t.Fatalf("fetch: %v", err)
	}
	cancel()
	return v
}

// loopEachIterationCancels: a fresh context per iteration, cancelled at the
// end of the iteration before any exit.
func loopEachIterationCancels(parent context.Context, keys []string) error {
	for _, k := range keys {
		ctx, cancel := context.WithTimeout(parent, time.Second)
		_, err := fetch(ctx, k)
		cancel()
		if err != nil {
			return err
		}
	}
	return nil
}

// loopReassignOuterVar: the same outer cancel variable reassigned on each
// iteration; every value is called before it is overwritten or the loop
// exits.
func loopReassignOuterVar(parent context.Context, keys []string) {
	var (
		ctx    context.Context
		cancel context.CancelFunc
	)
	for _, k := range keys {
		ctx, cancel = context.WithTimeout(parent, time.Second)
		_, _ = fetch(ctx, k)
		cancel()
	}
}

// loopBodyWithDeferredClosure: the usual fix for "defer in a loop": wrap the
// iteration in a func literal with its own defer.
func loopBodyWithDeferredClosure(parent context.Context, keys []string) error {
	for _, k := range keys {
		err := func() error {
			ctx, cancel := context.WithTimeout(parent, time.Second)
			defer cancel()
			_, err := fetch(ctx, k)
			return err
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

// selectEveryCaseCancels: cancel is deferred before the select, so every case
// is covered regardless of which returns.
func selectEveryCaseCancels(parent context.Context, res <-chan string) (string, error) {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	defer cancel()
	select {
	case v := <-res:
		return v, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// infiniteLoopNoReturn: a serve-forever loop with no break and no return.
// cancel is only called in one branch, but no path from the definition
// reaches a return, so nothing leaks on return (the context lives exactly as
// long as the goroutine that serves). `for {}` has no exit edge.
func infiniteLoopNoReturn(parent context.Context, jobs <-chan string) {
	ctx, cancel := context.WithCancel(parent)
	for {
		job := <-jobs
		if job == "" {
			cancel()
			ctx, cancel = context.WithCancel(parent)
			continue
		}
		_, _ = fetch(ctx, job)
	}
}
