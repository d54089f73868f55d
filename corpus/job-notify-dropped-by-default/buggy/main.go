package main

import (
	"fmt"
	"time"
)

type Job struct {
	name string
	done chan error
}

func Start(name string, work func() error) *Job {
	j := &Job{name: name, done: make(chan error)}
	go func() {
		err := work()
		select {
		case j.done <- err:
		default: // nobody waiting
		}
	}()
	return j
}

func (j *Job) Wait() error { return <-j.done }

func main() {
	for i := 0; i < 4; i++ {
		name := fmt.Sprintf("export-%d", i)
		go func() {
			j := Start(name, func() error { return nil })
			time.Sleep(20 * time.Millisecond) // render the progress page
			fmt.Println(j.name, j.Wait())
		}()
	}
	select {}
}
