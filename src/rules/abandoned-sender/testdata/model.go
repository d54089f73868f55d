package a

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Reply channels beyond one function (program model): struct fields, method values,
// a pool's Submit, closures.

// job is the corpus case job-done-field-abandoned.
type job struct {
	name string
	done chan error
}

func newJob(name string) *job { return &job{name: name, done: make(chan error)} }

func (j *job) start() {
	go func() {
		time.Sleep(30 * time.Millisecond)
		j.done <- errors.New(j.name + " failed") // want "the goroutine running the goroutine started at line 22 in job.start sends on field \"done\" of job at line 24, but its only receiver \\(the select at line 31 in runWithDeadline\\) can take the \"<-time.After\\(5 \\* time.Millisecond\\)\" case and return first"
	}()
}

func runWithDeadline(name string) error {
	j := newJob(name)
	j.start()
	select {
	case err := <-j.done:
		return err
	case <-time.After(5 * time.Millisecond):
		return errors.New("deadline exceeded")
	}
}

// A method value submitted to a pool that runs it on a goroutine.
type pool struct{}

func (pool) Submit(f func()) { go f() }

type indexer struct {
	name  string
	reply chan int
}

func (ix *indexer) build() {
	ix.reply <- len(ix.name) // want "the goroutine running indexer.build sends on field \"reply\" of indexer at line 50"
}

func rebuild(ctx context.Context, p pool, name string) {
	ix := &indexer{name: name, reply: make(chan int)}
	p.Submit(ix.build)
	select {
	case n := <-ix.reply:
		fmt.Println("built", n)
	case <-ctx.Done():
		fmt.Println("gave up on", name)
	}
}

// --- negatives ---

// Buffered: the send always completes.
type fetch struct{ out chan int }

func doFetch() int {
	f := &fetch{out: make(chan int, 1)}
	go func() { f.out <- 1 }()
	select {
	case v := <-f.out:
		return v
	case <-time.After(time.Second):
		return 0
	}
}

// The sender selects on the same context.
type call struct{ res chan int }

func doCall(ctx context.Context) int {
	c := &call{res: make(chan int)}
	go func() {
		select {
		case c.res <- 1:
		case <-ctx.Done():
		}
	}()
	select {
	case v := <-c.res:
		return v
	case <-ctx.Done():
		return 0
	}
}

// The receive is a plain receive: it always takes the value.
type plain struct{ c chan int }

func doPlain() int {
	p := &plain{c: make(chan int)}
	go func() { p.c <- 1 }()
	return <-p.c
}

// The select retries in a loop until the value arrives.
type retry struct{ c chan int }

func doRetry() int {
	r := &retry{c: make(chan int)}
	go func() { r.c <- 1 }()
	for {
		select {
		case v := <-r.c:
			return v
		case <-time.After(time.Millisecond):
			fmt.Println("still waiting")
		}
	}
}

// A callback run by time.AfterFunc on its own goroutine sends on a channel nobody
// receives from (the corpus case afterfunc-callback-send).
func lease(id int) {
	expired := make(chan int)
	time.AfterFunc(5*time.Millisecond, func() {
		expired <- id // want "the goroutine running the function literal at line 128 in lease \\(started by time.AfterFunc at line 128\\) sends on \"expired\" at line 129, but nothing in the package ever receives"
	})
	fmt.Println("lease", id)
}

// The function sends on its own unbuffered channel before anything else can receive
// (corpus cases self-send-unbuffered and main-sends-before-receiver).
func normalize(words []string) []string {
	out := make(chan string)
	for _, w := range words {
		out <- w + "!" // want "send on unbuffered channel \"out\" at line 139 blocks forever: no goroutine that can receive from it is running yet"
	}
	close(out)
	var res []string
	for w := range out {
		res = append(res, w)
	}
	return res
}

func consume(jobs <-chan string, done chan<- bool) {
	for j := range jobs {
		fmt.Println("job", j)
	}
	done <- true
}

