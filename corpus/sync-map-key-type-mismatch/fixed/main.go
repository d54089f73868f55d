package main

import (
	"fmt"
	"sync"
)

type Jobs struct {
	waiters sync.Map // job id -> chan string
}

func (j *Jobs) Register(id int64) <-chan string {
	ch := make(chan string, 1)
	j.waiters.Store(id, ch)
	return ch
}

func (j *Jobs) Complete(id int, result string) bool {
	v, ok := j.waiters.LoadAndDelete(int64(id))
	if !ok {
		return false
	}
	v.(chan string) <- result
	return true
}

func main() {
	j := &Jobs{}
	var registered sync.WaitGroup
	for id := int64(1); id <= 5; id++ {
		registered.Add(1)
		go func(id int64) {
			result := j.Register(id)
			registered.Done()
			fmt.Println("job", id, "->", <-result)
		}(id)
	}
	registered.Wait()
	for id := 1; id <= 5; id++ {
		if !j.Complete(id, "ok") {
			fmt.Println("job", id, "has no waiter")
		}
	}
	select {}
}
