package main

import (
	"errors"
	"fmt"
)

import "sync"

func fetchAll(urls []string) []error {
	var wg sync.WaitGroup
	errs := make([]error, len(urls))
	for i, u := range urls {
		wg.Add(1)
		go func(i int, u string) {
			if u == "" {
				errs[i] = errors.New("empty url")
				return
			}
			errs[i] = nil
			wg.Done()
		}(i, u)
	}
	wg.Wait()
	return errs
}

func main() {
	for i := 0; i < 6; i++ {
		go func() {
			fmt.Println(fetchAll([]string{"a", "", "c"}))
		}()
	}
	select {}
}
