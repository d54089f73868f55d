package main

import "fmt"

type auditor struct {
	entries chan string
	done    chan struct{}
}

func (a *auditor) run(limit int) {
	for i := 0; i < limit; i++ {
		fmt.Println("audit:", <-a.entries)
	}
	close(a.done)
}

func (a *auditor) record(e string) {
	a.entries <- e
}

func handle(a *auditor, req int) {
	go a.record(fmt.Sprint("request ", req))
}

func main() {
	a := &auditor{entries: make(chan string), done: make(chan struct{})}
	go a.run(2)
	for req := 0; req < 10; req++ {
		handle(a, req)
	}
	select {}
}
