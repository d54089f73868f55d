package main

import (
	"context"
	"fmt"
	"time"
)

func requestContext(parent context.Context, id int) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(parent, time.Hour)
	go func() {
		<-ctx.Done()
		fmt.Println("request", id, "finished:", ctx.Err())
	}()
	return ctx, cancel
}

func serve(id int) {
	ctx, cancel := requestContext(context.Background(), id)
	defer cancel()
	fmt.Println("serving", id, ctx.Err())
}

func main() {
	for i := 0; i < 6; i++ {
		serve(i)
	}
	select {}
}
