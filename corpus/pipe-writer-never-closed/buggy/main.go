package main

import (
	"bytes"
	"fmt"
	"io"
	"sync"
)

type sink struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *sink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func export(s *sink, rows []string) {
	pr, pw := io.Pipe()
	go func() {
		_, _ = io.Copy(s, pr)
	}()
	for _, r := range rows {
		fmt.Fprintln(pw, r)
	}
}

func main() {
	s := &sink{}
	for i := 0; i < 5; i++ {
		export(s, []string{"a", "b"})
	}
	select {}
}
