// Module at go 1.23: an unreferenced ticker is collected, and one nobody receives from
// is not in the timer heap: nothing is reported (issue 11, family 8).
package a

import "time"

func wait123() {
	t := time.NewTicker(time.Second)
	<-t.C
}

func tick123() {
	for range time.Tick(time.Second) {
		return
	}
}

// Stopped.
func ok123() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	<-t.C
}
