package main

import (
	"context"
	"errors"
	"fmt"
)

func process(parent context.Context, item int) error {
	ctx, cancel := context.WithCancel(parent)
	go func() {
		<-ctx.Done()
	}()
	if item%7 == 0 {
		cancel()
		return errors.New("bad item")
	}
	return nil
}

func main() {
	for i := 1; i <= 6; i++ {
		fmt.Println(process(context.Background(), i))
	}
	select {}
}
