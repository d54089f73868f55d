package a

// False-positive families found in the Go standard library (bench/triage/chanB.md).

var (
	enableCh  chan uint32
	disableCh chan uint32
)

// Negative (family "process-wide service on package-level channels", runtime/signal_unix.go
// signal-mask thread): every channel the select waits on is a package-level variable, so
// any later caller can still reach the goroutine; it is a service, not a leak.
func startMaskThread() {
	if enableCh != nil {
		return
	}
	enableCh = make(chan uint32)
	disableCh = make(chan uint32)
	go func() {
		var mask uint32
		for {
			select {
			case s := <-enableCh:
				mask &^= s
			case s := <-disableCh:
				mask |= s
			}
		}
	}()
}

var results = make(chan int)

// Positive: one channel is package-level, the other is local to the call: the local one
// is abandoned when the caller returns.
func mixed(local chan int) {
	go func() {
		for { // want "never ends"
			select {
			case v := <-local:
				results <- v
			case <-results:
			}
		}
	}()
}
