package main

import "context"

type request struct {
	n     int
	reply chan int
}

// serve answers each request on its reply channel, buffered so the answer never
// waits for a caller that gave up.
func serve(reqs <-chan request) {
	for r := range reqs {
		r.reply <- r.n * 2
	}
}

func call(ctx context.Context, reqs chan<- request, n int) int {
	r := request{n: n, reply: make(chan int, 1)}
	select {
	case reqs <- r:
	case <-ctx.Done():
		return -1
	}
	select {
	case v := <-r.reply:
		return v
	case <-ctx.Done():
		return -1
	}
}

func spin(n int) int {
	s := 0
	for i := 0; i < n; i++ {
		s += i * i
	}
	return s
}

var sink int

func main() {
	for i := 0; i < 5; i++ {
		reqs := make(chan request)
		go serve(reqs)
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			sink += spin(20000)
			cancel()
		}()
		sink += call(ctx, reqs, i)
		close(reqs)
	}
	select {}
}
