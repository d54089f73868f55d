// Fixtures for loop-goroutine-race in a method whose goroutines start in an inner loop.
package a

import "sync"

// pipeline weighs items in parallel; the spawner is a method and the goroutines start in
// an inner loop.
type pipeline struct {
	factor int
}

func (p *pipeline) weight(x int) int { return x * p.factor }

// total: every goroutine of the inner loop adds to one local.
func (p *pipeline) total(batches [][]int) int {
	sum := 0
	var wg sync.WaitGroup
	for _, b := range batches {
		for _, x := range b {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sum += p.weight(x) // want `"sum" is written at line \d+ by every goroutine started in the loop at line \d+ \(go at line \d+\), with no lock held and nothing ordering the writes`
			}()
		}
	}
	wg.Wait()
	return sum
}

// totalSent (negative): the goroutines send their weights and the method adds them up.
func (p *pipeline) totalSent(batches [][]int) int {
	n := 0
	for _, b := range batches {
		n += len(b)
	}
	weights := make(chan int, n)
	for _, b := range batches {
		for _, x := range b {
			go func() {
				weights <- p.weight(x)
			}()
		}
	}
	sum := 0
	for i := 0; i < n; i++ {
		sum += <-weights
	}
	return sum
}
