package main

import "fmt"

type resource struct {
	done    chan struct{}
	onClose func()
}

func open(name string) *resource {
	r := &resource{done: make(chan struct{})}
	r.onClose = func() { close(r.done) }
	go func() {
		<-r.done
		fmt.Println("released", name)
	}()
	return r
}

func (r *resource) Release() {
	fmt.Println("release")
	r.onClose()
}

func main() {
	for i := 0; i < 5; i++ {
		r := open(fmt.Sprint("r", i))
		r.Release()
	}
	select {}
}
