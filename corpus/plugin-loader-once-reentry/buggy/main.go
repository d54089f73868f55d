package main

import (
	"fmt"
	"sync"
)

type Plugin interface {
	Name() string
}

type basic struct{ name string }

func (b basic) Name() string { return b.name }

type Registry struct {
	once    sync.Once
	plugins map[string]Plugin
	loaders []func(r *Registry)
}

func (r *Registry) init() {
	r.plugins = map[string]Plugin{}
	for _, load := range r.loaders {
		load(r)
	}
}

func (r *Registry) add(p Plugin) { r.plugins[p.Name()] = p }

func (r *Registry) Lookup(name string) (Plugin, bool) {
	r.once.Do(r.init)
	p, ok := r.plugins[name]
	return p, ok
}

func loadCore(r *Registry) { r.add(basic{name: "core"}) }

func loadJSON(r *Registry) {
	if _, ok := r.Lookup("core"); ok {
		r.add(basic{name: "json"})
	}
}

func main() {
	for i := 0; i < 5; i++ {
		r := &Registry{loaders: []func(*Registry){loadCore, loadJSON}}
		go func(worker int) {
			p, ok := r.Lookup("json")
			fmt.Println(worker, ok, p)
		}(i)
	}
	select {}
}
