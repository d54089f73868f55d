package main

import (
	"errors"
	"fmt"
)

var sem = make(chan struct{}, 2)

func upload(name string) error {
	sem <- struct{}{}
	defer func() { <-sem }()
	if name == "" {
		return errors.New("no name")
	}
	fmt.Println("uploading", name)
	return nil
}

func main() {
	fmt.Println(upload(""), upload(""))
	for i := 0; i < 6; i++ {
		go func(i int) { fmt.Println(upload(fmt.Sprint("f", i))) }(i)
	}
	select {}
}
