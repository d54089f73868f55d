package main

import (
	"fmt"
	"time"
)

func lease(id int) {
	expired := make(chan int, 1)
	time.AfterFunc(5*time.Millisecond, func() {
		expired <- id
	})
	fmt.Println("lease", id, "renewed before expiry")
}

func main() {
	for i := 0; i < 6; i++ {
		lease(i)
	}
	select {}
}
