package main

import (
	"fmt"
	"time"
)

func startHeartbeat(name string, beats chan<- string) (stop func()) {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(time.Hour)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				beats <- name
			case <-done:
				return
			}
		}
	}()
	return func() { close(done) }
}

func session(i int, beats chan<- string) {
	stop := startHeartbeat(fmt.Sprint("s", i), beats)
	defer stop()
}

func main() {
	beats := make(chan string)
	for i := 0; i < 6; i++ {
		session(i, beats)
	}
	select {}
}
