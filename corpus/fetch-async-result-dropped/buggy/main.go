package main

import (
	"fmt"
	"time"
)

type Result struct {
	Body string
	Err  error
}

type Client struct {
	base    string
	latency time.Duration
}

func (c *Client) FetchAsync(path string) <-chan Result {
	ch := make(chan Result)
	go func() {
		time.Sleep(c.latency)
		ch <- Result{Body: "GET " + c.base + path}
	}()
	return ch
}

func (c *Client) Fetch(path string) (string, error) {
	r := <-c.FetchAsync(path)
	return r.Body, r.Err
}

// warmCache touches the pages so the edge cache holds them; the bodies are not needed.
func warmCache(c *Client, paths []string) {
	for _, p := range paths {
		c.FetchAsync(p)
	}
}

func main() {
	c := &Client{base: "https://shop.test", latency: time.Millisecond}
	warmCache(c, []string{"/", "/cart", "/products", "/help", "/login"})
	body, _ := c.Fetch("/")
	fmt.Println(body)
	select {}
}
