package main

import "fmt"

func withCleanup(name string) {
	done := make(chan bool)
	go func() {
		<-done
		fmt.Println("cleanup", name)
	}()
	fmt.Println("work", name)
	done <- true
}

func main() {
	for i := 0; i < 6; i++ {
		withCleanup(fmt.Sprint("task", i))
	}
	select {}
}
