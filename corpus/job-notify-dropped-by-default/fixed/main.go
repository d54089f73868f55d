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
	j := &Job{name: name, done: make(chan error, 1)}
	go func() {
		err := work()
		j.done <- err
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
