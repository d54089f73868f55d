// Module at go 1.23: unfired timers are collected; the finding is info only.
package a

import "time"

func loop123(in <-chan int) {
	for {
		select {
		case <-in:
		case <-time.After(time.Minute): // want "since Go 1.23 \\(module go 1.23\\) unfired timers are collected"
			return
		}
	}
}

// Negative: outside a loop.
func once123(in <-chan int) {
	select {
	case <-in:
	case <-time.After(time.Minute):
	}
}
