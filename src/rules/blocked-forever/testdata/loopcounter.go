package chans

// A loop's counter tested in its body (`switch i { case 0: ... }`, `if i == 1`) takes the
// branch of each iteration's own value: the first iteration does not take the second's case.

// The server answers one step per iteration, in order; the caller releases each step once.
// Silent (with the switch taken as free, iteration 1 could wait for the second step while
// the caller waits to hand over the first).
func stepsInOrder() {
	first := make(chan bool)
	second := make(chan bool)
	go func() {
		for i := 0; i < 2; i++ {
			switch i {
			case 0:
				<-first
			case 1:
				<-second
			}
		}
	}()
	first <- true
	second <- true
}

// The same with an if on the counter. Silent.
func stepsInOrderIf() {
	first := make(chan bool)
	second := make(chan bool)
	go func() {
		for i := 0; i < 2; i++ {
			if i == 0 {
				<-first
			} else {
				<-second
			}
		}
	}()
	first <- true
	second <- true
}

// Three iterations, and the first step is awaited again in the third: the caller hands it
// over once, so the server waits forever in its last iteration.
func stepsRepeatFirst() {
	first := make(chan bool)
	second := make(chan bool)
	go func() {
		for i := 0; i < 3; i++ {
			switch i {
			case 0, 2:
				<-first // want `blocks forever receiving from "first"`
			case 1:
				<-second
			}
		}
	}()
	first <- true
	second <- true
}
