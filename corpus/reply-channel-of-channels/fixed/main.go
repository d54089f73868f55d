package main

import (
	"fmt"
	"time"
)

type request struct {
	key   string
	reply chan string
}

func server(reqs <-chan request) {
	for req := range reqs {
		time.Sleep(20 * time.Millisecond)
		req.reply <- "value of " + req.key
	}
}

func get(reqs chan<- request, key string) (string, bool) {
	r := request{key: key, reply: make(chan string, 1)}
	reqs <- r
	select {
	case v := <-r.reply:
		return v, true
	case <-time.After(5 * time.Millisecond):
		return "", false
	}
}

func main() {
	for i := 0; i < 6; i++ {
		reqs := make(chan request)
		go server(reqs)
		fmt.Println(get(reqs, fmt.Sprint("k", i)))
		close(reqs)
	}
	select {}
}
