package main

import (
	"fmt"
	"time"
)

func waitOrCancel(d time.Duration, cancel <-chan struct{}) bool {
	t := time.NewTimer(d)
	fired := false
	select {
	case <-t.C:
		fired = true
	case <-cancel:
	}
	if !t.Stop() {
		if !fired {
			<-t.C
		}
	}
	return fired
}

func main() {
	for i := 0; i < 5; i++ {
		go func() { fmt.Println(waitOrCancel(time.Millisecond, nil)) }()
	}
	select {}
}
