package main

import "fmt"

type Pool[T any] struct {
	tasks chan T
	fn    func(T)
}

func NewPool[T any](n int, fn func(T)) *Pool[T] {
	p := &Pool[T]{tasks: make(chan T), fn: fn}
	for i := 0; i < n; i++ {
		go p.work()
	}
	return p
}

func (p *Pool[T]) work() {
	for t := range p.tasks {
		p.fn(t)
	}
}

func (p *Pool[T]) Submit(t T) { p.tasks <- t }

func (p *Pool[T]) Close() {
}

func main() {
	p := NewPool(5, func(s string) { fmt.Println("task", s) })
	p.Submit("a")
	p.Close()
	select {}
}
