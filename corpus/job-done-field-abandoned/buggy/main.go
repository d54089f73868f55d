package main

import (
	"errors"
	"fmt"
	"time"
)

type job struct {
	name string
	done chan error
}

func newJob(name string) *job {
	return &job{name: name, done: make(chan error)}
}

func (j *job) start() {
	go func() {
		time.Sleep(30 * time.Millisecond)
		j.done <- errors.New(j.name + " failed")
	}()
}

func runWithDeadline(name string) error {
	j := newJob(name)
	j.start()
	select {
	case err := <-j.done:
		return err
	case <-time.After(5 * time.Millisecond):
		return errors.New("deadline exceeded")
	}
}

func main() {
	for i := 0; i < 6; i++ {
		fmt.Println(runWithDeadline(fmt.Sprint("job", i)))
	}
	select {}
}
