// Receivers that give up only on a path where the test has already failed: the timeout
// arm of the receive-with-timeout idiom reports the failure (t.Errorf, t.Fatalf, testify's
// Fail/FailNow, a project helper that fails) before it returns. A goroutine left behind in
// a run `go test` reports as failed is not a leak a maintainer fixes. Each negative has a
// positive twin whose timeout arm only logs and goes on, so the test passes while the
// goroutine stays blocked.
package a

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func compute(n int) int { return n * 2 }

func TestWaitErrorfReturn(t *testing.T) {
	got := make(chan int)
	go func() {
		got <- compute(3)
	}()
	select {
	case v := <-got:
		if v != 6 {
			t.Errorf("got %d", v)
		}
	case <-time.After(time.Second):
		t.Errorf("timed out waiting for compute")
		return
	}
}

func TestWaitErrorfFallsOff(t *testing.T) {
	got := make(chan int)
	go func() {
		got <- compute(4)
	}()
	select {
	case <-got:
	case <-time.After(time.Second):
		t.Error("timed out")
	}
}

func TestWaitFatalf(t *testing.T) {
	got := make(chan int)
	go func() {
		got <- compute(5)
	}()
	select {
	case <-got:
	case <-time.After(time.Second):
		t.Fatalf("timed out")
	}
}

func TestWaitRequireFail(t *testing.T) {
	got := make(chan int)
	go func() {
		got <- compute(6)
	}()
	select {
	case <-got:
	case <-time.After(time.Second):
		require.Fail(t, "timed out")
	}
	t.Log("done")
}

func TestWaitAssertFail(t *testing.T) {
	got := make(chan int)
	go func() {
		got <- compute(7)
	}()
	select {
	case <-got:
	case <-time.After(time.Second):
		assert.Failf(t, "timed out", "after %v", time.Second)
		return
	}
}

// timedOut is the project's own failure helper: it always marks the test failed.
func timedOut(tb testing.TB, what string) {
	tb.Helper()
	tb.Errorf("timed out waiting for %s", what)
}

func TestWaitOwnHelper(t *testing.T) {
	got := make(chan int)
	go func() {
		got <- compute(8)
	}()
	select {
	case <-got:
	case <-time.After(time.Second):
		timedOut(t, "compute")
		return
	}
}

func BenchmarkWaitFail(b *testing.B) {
	got := make(chan int)
	go func() {
		got <- compute(9)
	}()
	select {
	case <-got:
	case <-time.After(time.Second):
		b.Fail()
		return
	}
}

// The timeout arm only logs: the test passes, the goroutine stays blocked.
func TestWaitOnlyLogs(t *testing.T) {
	got := make(chan int)
	go func() {
		got <- compute(10) // want "blocks forever sending on \"?got"
	}()
	select {
	case <-got:
	case <-time.After(time.Second):
		t.Logf("slow, moving on")
		return
	}
}

// A helper that fails only on one outcome does not make the path a failed one.
func maybeFail(t *testing.T, late bool) {
	if late {
		t.Errorf("late")
	}
}

func TestWaitConditionalHelper(t *testing.T) {
	got := make(chan int)
	go func() {
		got <- compute(11) // want "blocks forever sending on \"?got"
	}()
	select {
	case <-got:
	case <-time.After(time.Second):
		maybeFail(t, false)
		return
	}
}

// A conditional assertion passes when its condition holds: not a failed path.
func TestWaitConditionalAssert(t *testing.T) {
	got := make(chan int)
	go func() {
		got <- compute(12) // want "blocks forever sending on \"?got"
	}()
	select {
	case <-got:
	case <-time.After(time.Second):
		assert.True(t, true, "moving on")
	}
}

// collectN gives up after a timeout and says so with ok == false; every caller asserts ok,
// so the goroutine is left behind only in a failed test.
func collectN(n int, d time.Duration) (got []int, ok bool) {
	vals := make(chan int)
	go func() {
		for i := 0; i < n; i++ {
			vals <- compute(i)
		}
	}()
	for len(got) < n {
		select {
		case v := <-vals:
			got = append(got, v)
		case <-time.After(d):
			return got, false
		}
	}
	return got, true
}

func TestCollectRequire(t *testing.T) {
	got, ok := collectN(3, time.Second)
	require.True(t, ok)
	t.Log(got)
}

func TestCollectIfNotOk(t *testing.T) {
	_, ok := collectN(4, time.Second)
	if !ok {
		t.Fatal("timed out")
	}
}

// awaitOne reports a timeout as an error, which its only caller asserts is nil.
func awaitOne(d time.Duration) error {
	done := make(chan int)
	go func() {
		done <- compute(1)
	}()
	select {
	case <-done:
		return nil
	case <-time.After(d):
		return fmt.Errorf("timed out after %v", d)
	}
}

