// Issue 11, family 2: the buffer always has room, and the analysis must be able to
// count it — loop bounds and capacities from locals assigned once, slice literals in a
// variable, len() of them, slices built by appends in a loop of known length, and sends
// that can only be the first of their goroutine. Each negative has a positive twin where
// the count really exceeds the buffer.
package a

import (
	"strconv"
	"time"
)

// sliceVarTwoSends: three tasks from a slice literal held in a variable, two sends
// each, a buffer of 6: every send fits even when the collector leaves early.
func sliceVarTwoSends() error {
	tasks := []string{"fetch", "parse", "store"}
	errc := make(chan error, 6)
	for _, t := range tasks {
		go func() {
			errc <- check(t)
			errc <- check(t + "-again")
		}()
	}
	for range tasks {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// sliceVarTwoSendsTooSmall: the same with a buffer of 4: when the collector returns
// after the first value, five sends are left for four slots.
func sliceVarTwoSendsTooSmall() error {
	tasks := []string{"fetch", "parse", "store"}
	errc := make(chan error, 4)
	for _, t := range tasks {
		go func() {
			errc <- check(t)            // want `goroutine blocks forever sending on "errc" \(buffer of 4\): the receiving loop at line \d+ can return`
			errc <- check(t + "-again") // same goroutine: a related location
		}()
	}
	for range tasks {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// lenOfLiteralVar: capacity len(hosts) for one send per host.
func lenOfLiteralVar() (string, error) {
	hosts := []string{"a.example", "b.example"}
	answers := make(chan string, len(hosts))
	for _, h := range hosts {
		go func() { answers <- slowQuery(h) }()
	}
	select {
	case a := <-answers:
		return a, nil
	case <-time.After(time.Second):
		return "", errTimeout
	}
}

// workersAssignedOnce: `workers := 8` is never written again, so the loop starts 8
// goroutines, each sending at most once into a buffer of 8.
func workersAssignedOnce(jobs []string) error {
	workers := 8
	errCh := make(chan error, workers)
	for i := 0; i < workers; i++ {
		go func() {
			for _, j := range jobs {
				if err := check(j); err != nil {
					errCh <- err
					return
				}
			}
		}()
	}
	select {
	case err := <-errCh:
		return err
	case <-time.After(time.Minute):
		return errTimeout
	}
}

// workersReassigned: the count is changed after its declaration: not known, and more
// than the buffer can start.
func workersReassigned(jobs []string, extra int) error {
	workers := 8
	workers += extra
	errCh := make(chan error, 8)
	for i := 0; i < workers; i++ {
		go func() {
			errCh <- check(jobs[i]) // want `goroutine blocks forever sending on "errCh" \(buffer of 8\)`
		}()
	}
	select {
	case err := <-errCh:
		return err
	case <-time.After(time.Minute):
		return errTimeout
	}
}

// appendedInConstantLoop: the slice is built by one append per iteration of a loop
// of three, before the goroutines start: three goroutines, buffer of three.
func appendedInConstantLoop() {
	var names []string
	const n = 3
	for i := 0; i < n; i++ {
		names = append(names, strconv.Itoa(i))
	}
	done := make(chan struct{}, n)
	for _, name := range names {
		go func() {
			_ = slowQuery(name)
			done <- struct{}{}
		}()
	}
	select {
	case <-done:
	case <-time.After(time.Second):
	}
}

// appendedTwicePerIteration: two appends per iteration make six names for a buffer
// of three.
func appendedTwicePerIteration() {
	var names []string
	for i := 0; i < 3; i++ {
		names = append(names, strconv.Itoa(i), strconv.Itoa(-i))
	}
	done := make(chan struct{}, 3)
	for _, name := range names {
		go func() {
			_ = slowQuery(name)
			done <- struct{}{} // want `goroutine blocks forever sending on "done" \(buffer of 3\)`
		}()
	}
	select {
	case <-done:
	case <-time.After(time.Second):
	}
}

// firstSendOnly: the goroutine sends once and returns, or sends in a loop; the send
// before the loop is always the first one, so a buffer of 10 holds it. The send in the
// loop can follow any number of earlier ones and is reported.
func firstSendOnly(keys []string) {
	errCh := make(chan error, 10)
	stop := make(chan struct{})
	go func() {
		if err := check("init"); err != nil {
			errCh <- err
			return
		}
		for {
			select {
			case <-stop:
				return
			default:
				if err := check(keys[0]); err != nil {
					errCh <- err // want `goroutine blocks forever sending on "errCh" \(buffer of 10\)`
				}
			}
		}
	}()
	time.Sleep(time.Second)
	close(stop)
	if len(errCh) > 0 {
		panic(<-errCh)
	}
}

// stepsCounted: the loop returns only once both counters reach two, i.e. after every
// send of both goroutines was received (tailscale's TestNetstackTCPLoopback shape).
func stepsCounted(read, write func() error) {
	lisStepCh := make(chan error)
	go func() {
		lisStepCh <- read()
		lisStepCh <- write()
	}()
	dialerStepCh := make(chan error)
	go func() {
		dialerStepCh <- write()
		dialerStepCh <- read()
	}()
	var dialerSteps, lisSteps int
	for {
		select {
		case <-lisStepCh:
			lisSteps++
			if dialerSteps == 2 && lisSteps == 2 {
				return
			}
		case <-dialerStepCh:
			dialerSteps++
			if dialerSteps == 2 && lisSteps == 2 {
				return
			}
		}
	}
}
