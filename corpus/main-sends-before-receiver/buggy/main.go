package main

import "fmt"

func consume(jobs <-chan string, done chan<- bool) {
	for j := range jobs {
		fmt.Println("job", j)
	}
	done <- true
}

func main() {
	jobs := make(chan string)
	done := make(chan bool)
	jobs <- "first"
	go consume(jobs, done)
	close(jobs)
	<-done
	select {}
}
