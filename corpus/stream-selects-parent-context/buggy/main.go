package main

import (
	"context"
	"fmt"
)

func stream(parent context.Context) (<-chan int, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	_ = ctx
	out := make(chan int)
	go func() {
		for i := 0; ; i++ {
			select {
			case out <- i:
			case <-parent.Done():
				return
			}
		}
	}()
	return out, cancel
}

func main() {
	for j := 0; j < 5; j++ {
		vals, cancel := stream(context.Background())
		fmt.Println(<-vals, <-vals)
		cancel()
	}
	select {}
}
