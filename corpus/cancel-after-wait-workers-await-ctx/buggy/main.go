package main

import (
	"context"
	"fmt"
	"sync"
	"time"
)

type Listener struct {
	port     int
	accepted int
}

func (l *Listener) Run(ctx context.Context, wg *sync.WaitGroup) {
	defer wg.Done()
	l.accepted++
	<-ctx.Done()
	fmt.Println("listener", l.port, "closed after", l.accepted, "conns")
}

func Serve(ports []int, lifetime time.Duration) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, p := range ports {
		wg.Add(1)
		go (&Listener{port: p}).Run(ctx, &wg)
	}
	time.Sleep(lifetime)
	wg.Wait()
	cancel()
}

func main() {
	for i := 0; i < 3; i++ {
		go Serve([]int{8000 + i*10, 8001 + i*10}, 10*time.Millisecond)
	}
	select {}
}
