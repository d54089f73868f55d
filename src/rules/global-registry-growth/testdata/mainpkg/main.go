// main.main runs once, but it is the whole program: a cache filled from its loop grows
// with every request it handles.
package main

import "fmt"

var rendered = map[string][]byte{} // want `package-level map "rendered" only grows`

func render(id int) []byte {
	key := fmt.Sprint("req-", id)
	if b, ok := rendered[key]; ok {
		return b
	}
	b := []byte(key)
	rendered[key] = b
	return b
}

func main() {
	for i := 0; ; i++ {
		_ = render(i)
	}
}
