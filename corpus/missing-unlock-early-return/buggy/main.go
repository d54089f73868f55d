package main

import (
	"errors"
	"fmt"
	"sync"
)

type counter struct {
	mu sync.Mutex
	m  map[string]int
}

var errEmpty = errors.New("empty key")

func (c *counter) Inc(key string) error {
	c.mu.Lock()
	if key == "" {
		return errEmpty
	}
	c.m[key]++
	c.mu.Unlock()
	return nil
}

func main() {
	c := &counter{m: map[string]int{}}
	fmt.Println(c.Inc(""))
	for i := 0; i < 6; i++ {
		go func(i int) { fmt.Println(c.Inc(fmt.Sprint(i))) }(i)
	}
	select {}
}
