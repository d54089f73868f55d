// A main package of a go 1.25 module that asks for the old timers with a //go:debug
// directive: unstopped tickers are never collected again.

//go:debug asynctimerchan=1
package main

import "time"

func poll() {
	t := time.NewTicker(time.Second) // want "GODEBUG asynctimerchan=1 brings back the timers of Go before 1.23 \\(module go 1.25\\)"
	<-t.C
}

// poll runs in a loop of main: each call leaves one more ticker behind.
func main() {
	for {
		poll()
	}
}
