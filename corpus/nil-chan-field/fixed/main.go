package main

import "fmt"

type pipeline struct {
	in  chan string
	out chan string
}

func newPipeline() *pipeline {
	return &pipeline{in: make(chan string), out: make(chan string)}
}

func (p *pipeline) Start(workers int) {
	for i := 0; i < workers; i++ {
		go func() {
			for s := range p.out {
				fmt.Println(s)
			}
		}()
	}
}

func main() {
	p := newPipeline()
	p.Start(3)
	if p.out != nil {
		close(p.out)
	}
	select {}
}
