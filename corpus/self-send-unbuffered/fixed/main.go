package main

import "fmt"

func normalize(words []string) []string {
	out := make(chan string, len(words))
	for _, w := range words {
		out <- w + "!"
	}
	close(out)
	var res []string
	for w := range out {
		res = append(res, w)
	}
	return res
}

func main() {
	for i := 0; i < 5; i++ {
		go func() { fmt.Println(normalize([]string{"a", "b"})) }()
	}
	select {}
}
