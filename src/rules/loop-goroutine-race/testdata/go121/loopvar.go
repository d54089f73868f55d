// Go 1.21: loop variables are shared by all iterations.
package go121

import (
	"fmt"
	"sync"
)

// probeAll: the goroutines index the result with the shared loop variable.
func probeAll(ports []int, dial func(int) bool) []bool {
	open := make([]bool, len(ports))
	var wg sync.WaitGroup
	wg.Add(len(ports))
	for idx := range ports {
		go func() {
			defer wg.Done()
			open[idx] = dial(ports[idx]) // want `reads loop variable "idx", which every iteration shares before Go 1.22 \(module go 1.21\)`
		}()
	}
	wg.Wait()
	return open
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
