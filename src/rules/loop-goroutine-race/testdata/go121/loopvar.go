// Go 1.21: loop variables are shared by all iterations.
package go121

import (
	"fmt"
	"sync"
)

func markAll() int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	seen := map[int]bool{}
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			seen[i] = true // want `reads loop variable "i", which every iteration shares before Go 1.22 \(module go 1.21\)`
			mu.Unlock()
		}()
	}
	wg.Wait()
	return len(seen)
}

func printAll(names []string) {
	for _, n := range names {
		go func() {
			fmt.Println(n) // want `reads loop variable "n"`
		}()
	}
}

// copied (negative): the loop variable is copied per iteration.
func copied(names []string) {
	for _, n := range names {
		n := n
		go func() {
			fmt.Println(n)
		}()
	}
}

// passed (negative): the loop variable is passed as an argument.
func passed(names []string) {
	for _, n := range names {
		go func(n string) {
			fmt.Println(n)
		}(n)
	}
}

// notLast (negative): like vet, only a go statement at the end of the body is reported.
func notLast(names []string, done chan struct{}) {
	for _, n := range names {
		go func() {
			fmt.Println(n)
		}()
		<-done
	}
}
