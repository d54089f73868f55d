// Reproduces http-server-no-timeouts: a server with no timeouts and clients that stop
// sending half-way through their request headers.
package main

import (
	"fmt"
	"net"
	"net/http"
	"time"

	"example.com/leakscope-signatures/common"
)

func main() {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	srv := &http.Server{Handler: http.NotFoundHandler()} // no ReadHeaderTimeout, ReadTimeout, IdleTimeout
	go srv.Serve(ln)
	var conns []net.Conn
	for i := 0; i < 120; i++ {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			panic(err)
		}
		fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: x\r\n") // never finishes the headers
		conns = append(conns, c)
	}
	time.Sleep(200 * time.Millisecond)
	common.ServePprof()
	_ = conns
}
