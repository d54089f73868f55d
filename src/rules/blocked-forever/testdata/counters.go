package chans

// Counters: a local that starts at a constant, only grows, and is compared with
// constants (`got++ ... if got == 2 { break }`) is followed exactly, so a loop that stops
// after n results stops after n results.

// The collector takes two of three results: the third sender is left blocked. The
// collector itself never waits for a fourth (it leaves after the second).
func firstTwo() int {
	results := make(chan int)
	for i := 0; i < 3; i++ {
		go func() {
			results <- i // want `blocks forever sending on "results"`
		}()
	}
	got, sum := 0, 0
	for r := range results {
		sum += r
		got++
		if got == 2 {
			break
		}
	}
	return sum
}

// The collector takes all three results and leaves. Silent (a collector that might not
// count would wait for a fourth result forever).
func allThree() int {
	results := make(chan int)
	for i := 0; i < 3; i++ {
		go func() {
			results <- i
		}()
	}
	var got int
	sum := 0
	for r := range results {
		sum += r
		got += 1
		if got >= 3 {
			break
		}
	}
	return sum
}
