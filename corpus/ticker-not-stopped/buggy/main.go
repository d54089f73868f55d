package main

import (
	"fmt"
	"time"
)

func poll(ready func() bool) bool {
	t := time.NewTicker(time.Hour)
	for !ready() {
		<-t.C
	}
	return true
}

func main() {
	n := 0
	for i := 0; i < 20000; i++ {
		if poll(func() bool { return true }) {
			n++
		}
	}
	fmt.Println(n)
	select {}
}
