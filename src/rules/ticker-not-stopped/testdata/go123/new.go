// Module at go 1.23: unreferenced tickers are collected; info only.
package a

import "time"

func wait123() {
	t := time.NewTicker(time.Second) // want "since Go 1.23 \\(module go 1.23\\) an unreferenced ticker is collected"
	<-t.C
}

// Negative: stopped.
func ok123() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	<-t.C
}
