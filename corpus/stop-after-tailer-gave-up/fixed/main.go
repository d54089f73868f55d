package main

import (
	"fmt"
)

type Tailer struct {
	file  string
	src   []string
	lines chan string
	quit  chan struct{}
}

func NewTailer(file string, src []string) *Tailer {
	t := &Tailer{file: file, src: src, lines: make(chan string), quit: make(chan struct{})}
	go t.run()
	return t
}

func (t *Tailer) run() {
	for _, l := range t.src {
		if l == "" {
			fmt.Println(t.file, ": truncated line, giving up")
			return
		}
		select {
		case t.lines <- l:
		case <-t.quit:
			return
		}
	}
	<-t.quit
}

func (t *Tailer) Stop() {
	close(t.quit)
}

func main() {
	for i := 0; i < 4; i++ {
		t := NewTailer(fmt.Sprintf("app-%d.log", i), []string{"GET /", "GET /login", "", "POST /login"})
		go func() {
			fmt.Println(<-t.lines)
			fmt.Println(<-t.lines)
			t.Stop()
			fmt.Println(t.file, "stopped")
		}()
	}
	select {}
}
