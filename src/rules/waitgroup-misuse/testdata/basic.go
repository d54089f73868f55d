package a

import (
	"fmt"
	"sync"
)

func process(x int) int { return x * 2 }

func noAddPointer(items []int) {
	wg := new(sync.WaitGroup)
	for _, it := range items {
		go func() {
			process(it)
			wg.Done() // want `never called`
		}()
	}
	wg.Wait()
}

func noAddLiteral(items []int) {
	wg := &sync.WaitGroup{}
	for _, it := range items {
		go func(x int) {
			defer wg.Done() // want `Add is never called in noAddLiteral`
			process(x)
		}(it)
	}
	wg.Wait()
}

func addAfterWait(items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			process(it)
		}()
	}
	wg.Wait()
	wg.Add(1) // want `runs after wg.Wait\(\) at line 41 and no Wait follows it`
	go func() {
		defer wg.Done()
		fmt.Println("cleanup")
	}()
}

func addAfterWaitOnBranch(items []int, extra bool) {
	var wg sync.WaitGroup
	wg.Add(len(items))
	for _, it := range items {
		go func() {
			defer wg.Done()
			process(it)
		}()
	}
	wg.Wait()
	if extra {
		wg.Add(1) // want `never waited for`
		go func() {
			defer wg.Done()
		}()
	}
}

func byValue(wg sync.WaitGroup, x int) { // want `parameter "wg" has type sync.WaitGroup and is passed by value`
	defer wg.Done()
	process(x)
}

type worker struct{ n int }

func (w *worker) run(id int, wg sync.WaitGroup) { // want `parameter "wg" has type sync.WaitGroup`
	defer wg.Done()
	w.n += id
}

func literalByValue() {
	f := func(g sync.WaitGroup) { // want `parameter "g" has type sync.WaitGroup`
		g.Done()
	}
	_ = f
}

func negativeAdd() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Add(-1)
	}()
	wg.Add(-2) // want `subtracts 2 from WaitGroup "wg", but the Adds in negativeAdd total only 1`
	wg.Wait()
}

const batch = 3

func negativeConst() {
	var wg sync.WaitGroup
	wg.Add(batch - 1)
	for i := 0; i < batch-1; i++ {
		go func() { defer wg.Done() }()
	}
	wg.Add(-batch) // want `subtracts 3`
	wg.Wait()
}

func doneInline() {
	var wg sync.WaitGroup
	go func() {
		fmt.Println("work")
		wg.Done() // want `panics`
	}()
	wg.Wait()
}

func literalValue(items []int) {
	wg := sync.WaitGroup{}
	for _, it := range items {
		go func() {
			defer wg.Done() // want `decrements WaitGroup "wg"`
			process(it)
		}()
	}
	wg.Wait()
}
