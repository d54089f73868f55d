// Module at go 1.23: unfired timers are collected, so a timer per iteration is an
// allocation, not a leak, and nothing is reported (issue 11, family 8).
package a

import "time"

func loop123(in <-chan int) {
	for {
		select {
		case <-in:
		case <-time.After(time.Minute):
			return
		}
	}
}

// Outside a loop.
func once123(in <-chan int) {
	select {
	case <-in:
	case <-time.After(time.Minute):
	}
}
