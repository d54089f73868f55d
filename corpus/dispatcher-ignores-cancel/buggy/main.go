package main

import (
	"context"
	"fmt"
	"time"
)

type Job struct{ ID int }

func dispatch(ctx context.Context, jobs []Job, work chan<- Job) {
	defer close(work)
	for _, j := range jobs {
		work <- j
	}
}

func worker(ctx context.Context, work <-chan Job, results chan<- int) {
	for {
		select {
		case <-ctx.Done():
			return
		case j, ok := <-work:
			if !ok {
				return
			}
			time.Sleep(2 * time.Millisecond)
			results <- j.ID
		}
	}
}

func runBatch(n int) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	jobs := make([]Job, n)
	for i := range jobs {
		jobs[i] = Job{ID: i}
	}
	work := make(chan Job)
	results := make(chan int, n)
	go dispatch(ctx, jobs, work)
	for w := 0; w < 2; w++ {
		go worker(ctx, work, results)
	}
	done := 0
	for range results {
		done++
		if done == 3 {
			break // the batch's budget is spent
		}
	}
	return done
}

func main() {
	for b := 0; b < 3; b++ {
		fmt.Println("batch", b, "processed", runBatch(40))
	}
	select {}
}
