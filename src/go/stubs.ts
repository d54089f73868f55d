/**
 * @fileoverview Declarations of the standard-library (and golang.org/x/sync) API that the
 * rules reason about, written as Go source and parsed by the same machinery as user
 * code. Only signatures matter: bodies are omitted, which Go syntax allows.
 *
 * Signatures are copied from the Go 1.26 documentation of each package
 * ($(go env GOROOT)/src/<pkg>/*.go). A package or symbol missing here is simply
 * `unknown` to the analyser, so rules stay silent rather than guess.
 */
export const STUBS: Record<string, string> = {
  context: `package context
import "time"
type Context interface{}
type CancelFunc func()
type CancelCauseFunc func(cause error)
func Background() Context
func TODO() Context
func WithCancel(parent Context) (ctx Context, cancel CancelFunc)
func WithCancelCause(parent Context) (ctx Context, cancel CancelCauseFunc)
func WithTimeout(parent Context, timeout time.Duration) (Context, CancelFunc)
func WithTimeoutCause(parent Context, timeout time.Duration, cause error) (Context, CancelFunc)
func WithDeadline(parent Context, d time.Time) (Context, CancelFunc)
func WithDeadlineCause(parent Context, d time.Time, cause error) (Context, CancelFunc)
func WithValue(parent Context, key, val any) Context
func WithoutCancel(parent Context) Context
func AfterFunc(ctx Context, f func()) (stop func() bool)
func Cause(c Context) error
`,
  sync: `package sync
type Locker interface{}
type Mutex struct{ state int32 }
func (m *Mutex) Lock()
func (m *Mutex) Unlock()
func (m *Mutex) TryLock() bool
type RWMutex struct{ w Mutex }
func (rw *RWMutex) Lock()
func (rw *RWMutex) Unlock()
func (rw *RWMutex) RLock()
func (rw *RWMutex) RUnlock()
func (rw *RWMutex) TryLock() bool
func (rw *RWMutex) TryRLock() bool
func (rw *RWMutex) RLocker() Locker
type WaitGroup struct{ noCopy int }
func (wg *WaitGroup) Add(delta int)
func (wg *WaitGroup) Done()
func (wg *WaitGroup) Wait()
func (wg *WaitGroup) Go(f func())
type Once struct{ done uint32 }
func (o *Once) Do(f func())
func OnceFunc(f func()) func()
func OnceValue[T any](f func() T) func() T
func OnceValues[T1, T2 any](f func() (T1, T2)) func() (T1, T2)
type Cond struct{ L Locker }
func NewCond(l Locker) *Cond
func (c *Cond) Wait()
func (c *Cond) Signal()
func (c *Cond) Broadcast()
type Pool struct{ New func() any }
func (p *Pool) Get() any
func (p *Pool) Put(x any)
type Map struct{ m int }
func (m *Map) Load(key any) (value any, ok bool)
func (m *Map) Store(key, value any)
func (m *Map) LoadOrStore(key, value any) (actual any, loaded bool)
func (m *Map) LoadAndDelete(key any) (value any, loaded bool)
func (m *Map) Delete(key any)
func (m *Map) Range(f func(key, value any) bool)
func (m *Map) Clear()
`,
  'sync/atomic': `package atomic
type Int32 struct{ v int32 }
func (x *Int32) Add(delta int32) (new int32)
func (x *Int32) Load() int32
func (x *Int32) Store(val int32)
type Int64 struct{ v int64 }
func (x *Int64) Add(delta int64) (new int64)
func (x *Int64) Load() int64
func (x *Int64) Store(val int64)
type Uint32 struct{ v uint32 }
func (x *Uint32) Add(delta uint32) (new uint32)
type Uint64 struct{ v uint64 }
func (x *Uint64) Add(delta uint64) (new uint64)
type Bool struct{ v uint32 }
func (x *Bool) Load() bool
func (x *Bool) Store(val bool)
type Value struct{ v any }
func AddInt32(addr *int32, delta int32) (new int32)
func AddInt64(addr *int64, delta int64) (new int64)
`,
  time: `package time
type Duration int64
type Month int
type Time struct{ wall uint64 }
func (t Time) Add(d Duration) Time
func (t Time) Sub(u Time) Duration
func (t Time) After(u Time) bool
func (t Time) Before(u Time) bool
func (d Duration) Seconds() float64
type Location struct{ name string }
type Timer struct{ C <-chan Time }
func (t *Timer) Stop() bool
func (t *Timer) Reset(d Duration) bool
type Ticker struct{ C <-chan Time }
func (t *Ticker) Stop()
func (t *Ticker) Reset(d Duration)
func Now() Time
func Since(t Time) Duration
func Until(t Time) Duration
func Sleep(d Duration)
func After(d Duration) <-chan Time
func Tick(d Duration) <-chan Time
func NewTimer(d Duration) *Timer
func NewTicker(d Duration) *Ticker
func AfterFunc(d Duration, f func()) *Timer
func Unix(sec int64, nsec int64) Time
func Date(year int, month Month, day, hour, min, sec, nsec int, loc *Location) Time
const Nanosecond Duration = 1
const Microsecond = 1000 * Nanosecond
const Millisecond = 1000 * Microsecond
const Second = 1000 * Millisecond
const Minute = 60 * Second
const Hour = 60 * Minute
`,
  os: `package os
type Signal interface{}
type File struct{ name string }
func Exit(code int)
func Getenv(key string) string
`,
  'os/signal': `package signal
import "os"
func Notify(c chan<- os.Signal, sig ...os.Signal)
func Stop(c chan<- os.Signal)
`,
  log: `package log
type Logger struct{ prefix string }
func Fatal(v ...any)
func Fatalf(format string, v ...any)
func Fatalln(v ...any)
func Panic(v ...any)
func Panicf(format string, v ...any)
func Panicln(v ...any)
func Printf(format string, v ...any)
func Println(v ...any)
func (l *Logger) Fatal(v ...any)
func (l *Logger) Fatalf(format string, v ...any)
func (l *Logger) Fatalln(v ...any)
func (l *Logger) Panic(v ...any)
func (l *Logger) Panicf(format string, v ...any)
func (l *Logger) Panicln(v ...any)
`,
  runtime: `package runtime
func Goexit()
func Gosched()
func NumGoroutine() int
func NumCPU() int
func GOMAXPROCS(n int) int
func GC()
`,
  testing: `package testing
import "context"
type TB interface {
	Fatal(args ...any)
	Fatalf(format string, args ...any)
	FailNow()
	Skip(args ...any)
	Skipf(format string, args ...any)
	SkipNow()
}
type common struct{ name string }
func (c *common) Fatal(args ...any)
func (c *common) Fatalf(format string, args ...any)
func (c *common) FailNow()
func (c *common) Skip(args ...any)
func (c *common) Skipf(format string, args ...any)
func (c *common) SkipNow()
func (c *common) Cleanup(f func())
func (c *common) Context() context.Context
type T struct{ common }
func (t *T) Run(name string, f func(t *T)) bool
func (t *T) Parallel()
type B struct{ common; N int }
func (b *B) Run(name string, f func(b *B)) bool
func (b *B) Loop() bool
type F struct{ common }
type M struct{ x int }
func (m *M) Run() int
`,
  bytes: `package bytes
type Buffer struct{ buf []byte }
func (b *Buffer) Reset()
func (b *Buffer) Len() int
func (b *Buffer) Cap() int
func (b *Buffer) Grow(n int)
func (b *Buffer) Truncate(n int)
func (b *Buffer) Write(p []byte) (n int, err error)
func (b *Buffer) WriteString(s string) (n int, err error)
func (b *Buffer) Bytes() []byte
func (b *Buffer) String() string
func NewBuffer(buf []byte) *Buffer
`,
  strings: `package strings
type Builder struct{ buf []byte }
func (b *Builder) Reset()
func (b *Builder) Len() int
func (b *Builder) Cap() int
func (b *Builder) Grow(n int)
func (b *Builder) WriteString(s string) (int, error)
func (b *Builder) String() string
`,
  net: `package net
type Addr interface {
	Network() string
	String() string
}
type Conn interface {
	Read(b []byte) (n int, err error)
	Write(b []byte) (n int, err error)
	Close() error
	LocalAddr() Addr
	RemoteAddr() Addr
}
type Listener interface {
	Accept() (Conn, error)
	Close() error
	Addr() Addr
}
type TCPConn struct{ fd int }
type TCPListener struct{ fd int }
func (l *TCPListener) Accept() (Conn, error)
func (l *TCPListener) AcceptTCP() (*TCPConn, error)
func (l *TCPListener) Close() error
func Listen(network, address string) (Listener, error)
`,
  'golang.org/x/sync/errgroup': `package errgroup
import "context"
type Group struct{ n int }
func WithContext(ctx context.Context) (*Group, context.Context)
func (g *Group) Go(f func() error)
func (g *Group) TryGo(f func() error) bool
func (g *Group) Wait() error
func (g *Group) SetLimit(n int)
`,
  'golang.org/x/sync/semaphore': `package semaphore
import "context"
type Weighted struct{ size int64 }
func NewWeighted(n int64) *Weighted
func (s *Weighted) Acquire(ctx context.Context, n int64) error
func (s *Weighted) TryAcquire(n int64) bool
func (s *Weighted) Release(n int64)
`,
};

/**
 * Functions and methods that never return normally (they panic, exit the process or
 * the goroutine). The CFG ends a path at calls to these, like go/analysis' ctrlflow
 * "noReturn" facts for the standard library. Keys: `pkg.Func` or `pkg.Type.Method`.
 */
export const NO_RETURN = new Set([
  'os.Exit',
  'log.Fatal',
  'log.Fatalf',
  'log.Fatalln',
  'log.Panic',
  'log.Panicf',
  'log.Panicln',
  'log.Logger.Fatal',
  'log.Logger.Fatalf',
  'log.Logger.Fatalln',
  'log.Logger.Panic',
  'log.Logger.Panicf',
  'log.Logger.Panicln',
  'runtime.Goexit',
  'testing.common.Fatal',
  'testing.common.Fatalf',
  'testing.common.FailNow',
  'testing.common.Skip',
  'testing.common.Skipf',
  'testing.common.SkipNow',
  'testing.TB.Fatal',
  'testing.TB.Fatalf',
  'testing.TB.FailNow',
  'testing.TB.Skip',
  'testing.TB.Skipf',
  'testing.TB.SkipNow',
]);
