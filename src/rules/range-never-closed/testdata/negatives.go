package a

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/signal"
	"sync"
)

// closedByProducer: the producer goroutine closes when done.
func closedByProducer() {
	ch := make(chan int)
	go func() {
		defer close(ch)
		for i := 0; i < 3; i++ {
			ch <- i
		}
	}()
	for v := range ch {
		fmt.Println(v)
	}
}

// closedAfterWait: a closer goroutine closes after wg.Wait().
func closedAfterWait(urls []string) []string {
	results := make(chan string)
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- u
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	var all []string
	for r := range results {
		all = append(all, r)
	}
	return all
}

// closedInFunc: the function closes after the sends.
func closedInFunc() {
	ch := make(chan int, 3)
	ch <- 1
	ch <- 2
	close(ch)
	for v := range ch {
		fmt.Println(v)
	}
}

// closedByHelper: a same-package helper closes its parameter.
func closedByHelper() {
	ch := make(chan string)
	go produceAndClose(ch)
	for s := range ch {
		fmt.Println(s)
	}
}

func produceAndClose(out chan<- string) {
	defer close(out)
	out <- "x"
}

// workerPoolClosed: the dispatcher closes jobs.
func workerPoolClosed(items []string) {
	jobs := make(chan string)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go worker(i, jobs, &wg)
	}
	for _, it := range items {
		jobs <- it
	}
	close(jobs)
	wg.Wait()
}

// breaksOut: the loop leaves on its own after the value it wants.
func breaksOut() int {
	ch := make(chan int)
	go func() {
		for i := 0; ; i++ {
			ch <- i
		}
	}()
	for v := range ch {
		if v > 10 {
			return v
		}
	}
	return -1
}

// selectExit: the range body returns on ctx.Done().
func selectExit(ctx context.Context) {
	ch := make(chan int)
	go func() {
		for v := range ch {
			select {
			case <-ctx.Done():
				return
			default:
				fmt.Println(v)
			}
		}
	}()
	ch <- 1
}

// returnedChan: the caller owns the channel and may close it.
func returnedChan() chan int {
	ch := make(chan int)
	go func() {
		for v := range ch {
			fmt.Println(v)
		}
	}()
	return ch
}

type hub struct {
	in chan string
}

// storedInField: stored in a struct; a method of hub closes it.
func newHub() *hub {
	ch := make(chan string)
	h := &hub{in: ch}
	go func() {
		for s := range ch {
			log.Println(s)
		}
	}()
	return h
}

func (h *hub) Close() { close(h.in) }

// notifyChan: signal.Notify is another package; silent.
func notifyChan() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	go func() {
		for s := range sigs {
			log.Println(s)
		}
	}()
}

// closedInDeferLiteral: a deferred literal closes it.
func closedInDeferLiteral(n int) {
	ch := make(chan int, n)
	go func() {
		for v := range ch {
			fmt.Println(v)
		}
	}()
	defer func() { close(ch) }()
	for i := 0; i < n; i++ {
		ch <- i
	}
}

// rangeParam: a parameter channel belongs to the caller.
func rangeParam(in <-chan int) int {
	s := 0
	for v := range in {
		s += v
	}
	return s
}

// labeledBreak: a labelled break leaves the range loop.
func labeledBreak() {
	ch := make(chan int)
	go func() {
		for i := 0; i < 100; i++ {
			ch <- i
		}
	}()
loop:
	for v := range ch {
		switch {
		case v == 5:
			break loop
		}
	}
}

// helperGoroutineCloses: a helper closes in its own goroutine.
func helperGoroutineCloses() {
	ch := make(chan int)
	go feed(ch, 3)
	for v := range ch {
		fmt.Println(v)
	}
}

func feed(out chan<- int, n int) {
	for i := 0; i < n; i++ {
		out <- i
	}
	close(out)
}

// closingGenerator closes what it returns.
func closingGenerator(n int) <-chan int {
	ch := make(chan int)
	go func() {
		defer close(ch)
		for i := 0; i < n; i++ {
			ch <- i
		}
	}()
	return ch
}

// rangeClosingGenerator: the generator closes; the loop ends.
func rangeClosingGenerator() int {
	t := 0
	for v := range closingGenerator(3) {
		t += v
	}
	return t
}

// firstOfGenerator: the loop leaves after the first value.
func firstOfGenerator() int {
	for v := range numbers(10) {
		return v
	}
	return -1
}

type feeder struct{ out chan int }

// storingGenerator also stores the channel: someone else may close it.
func (f *feeder) storingGenerator() chan int {
	ch := make(chan int)
	f.out = ch
	return ch
}

func (f *feeder) Close() { close(f.out) }

func rangeStoringGenerator(f *feeder) {
	for v := range f.storingGenerator() {
		fmt.Println(v)
	}
}

// evens returns a slice: ranging over a call is not ranging over a channel.
func evens(n int) []int {
	out := make([]int, 0, n)
	for i := 0; i < n; i += 2 {
		out = append(out, i)
	}
	return out
}

// rangeSliceCall ranges over a slice result.
func rangeSliceCall() (sum int) {
	for _, v := range evens(10) {
		sum += v
	}
	return sum
}
