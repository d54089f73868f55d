package main

import (
	"errors"
	"fmt"
	"time"
)

func replicate(key string) error {
	errc := make(chan error, 3)
	for _, dc := range []string{"east", "west", "north"} {
		go func(dc string) {
			time.Sleep(time.Millisecond)
			errc <- errors.New(dc + ": unreachable")
		}(dc)
	}
	return <-errc
}

func main() {
	for i := 0; i < 6; i++ {
		fmt.Println(replicate(fmt.Sprint("k", i)))
	}
	select {}
}
