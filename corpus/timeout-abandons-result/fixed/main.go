package main

import (
	"fmt"
	"time"
)

func slowQuery(id int) string {
	time.Sleep(50 * time.Millisecond)
	return fmt.Sprintf("row-%d", id)
}

func fetch(id int, timeout time.Duration) (string, error) {
	ch := make(chan string, 1)
	go func() {
		ch <- slowQuery(id)
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-time.After(timeout):
		return "", fmt.Errorf("query %d: timeout", id)
	}
}

func main() {
	for i := 0; i < 8; i++ {
		_, _ = fetch(i, 5*time.Millisecond)
	}
	select {}
}
