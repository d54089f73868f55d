// Issue 11, family 10: returning from main.main ends the process and every goroutine
// with it, so a sender whose only receiver is main cannot stay blocked.
package main

import (
	"fmt"
	"os"
	"time"
)

func fetch(n int) (int, error) {
	time.Sleep(time.Duration(n) * time.Millisecond)
	return n, nil
}

// main leaves its loop on the first error or a timeout; the remaining workers die
// with the process.
func main() {
	results := make(chan int)
	for i := 0; i < 10; i++ {
		go func() {
			v, _ := fetch(i)
			results <- v
		}()
	}
	for range 10 {
		select {
		case v := <-results:
			if v < 0 {
				return
			}
			fmt.Println(v)
		case <-time.After(time.Second):
			os.Exit(1)
		}
	}
	if err := run(); err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
}

// run is what main calls last: once it returns the process ends, so the goroutine it
// abandons on a timeout is blocked only until then.
func run() error {
	ch := make(chan int)
	go func() {
		v, _ := fetch(5)
		ch <- v
	}()
	select {
	case v := <-ch:
		fmt.Println(v)
		return nil
	case <-time.After(time.Second):
		return fmt.Errorf("timeout")
	}
}

// query is an ordinary function of package main: its return does not end the
// process, and the goroutine it abandons stays blocked.
func query() (int, error) {
	ch := make(chan int)
	go func() {
		v, _ := fetch(5)
		ch <- v // want `goroutine blocks forever sending on "ch" \(unbuffered\): query can return at line \d+ without receiving from it`
	}()
	select {
	case v := <-ch:
		return v, nil
	case <-time.After(time.Second):
		return 0, fmt.Errorf("timeout")
	}
}

var _ = query
