package main

import (
	"fmt"
	"sync"
)

type Buffer struct {
	mu    sync.Mutex
	avail *sync.Cond
	data  []byte
	limit int
}

func NewBuffer(limit int) *Buffer {
	b := &Buffer{limit: limit}
	b.avail = sync.NewCond(&b.mu)
	return b
}

func (b *Buffer) Len() int {
	b.avail.L.Lock()
	defer b.avail.L.Unlock()
	return len(b.data)
}

func (b *Buffer) Write(p []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for len(b.data)+len(p) > b.limit {
		b.avail.Wait()
	}
	b.data = append(b.data, p...)
}

func (b *Buffer) Read(n int) []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	if n > len(b.data) {
		n = len(b.data)
	}
	out := append([]byte(nil), b.data[:n]...)
	b.data = b.data[n:]
	b.avail.Broadcast()
	return out
}

func main() {
	for i := 0; i < 4; i++ {
		b := NewBuffer(64)
		go func(stream int) {
			b.Write([]byte(fmt.Sprintf("stream %d: header", stream)))
			fmt.Println(string(b.Read(16)))
		}(i)
	}
	select {}
}
