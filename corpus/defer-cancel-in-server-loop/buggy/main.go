package main

import (
	"context"
	"fmt"
)

func watch(ctx context.Context, id int) {
	go func() {
		<-ctx.Done()
		fmt.Println("released", id)
	}()
}

var reqs = make(chan int)

func serve(parent context.Context) {
	for id := range reqs {
		ctx, cancel := context.WithCancel(parent)
		defer cancel()
		watch(ctx, id)
	}
}

func main() {
	go serve(context.Background())
	for i := 0; i < 6; i++ {
		reqs <- i
	}
	select {}
}