func TestAwaitOne(t *testing.T) {
	err := awaitOne(time.Second)
	require.NoError(t, err)
}

// collectAny's timeout result is ignored by one caller: that caller's test passes and
// the goroutine stays blocked.
func collectAny(n int, d time.Duration) (got []int, ok bool) {
	vals := make(chan int)
	go func() {
		for i := 0; i < n; i++ {
			vals <- compute(i) // want "blocks forever sending on \"?vals"
		}
	}()
	for len(got) < n {
		select {
		case v := <-vals:
			got = append(got, v)
		case <-time.After(d):
			return got, false
		}
	}
	return got, true
}

func TestCollectAnyAsserted(t *testing.T) {
	_, ok := collectAny(2, time.Second)
	assert.True(t, ok)
}

func TestCollectAnyIgnored(t *testing.T) {
	got, _ := collectAny(2, time.Millisecond)
	t.Log(len(got))
}

// testify's assert.X returns false exactly when it reported the failure (t.Errorf): the
// branch entered on false runs in a failed test.
func echoWrite(n int) (int, error) { return n, nil }

func TestEchoAssertNilReturns(t *testing.T) {
	got := make(chan int)
	go func() {
		got <- compute(20)
	}()
	_, err := echoWrite(1)
	if !assert.Nil(t, err, "write") {
		return
	}
	assert.Equal(t, 40, <-got)
}

func TestEchoAssertElseReturns(t *testing.T) {
	got := make(chan int)
	go func() {
		got <- compute(21)
	}()
	n, err := echoWrite(2)
	if assert.NoError(t, err) && assert.Equal(t, 2, n) {
		t.Log("wrote")
	} else {
		return
	}
	<-got
}

func TestEchoAssertionsEither(t *testing.T) {
	a := assert.New(t)
	got := make(chan int)
	go func() {
		got <- compute(22)
	}()
	n, err := echoWrite(3)
	if !a.NoError(err) || !a.Equal(3, n) {
		return
	}
	<-got
}

// The assertion passed: returning there leaves the sender behind in a passing test.
func TestEchoAssertPassedReturns(t *testing.T) {
	got := make(chan int)
	go func() {
		got <- compute(23) // want "blocks forever sending on \"?got"
	}()
	_, err := echoWrite(4)
	if assert.NoError(t, err) {
		return
	}
	<-got
}

// Either operand may be the true one: `n == 0` returns in a passing test.
func TestEchoAssertOrOther(t *testing.T) {
	got := make(chan int)
	go func() {
		got <- compute(24) // want "blocks forever sending on \"?got"
	}()
	n, err := echoWrite(0)
	if !assert.NoError(t, err) || n == 0 {
		return
	}
	<-got
}

// ObjectsAreEqual takes no test and reports nothing: false is not a failure.
func TestEchoObjectsAreEqual(t *testing.T) {
	got := make(chan int)
	go func() {
		got <- compute(25) // want "blocks forever sending on \"?got"
	}()
	n, _ := echoWrite(5)
	if !assert.ObjectsAreEqual(5, n) {
		return
	}
	<-got
}

// An acceptor hands each connection to whoever takes it.
type acceptor struct{ conns chan int }

func (a *acceptor) serve(n int) {
	for i := 0; i < n; i++ {
		a.conns <- compute(i)
	}
}

// The helper that takes the connection gives up after a second and reports it on a
// failure channel (every receive of errs fails the test): the acceptor is stranded only
// after the test has failed.
func TestAcceptReportsOnFailureChannel(t *testing.T) {
	a := &acceptor{conns: make(chan int)}
	go a.serve(1)
	errs := make(chan error, 2)
	done := make(chan bool)
	go func() {
		select {
		case <-time.After(time.Second):
			errs <- fmt.Errorf("no connection")
		case c := <-a.conns:
			done <- c >= 0
		}
	}()
	select {
	case err := <-errs:
		t.Fatalf("acceptor: %v", err)
	case <-done:
	}
}

// A second acceptor type, so the twin's send is its own line.
type listener struct{ conns chan int }

func (l *listener) serve(n int) {
	for i := 0; i < n; i++ {
		l.conns <- compute(i) // want `can take the "<-time.After\(time.Second\)" case and return first`
	}
}

// The twin whose error is only logged: the test passes and the acceptor stays blocked.
func TestAcceptLogsOnErrorChannel(t *testing.T) {
	a := &listener{conns: make(chan int)}
	go a.serve(1)
	errs := make(chan error, 2)
	done := make(chan bool)
	go func() {
		select {
		case <-time.After(time.Second):
			errs <- fmt.Errorf("no connection")
		case c := <-a.conns:
			done <- c >= 0
		}
	}()
	select {
	case err := <-errs:
		t.Logf("acceptor: %v", err)
	case <-done:
	}
}
