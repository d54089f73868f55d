package main

import (
	"fmt"
	"time"
)

func keepAlive(id int, done <-chan struct{}) {
	for range time.Tick(time.Hour) {
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
