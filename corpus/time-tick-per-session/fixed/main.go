package main

import (
	"fmt"
	"time"
)

func keepAlive(id int, done <-chan struct{}) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
		}
		fmt.Println("keepalive", id)
	}
}

func session(id int) {
	done := make(chan struct{})
	go keepAlive(id, done)
	close(done)
}

func main() {
	for i := 0; i < 5; i++ {
		session(i)
	}
	select {}
}
