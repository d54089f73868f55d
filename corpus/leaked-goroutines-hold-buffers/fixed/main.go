package main

import (
	"fmt"
	"time"
)

func download(id int) []byte {
	buf := make([]byte, 64<<10)
	buf[0] = byte(id)
	time.Sleep(20 * time.Millisecond)
	return buf
}

func fetch(id int) ([]byte, error) {
	ch := make(chan []byte, 1)
	go func() {
		ch <- download(id)
	}()
	select {
	case b := <-ch:
		return b, nil
	case <-time.After(2 * time.Millisecond):
		return nil, fmt.Errorf("fetch %d: timeout", id)
	}
}

func main() {
	for i := 0; i < 40; i++ {
		_, _ = fetch(i)
	}
	select {}
}
