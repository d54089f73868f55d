package main

import (
	"fmt"
	"time"
)

func query(replica string) string {
	time.Sleep(time.Duration(len(replica)) * time.Millisecond)
	return "answer from " + replica
}

func first(replicas []string) string {
	c := make(chan string, len(replicas))
	for _, r := range replicas {
		go func(r string) {
			c <- query(r)
		}(r)
	}
	return <-c
}

func main() {
	for i := 0; i < 3; i++ {
		fmt.Println(first([]string{"a", "bb", "ccc"}))
	}
	select {}
}
