package main

import (
	"context"
	"fmt"
)

func watch(ctx context.Context, name string) {
	go func() {
		<-ctx.Done()
		fmt.Println("stopped watching", name)
	}()
}

func handle(i int) {
	ctx, _ := context.WithCancel(context.Background())
	watch(ctx, fmt.Sprint("req-", i))
}

func main() {
	for i := 0; i < 6; i++ {
		handle(i)
	}
	select {}
}
