package main

import "fmt"

func gather(items []string) []string {
	results := make(chan string)
	for _, it := range items {
		go func(it string) { results <- "ok:" + it }(it)
	}
	var out []string
	for i := 0; i < len(items); i++ {
		out = append(out, <-results)
	}
	return out
}

func main() {
	for i := 0; i < 5; i++ {
		go func() { fmt.Println(gather([]string{"x", "y"})) }()
	}
	select {}
}
