// Package common serves net/http/pprof on a free loopback port and prints it.
package common

import (
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/signal"
	"syscall"
)

// ServePprof serves the default mux on 127.0.0.1:0, prints "port=N" and blocks until SIGTERM/SIGINT.
func ServePprof() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go http.Serve(ln, nil)
	fmt.Printf("port=%d\n", ln.Addr().(*net.TCPAddr).Port)
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM, os.Interrupt)
	<-c
}
