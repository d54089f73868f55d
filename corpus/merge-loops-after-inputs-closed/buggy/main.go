package main

import "fmt"

func gen(vals ...int) <-chan int {
	c := make(chan int)
	go func() {
		for _, v := range vals {
			c <- v
		}
		close(c)
	}()
	return c
}

func merge(a, b <-chan int, out chan<- int) {
	for {
		select {
		case v, ok := <-a:
			if !ok {
				a = nil
				continue
			}
			out <- v
		case v, ok := <-b:
			if !ok {
				b = nil
				continue
			}
			out <- v
		}
	}
}

func main() {
	for i := 0; i < 5; i++ {
		out := make(chan int)
		go merge(gen(1, 2), gen(3), out)
		go func() {
			for v := range out {
				fmt.Println(v)
			}
		}()
	}
	select {}
}
