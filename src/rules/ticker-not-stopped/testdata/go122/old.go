// Module at go 1.22: an unstopped ticker is never collected (warning).
package a

import "time"

func wait122() {
	<-time.Tick(time.Second) // want "before Go 1.23 \\(module go 1.22\\) the runtime keeps it alive"
}

// Negative: stopped.
func ok122() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	<-t.C
}
