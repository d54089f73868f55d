// Module at go 1.24 that asks for the old timers (GODEBUG asynctimerchan=1 in go.mod):
// unfired timers stay in memory again.
package a

import "time"

func loopAsync(in <-chan int) {
	for {
		select {
		case <-in:
		case <-time.After(time.Minute): // want "GODEBUG asynctimerchan=1 keeps the timers of Go before 1.23, module go 1.24"
			return
		}
	}
}
