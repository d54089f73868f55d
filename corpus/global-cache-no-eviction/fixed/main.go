package main

import (
	"fmt"
	"sync"
)

var (
	cacheMu sync.Mutex
	cache   = map[string][]byte{}
)

func render(id int) []byte {
	key := fmt.Sprint("req-", id)
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if b, ok := cache[key]; ok {
		return b
	}
	b := make([]byte, 4096)
	copy(b, key)
	return b
}

func main() {
	n := 0
	for i := 0; i < 1000; i++ {
		n += len(render(i))
	}
	fmt.Println(n)
	select {}
}
