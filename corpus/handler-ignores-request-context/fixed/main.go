package main

import (
	"context"
	"fmt"
	"time"
)

func backend(q string) string {
	time.Sleep(20 * time.Millisecond)
	return "rows for " + q
}

func handle(ctx context.Context, q string) (string, error) {
	res := make(chan string, 1)
	go func() {
		res <- backend(q)
	}()
	select {
	case r := <-res:
		return r, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func main() {
	for i := 0; i < 6; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Millisecond)
		fmt.Println(handle(ctx, fmt.Sprint("q", i)))
		cancel()
	}
	select {}
}
