package main

import (
	"errors"
	"fmt"
	"io"
	"sync"
)

type flakyDisk struct {
	mu     sync.Mutex
	writes int
}

func (d *flakyDisk) Write(p []byte) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.writes++
	if d.writes == 3 {
		return 0, errors.New("no space left on device")
	}
	return len(p), nil
}

type AsyncLogger struct {
	lines  chan string
	w      io.Writer
	errors int
}

func NewAsyncLogger(w io.Writer) *AsyncLogger {
	l := &AsyncLogger{lines: make(chan string, 4), w: w}
	go l.flush()
	return l
}

func (l *AsyncLogger) flush() {
	for line := range l.lines {
		if _, err := io.WriteString(l.w, line+"\n"); err != nil {
			return
		}
	}
}

func (l *AsyncLogger) Printf(format string, args ...any) {
	l.lines <- fmt.Sprintf(format, args...)
}

func (l *AsyncLogger) Close() { close(l.lines) }

func main() {
	log := NewAsyncLogger(&flakyDisk{})
	var reqs sync.WaitGroup
	for req := 0; req < 6; req++ {
		reqs.Add(1)
		go func(id int) {
			defer reqs.Done()
			log.Printf("request %d: start", id)
			log.Printf("request %d: query done", id)
			log.Printf("request %d: end", id)
		}(req)
	}
	reqs.Wait()
	log.Close()
	select {}
}
