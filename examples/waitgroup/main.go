// Command waitgroup resizes a batch of images concurrently, but calls wg.Add
// inside each goroutine (rule waitgroup-add-in-goroutine): Wait can return
// before the workers have even started, and the results slice is read while
// they are still writing to it.
package main

import (
	"fmt"
	"sync"
	"time"
)

type image struct {
	name          string
	width, height int
}

func resize(img image, maxWidth int) image {
	time.Sleep(5 * time.Millisecond)
	if img.width <= maxWidth {
		return img
	}
	return image{name: img.name, width: maxWidth, height: img.height * maxWidth / img.width}
}

func resizeAll(imgs []image, maxWidth int) []image {
	out := make([]image, len(imgs))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i, img := range imgs {
		go func() {
			wg.Add(1)
			defer wg.Done()
			r := resize(img, maxWidth)
			mu.Lock()
			out[i] = r
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

// thumbnailer owns a WaitGroup field; Close is supposed to wait for every
// render started with `go t.render(...)`.
type thumbnailer struct {
	wg   sync.WaitGroup
	mu   sync.Mutex
	done []string
}

func (t *thumbnailer) render(img image) {
	t.wg.Add(1)
	defer t.wg.Done()
	r := resize(img, 128)
	t.mu.Lock()
	t.done = append(t.done, r.name)
	t.mu.Unlock()
}

func (t *thumbnailer) Close() []string {
	t.wg.Wait()
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.done
}

func main() {
	imgs := []image{{"a.png", 1024, 768}, {"b.png", 640, 480}, {"c.png", 4000, 3000}}
	fmt.Println(resizeAll(imgs, 800))

	t := &thumbnailer{}
	for _, img := range imgs {
		go t.render(img)
	}
	fmt.Println("thumbnails:", t.Close())
}
