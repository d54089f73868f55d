package main

import (
	"context"
	"fmt"
	"time"
)

func doRequest(parent context.Context, id int) string {
	ctx, _ := context.WithTimeout(parent, time.Hour)
	go func() {
		<-ctx.Done()
		fmt.Println("cleanup", id)
	}()
	return fmt.Sprint("done ", id)
}

func main() {
	for i := 0; i < 6; i++ {
		fmt.Println(doRequest(context.Background(), i))
	}
	select {}
}
