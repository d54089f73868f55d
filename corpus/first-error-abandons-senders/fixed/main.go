package main

import (
	"errors"
	"fmt"
	"time"
)

func check(n int) error {
	time.Sleep(time.Duration(n) * time.Millisecond)
	if n%3 == 0 {
		return fmt.Errorf("item %d: %w", n, errors.ErrUnsupported)
	}
	return nil
}

func validate(items []int) error {
	errc := make(chan error, len(items))
	for _, it := range items {
		go func(it int) {
			errc <- check(it)
		}(it)
	}
	for range items {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

func main() {
	_ = validate([]int{0, 1, 2, 4, 5, 7, 8, 10})
	select {}
}