func startLate() {
	jobs := make(chan string)
	done := make(chan bool)
	jobs <- "first" // want "send on unbuffered channel \"jobs\" at line 159 blocks forever"
	go consume(jobs, done)
	close(jobs)
	<-done
}

// --- negatives ---

func consumeEarly(jobs <-chan string, done chan<- bool) {
	for j := range jobs {
		fmt.Println("job", j)
	}
	done <- true
}

// The receiver is started first.
func startEarly() {
	jobs := make(chan string)
	done := make(chan bool)
	go consumeEarly(jobs, done)
	jobs <- "first"
	close(jobs)
	<-done
}

// A receiver started in an earlier iteration of the same loop is running.
func pingPong(n int) {
	c := make(chan int)
	for i := 0; i < n; i++ {
		if i > 0 {
			c <- i
		}
		go func() { fmt.Println(<-c) }()
	}
}

// The channel is returned by a closure stored in an exported field of an exported type,
// which other packages may call (influxdb's subscriber tests).
type Meta struct{ WaitFn func() chan struct{} }

func useMeta(register func(Meta)) {
	changed := make(chan struct{})
	m := Meta{}
	m.WaitFn = func() chan struct{} { return changed }
	register(m)
	changed <- struct{}{}
}

// A future whose result a caller drops (corpus case fetch-async-result-dropped).
type client struct{ base string }

func (c *client) fetchAsync(path string) <-chan string {
	ch := make(chan string)
	go func() {
		ch <- "GET " + c.base + path // want "the goroutine client.fetchAsync starts sends on the unbuffered channel it returns \\(line 213\\), but warmCache drops that result \\(line 222\\)"
	}()
	return ch
}

func (c *client) fetch(path string) string { return <-c.fetchAsync(path) }

func warmCache(c *client, paths []string) {
	for _, p := range paths {
		c.fetchAsync(p)
	}
}

// Every caller receives (negative).
func (c *client) headAsync(path string) <-chan string {
	ch := make(chan string)
	go func() { ch <- "HEAD " + path }()
	return ch
}

func (c *client) head(path string) string { return <-c.headAsync(path) }

// The flusher is the only receiver and quits on the first write error while request
// goroutines keep logging (corpus case async-logger-flusher-quits).
type asyncLogger struct {
	lines chan string
	fail  func(string) error
}

func newAsyncLogger(fail func(string) error) *asyncLogger {
	l := &asyncLogger{lines: make(chan string, 4), fail: fail}
	go l.flush()
	return l
}

func (l *asyncLogger) flush() {
	for line := range l.lines {
		if err := l.fail(line); err != nil {
			return
		}
	}
}

func (l *asyncLogger) printf(s string) {
	l.lines <- s // want "send on field \"lines\" of asyncLogger at line 257 can block forever: its only receiver, the range loop at line 249 in asyncLogger.flush, can leave early"
}

func (l *asyncLogger) close() { close(l.lines) }

func serveLogs(l *asyncLogger) {
	for i := 0; i < 6; i++ {
		go l.printf("request")
	}
}

// The draining loop never leaves early (negative).
type drainLogger struct{ lines chan string }

func newDrainLogger() *drainLogger {
	l := &drainLogger{lines: make(chan string, 4)}
	go func() {
		for line := range l.lines {
			fmt.Println(line)
		}
	}()
	return l
}

func (l *drainLogger) printf(s string) { l.lines <- s }

func serveDrain(l *drainLogger) {
	for i := 0; i < 6; i++ {
		go l.printf("request")
	}
}

// A result kept in a local, dropped on the early return (corpus case
// lookup-async-dropped-on-invalid).
type directory struct{ users map[string]string }

func (d *directory) lookupAsync(id string) chan string {
	out := make(chan string)
	go func() {
		out <- d.users[id] // want "the goroutine directory.lookupAsync starts sends on the unbuffered channel it returns \\(line 296\\), but greet can return \\(line 304\\) without using the result it got at line 302"
	}()
	return out
}

func greet(d *directory, id string) (string, error) {
	name := d.lookupAsync(id)
	if id == "" {
		return "", errors.New("empty id")
	}
	return "hello " + <-name, nil
}

