package main

import "fmt"

func worker(jobs <-chan int, results chan<- int) {
	for j := range jobs {
		results <- j * 2
	}
}

func main() {
	jobs := make(chan int)
	results := make(chan int, 10)
	for w := 0; w < 5; w++ {
		go worker(jobs, results)
	}
	for i := 0; i < 10; i++ {
		jobs <- i
	}
	sum := 0
	for i := 0; i < 10; i++ {
		sum += <-results
	}
	fmt.Println(sum)
	select {}
}
