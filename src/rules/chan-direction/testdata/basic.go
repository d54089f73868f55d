// Fixtures for chan-direction (opt-in, info).
package a

import (
	"fmt"
	"sync"
)

// Positive: seed §3.2 processData written with bidirectional channels: in is only
// received from, out is only sent to and closed.
func processData(in chan int, out chan string) { // want "channel parameter \"in\" of processData is only received from \\(line \\d+\\) and could be declared <-chan int" "channel parameter \"out\" of processData is only sent to \\(lines \\d+, \\d+\\) and could be declared chan<- string"
	for num := range in {
		out <- fmt.Sprintf("processed: %d", num)
	}
	close(out)
}

func run() {
	in := make(chan int)
	out := make(chan string)
	go processData(in, out)
	go producer(in, 3)
	go collect(out, nil)
	go fanIn([]chan int{in}, in)
	go signalDone(make(chan struct{}))
	go waitDone(make(chan struct{}))
	go selectRecv(make(chan int), make(chan bool))
	go lenOnly(make(chan int))
	go pair(make(chan int), make(chan int))
	go generic(make(chan int))
}

// Positive: a producer only sends and closes.
func producer(out chan int, n int) { // want "\"out\" of producer is only sent to .* chan<- int"
	defer close(out)
	for i := 0; i < n; i++ {
		out <- i
	}
}

// Positive: a consumer only ranges.
func collect(in chan string, into *[]string) { // want "\"in\" of collect is only received from .* <-chan string"
	for s := range in {
		*into = append(*into, s)
	}
}

// Positive: merged into a single output.
func fanIn(ins []chan int, out chan int) { // want "\"out\" of fanIn is only sent to"
	var wg sync.WaitGroup
	for _, in := range ins {
		wg.Add(1)
		go func(in chan int) {
			defer wg.Done()
			for v := range in {
				out <- v
			}
		}(in)
	}
	wg.Wait()
	close(out)
}

// Positive: a done channel that is only closed.
func signalDone(done chan struct{}) { // want "\"done\" of signalDone is only sent to .* chan<- struct\\{\\}"
	close(done)
}

// Positive: a done channel that is only waited on.
func waitDone(done chan struct{}) { // want "\"done\" of waitDone is only received from"
	<-done
}

// Positive: receives in select cases.
func selectRecv(data chan int, quit chan bool) { // want "\"data\" of selectRecv is only received from" "\"quit\" of selectRecv is only received from"
	for {
		select {
		case v := <-data:
			fmt.Println(v)
		case <-quit:
			return
		}
	}
}

// Positive: len is neutral.
func lenOnly(c chan int) { // want "\"c\" of lenOnly is only sent to"
	if len(c) < cap(c) {
		c <- 1
	}
}

// Positive: two names in one group, same direction.
func pair(a, b chan int) { // want "\"a\" of pair is only received from" "\"b\" of pair is only received from"
	fmt.Println(<-a + <-b)
}

// Positive: generic element type.
func generic[T any](out chan T) { // want "\"out\" of generic is only sent to .* chan<- T"
	var zero T
	out <- zero
}