// Every path receives, one of them through a deferred drain (negative).
func greetAll(d *directory, id string) (string, error) {
	name := d.lookupAsync(id)
	defer func() { <-name }()
	if id == "" {
		return "", errors.New("empty id")
	}
	return "hello", nil
}

// Handing the result on counts as using it (negative).
func lookupFor(d *directory, id string) chan string {
	ch := d.lookupAsync(id)
	return ch
}

// A generic future whose channel is a field of the struct it returns (corpus case
// generic-future-never-awaited).
type future[T any] struct{ ch chan T }

func async[T any](f func() T) *future[T] {
	fut := &future[T]{ch: make(chan T)}
	go func() {
		fut.ch <- f() // want "the goroutine async starts sends on the unbuffered field \"ch\" of future it returns \\(line 332\\), but audit can return \\(line 344\\) without using the result"
	}()
	return fut
}

func (f *future[T]) await() T { return <-f.ch }

func audit(user string, debug bool) {
	a := async(func() int { return len(user) })
	if debug {
		fmt.Println(a.await())
	}
}

// The buffered future: nobody awaiting it strands nothing (negative).
type bufFuture[T any] struct{ ch chan T }

func bufAsync[T any](f func() T) *bufFuture[T] {
	fut := &bufFuture[T]{ch: make(chan T, 1)}
	go func() { fut.ch <- f() }()
	return fut
}

func (f *bufFuture[T]) await() T { return <-f.ch }

func auditBuffered(user string, debug bool) {
	a := bufAsync(func() int { return len(user) })
	if debug {
		fmt.Println(a.await())
	}
}

// Every path awaits (negative).
func auditAlways(user string) int {
	a := async(func() int { return len(user) })
	fmt.Println("auditing", user)
	return a.await()
}

// A stored emit closure sends on the caller's channel from a loop; the caller takes the
// first finding and returns (corpus case scanner-emit-closure-fail-fast).
type finding struct{ file, rule string }

type scanner struct {
	emit  func(finding)
	rules []string
}

func newScanner(out chan<- finding) *scanner {
	s := &scanner{rules: []string{"password", "token"}}
	s.emit = func(f finding) {
		out <- f // want "the goroutine started at line 402 sends on \"out\" at line 383 \\(reached through the function literal at line 382 in newScanner\\) and can send more than once, but checkRepo receives at most one value \\(line 407\\) and returns"
	}
	return s
}

func (s *scanner) scan(files map[string]string) {
	for name, body := range files {
		for _, r := range s.rules {
			if len(body) > len(r) {
				s.emit(finding{name, r})
			}
		}
	}
}

func checkRepo(files map[string]string) error {
	findings := make(chan finding)
	s := newScanner(findings)
	done := make(chan struct{})
	go func() {
		s.scan(files)
		close(done)
	}()
	select {
	case f := <-findings:
		return fmt.Errorf("%s: %s", f.file, f.rule)
	case <-done:
		return nil
	}
}

// The caller drains every finding until the scan is done (negative).
func newScanner2(out chan<- finding) *scanner {
	s := &scanner{}
	s.emit = func(f finding) { out <- f }
	return s
}

func checkRepoAll(files map[string]string) []finding {
	findings := make(chan finding)
	s := newScanner2(findings)
	go func() {
		s.scan(files)
		close(findings)
	}()
	var all []finding
	for f := range findings {
		all = append(all, f)
	}
	return all
}

// The emit closure selects on the caller's done channel (negative).
func newScanner3(out chan<- finding, done <-chan struct{}) *scanner {
	s := &scanner{}
	s.emit = func(f finding) {
		select {
		case out <- f:
		case <-done:
		}
	}
	return s
}

func checkRepoStop(files map[string]string) error {
	findings := make(chan finding)
	stop := make(chan struct{})
	defer close(stop)
	s := newScanner3(findings, stop)
	go s.scan(files)
	f := <-findings
	return fmt.Errorf("%s", f.file)
}
