package main

import (
	"context"
	"fmt"
	"strings"
)

type Watcher struct {
	ctx    context.Context
	cancel context.CancelFunc
	path   string
	events chan string
}

func Watch(parent context.Context, path string) *Watcher {
	ctx, cancel := context.WithCancel(parent)
	w := &Watcher{ctx: ctx, cancel: cancel, path: path, events: make(chan string)}
	go w.loop()
	return w
}

func (w *Watcher) loop() {
	for {
		select {
		case <-w.ctx.Done():
			return
		case ev := <-w.events:
			fmt.Println(w.path, "changed:", ev)
		}
	}
}

func (w *Watcher) Close() { w.cancel() }

func checkConfig(path string) error {
	w := Watch(context.Background(), path)
	defer w.Close()
	if !strings.HasSuffix(path, ".yaml") {
		return fmt.Errorf("%s: not a YAML file", path)
	}
	fmt.Println("watching", w.path)
	return nil
}

func main() {
	for _, p := range []string{"app.yaml", "db.yaml", "cache.json", "queue.yaml", "auth.toml"} {
		if err := checkConfig(p); err != nil {
			fmt.Println(err)
		}
	}
	select {}
}
