package main

import "fmt"

func numbers(n int) <-chan int {
	ch := make(chan int)
	go func() {
		for i := 0; i < n; i++ {
			ch <- i
		}
		close(ch)
	}()
	return ch
}

func sum(out chan<- int) {
	total := 0
	for v := range numbers(4) {
		total += v
	}
	out <- total
}

func main() {
	out := make(chan int, 8)
	for i := 0; i < 6; i++ {
		go sum(out)
	}
	fmt.Println("started")
	select {}
}
