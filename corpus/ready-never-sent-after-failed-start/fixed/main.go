package main

import (
	"errors"
	"fmt"
)

func start(name string, ready chan<- struct{}) error {
	if name == "" {
		close(ready)
		return errors.New("no name")
	}
	go func() {
		close(ready)
	}()
	return nil
}

func launch(name string) {
	ready := make(chan struct{})
	if err := start(name, ready); err != nil {
		fmt.Println("start failed:", err)
	}
	go func() {
		<-ready
		fmt.Println("ready", name)
	}()
}

func main() {
	for i := 0; i < 5; i++ {
		launch("")
	}
	select {}
}
