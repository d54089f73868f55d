package main

import (
	"fmt"
	"strings"
	"time"
)

type Limiter struct {
	slots chan struct{}
}

func (l *Limiter) Acquire() { l.slots <- struct{}{} }

func (l *Limiter) Release() { <-l.slots }

type Renderer struct {
	lim *Limiter
}

func (r *Renderer) widget(name string) string {
	r.lim.Acquire()
	defer r.lim.Release()
	return "<div>" + name + "</div>"
}

func (r *Renderer) Render(page string, widgets []string) string {
	r.lim.Acquire()
	defer r.lim.Release()
	time.Sleep(10 * time.Millisecond) // load the page template
	var b strings.Builder
	for _, w := range widgets {
		b.WriteString(r.widget(w))
	}
	return page + ": " + b.String()
}

func main() {
	r := &Renderer{lim: &Limiter{slots: make(chan struct{}, 2)}}
	for _, p := range []string{"/home", "/pricing", "/docs"} {
		go func(page string) {
			fmt.Println(r.Render(page, []string{"nav", "footer"}))
		}(p)
	}
	select {}
}
