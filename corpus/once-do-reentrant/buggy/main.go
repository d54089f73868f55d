package main

import (
	"fmt"
	"sync"
)

type config struct {
	once   sync.Once
	values map[string]string
}

func (c *config) load() {
	c.values = map[string]string{"name": "svc"}
	c.values["greeting"] = "hello " + c.Get("name")
}

func (c *config) Get(k string) string {
	c.once.Do(c.load)
	return c.values[k]
}

func main() {
	c := &config{}
	go func() { fmt.Println(c.Get("greeting")) }()
	select {}
}
