package main

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

var errNotFound = errors.New("not found")

type Loader struct {
	mu       sync.Mutex
	inflight map[string]chan struct{}
	cache    map[string]string
	origin   map[string]string
}

func NewLoader() *Loader {
	return &Loader{inflight: map[string]chan struct{}{}, cache: map[string]string{}, origin: map[string]string{"logo": "png", "css": "text"}}
}

func (l *Loader) fetch(key string) (string, error) {
	time.Sleep(20 * time.Millisecond)
	v, ok := l.origin[key]
	if !ok {
		return "", errNotFound
	}
	return v, nil
}

func (l *Loader) Load(key string) (string, error) {
	l.mu.Lock()
	if v, ok := l.cache[key]; ok {
		l.mu.Unlock()
		return v, nil
	}
	if ch, ok := l.inflight[key]; ok {
		l.mu.Unlock()
		<-ch
		l.mu.Lock()
		v, ok := l.cache[key]
		l.mu.Unlock()
		if !ok {
			return "", errNotFound
		}
		return v, nil
	}
	ch := make(chan struct{})
	l.inflight[key] = ch
	l.mu.Unlock()
	v, err := l.fetch(key)
	if err != nil {
		return "", err
	}
	l.mu.Lock()
	l.cache[key] = v
	delete(l.inflight, key)
	l.mu.Unlock()
	close(ch)
	return v, nil
}

func main() {
	l := NewLoader()
	for i := 0; i < 6; i++ {
		key := []string{"logo", "favicon", "css"}[i%3]
		go func(k string) {
			v, err := l.Load(k)
			fmt.Println(k, v, err)
		}(key)
	}
	time.Sleep(60 * time.Millisecond)
	for i := 0; i < 3; i++ {
		go func() {
			v, err := l.Load("favicon")
			fmt.Println("retry favicon", v, err)
		}()
	}
	select {}
}
