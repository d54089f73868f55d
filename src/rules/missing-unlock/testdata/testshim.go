package a

import "sync"

// TB mirrors testing.TB so that non-test code need not import "testing" (the shape of
// tailscale's testenv.TB): its values are *testing.T, *testing.B or *testing.F, whose Fatal
// ends the goroutine with runtime.Goexit.
type TB interface {
	Cleanup(func())
	Error(args ...any)
	Errorf(format string, args ...any)
	Fail()
	FailNow()
	Failed() bool
	Fatal(args ...any)
	Fatalf(format string, args ...any)
	Helper()
	Log(args ...any)
	Logf(format string, args ...any)
	Name() string
	Skip(args ...any)
	SkipNow()
	Skipf(format string, args ...any)
	Skipped() bool
}

type FakeStore struct {
	tb       TB
	mu       sync.Mutex
	suspends int
}

// Resume keeps the lock only on the path that fails the test, which never returns.
func (s *FakeStore) Resume() {
	s.mu.Lock()
	switch s.suspends--; {
	case s.suspends == 0:
		s.mu.Unlock()
	case s.suspends < 0:
		s.tb.Fatal("Resume called more times than Suspend")
	default:
		s.mu.Unlock()
	}
}

// fataler has a Fatal method but is no test handle: a logger's Fatal may return (a test double,
// a logger that only records), so the path goes on.
type fataler interface {
	Fatal(args ...any)
}

type Journal struct {
	log fataler
	mu  sync.Mutex
	n   int
}

func (j *Journal) Close() {
	j.mu.Lock() // want `j.mu is locked here and is still held at the return at line 62`
	if j.n < 0 {
		j.log.Fatal("negative count")
		return
	}
	j.mu.Unlock()
}
