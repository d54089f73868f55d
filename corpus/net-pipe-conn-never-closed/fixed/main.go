package main

import (
	"fmt"
	"net"
)

func handle(c net.Conn) {
	defer c.Close()
	buf := make([]byte, 64)
	for {
		n, err := c.Read(buf)
		if err != nil {
			return
		}
		fmt.Println("got", string(buf[:n]))
	}
}

func dial(i int) {
	client, server := net.Pipe()
	go handle(server)
	fmt.Fprintf(client, "hello %d", i)
	client.Close()
}

func main() {
	for i := 0; i < 5; i++ {
		dial(i)
	}
	select {}
}
