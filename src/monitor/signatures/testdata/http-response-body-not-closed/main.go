// Reproduces http-response-body-not-closed: a client that never closes response bodies.
package main

import (
	"fmt"
	"net"
	"net/http"

	"example.com/leakscope-signatures/common"
)

func fetchAll(url string, n int) {
	client := &http.Client{}
	for i := 0; i < n; i++ {
		resp, err := client.Get(url)
		if err != nil {
			panic(err)
		}
		_ = resp.StatusCode // resp.Body is never closed: the connection stays busy
	}
}

func main() {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	srv := http.NewServeMux()
	srv.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "hello") })
	go http.Serve(ln, srv)
	fetchAll("http://"+ln.Addr().String()+"/", 60)
	common.ServePprof()
}
