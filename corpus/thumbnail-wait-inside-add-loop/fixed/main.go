package main

import (
	"fmt"
	"strings"
	"sync"
)

type Thumbnailer struct {
	size    int
	results chan string
	wg      sync.WaitGroup
}

func NewThumbnailer(size int) *Thumbnailer {
	return &Thumbnailer{size: size, results: make(chan string)}
}

func (t *Thumbnailer) render(file string) {
	defer t.wg.Done()
	name := strings.TrimSuffix(file, ".jpg")
	t.results <- fmt.Sprintf("%s_%dpx.jpg", name, t.size)
}

func (t *Thumbnailer) Render(files []string) []string {
	for _, f := range files {
		t.wg.Add(1)
		go t.render(f)
	}
	var out []string
	for range files {
		out = append(out, <-t.results)
	}
	t.wg.Wait()
	return out
}

func main() {
	for _, size := range []int{64, 128, 256} {
		go func(s int) {
			t := NewThumbnailer(s)
			fmt.Println(t.Render([]string{"cat.jpg", "dog.jpg", "bird.jpg"}))
		}(size)
	}
	select {}
}
