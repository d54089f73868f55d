// Module at go 1.22: time.After timers are not collected until they fire (warning).
package a

import "time"

func loop122(in <-chan int) {
	for {
		select {
		case <-in:
		case <-time.After(time.Minute): // want "module go 1.22 < 1.23"
			return
		}
	}
}

// Negative: outside a loop.
func once122(in <-chan int) {
	select {
	case <-in:
	case <-time.After(time.Minute):
	}
}
