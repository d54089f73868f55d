package panics

// A panic runs the deferred calls registered so far; one that calls recover stops it and
// the function returns normally (Go spec, "Handling panics"). A deferred send or close
// still happens on the way out, and code after the recovering frame's call goes on.

// runSafe recovers any panic of fn (its deferred function calls recover itself).
func runSafe(fn func()) {
	defer func() {
		if r := recover(); r != nil {
			println("recovered:", r)
		}
	}()
	fn()
}

// rescue is a recovering function deferred by name.
func rescue() {
	if r := recover(); r != nil {
		println("recovered:", r)
	}
}

func runRescued(fn func()) {
	defer rescue()
	fn()
}

// The deferred send runs while the panic unwinds, and runSafe recovers: the receive
// completes. Silent.
func deferredSendOnPanic() {
	done := make(chan struct{})
	go runSafe(func() {
		defer func() { done <- struct{}{} }()
		panic("boom")
	})
	<-done
}

// Same, with the recovering function deferred by name and the channel closed. Silent.
func deferredCloseOnPanic() {
	done := make(chan struct{})
	go runRescued(func() {
		defer close(done)
		panic("boom")
	})
	<-done
}

// A goroutine that recovers in its own deferred function and then reports: the send
// after the call that panicked is skipped, but the deferred one runs. Silent.
func recoverThenReport(work func() error) error {
	errc := make(chan error)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				errc <- nil
			}
		}()
		mustNotFail(work)
		errc <- nil
	}()
	return <-errc
}

func mustNotFail(work func() error) {
	if err := work(); err != nil {
		panic(err)
	}
}

// The panic skips the send and runSafe recovers: the goroutine ends without sending, and
// the receive waits forever (the program does not stop: the panic was recovered).
func sendSkippedByPanic() {
	done := make(chan struct{})
	go runSafe(func() {
		panic("boom")
		done <- struct{}{}
	})
	<-done // want `blocks forever receiving from "done"`
}
