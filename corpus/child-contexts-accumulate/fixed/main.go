package main

import (
	"context"
	"fmt"
)

var root, stopAll = context.WithCancel(context.Background())

func call(i int) int {
	ctx, cancel := context.WithCancel(root)
	defer cancel()
	return len(fmt.Sprint(ctx.Err(), i))
}

func main() {
	n := 0
	for i := 0; i < 20000; i++ {
		n += call(i)
	}
	fmt.Println(n)
	_ = stopAll
	select {}
}
