package chans

import (
	"net"
	"testing"
)

// A helper that fails the test itself before it returns an error: the branch on that
// error runs only in a failed test, and what blocks after it is not reported.

// acceptOne reports a failed Accept with t.Error and returns the error.
func acceptOne(t *testing.T, ln net.Listener) (net.Conn, error) {
	conn, err := ln.Accept()
	if err != nil {
		t.Error(err)
		return nil, err
	}
	return conn, nil
}

// acceptQuiet only logs a failed Accept.
func acceptQuiet(t *testing.T, ln net.Listener) (net.Conn, error) {
	conn, err := ln.Accept()
	if err != nil {
		t.Log(err)
		return nil, err
	}
	return conn, nil
}

func dialAndClose(addr string) {
	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
	}
}

// The server goroutine returns without closing done only when acceptOne has failed the
// test. Silent.
func TestServeAfterAccept(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	done := make(chan struct{})
	go func() {
		conn, err := acceptOne(t, ln)
		if err != nil {
			return
		}
		conn.Close()
		close(done)
	}()
	dialAndClose(ln.Addr().String())
	<-done
}

// The twin with the helper that only logs: a failed Accept leaves the test waiting forever.
func TestServeAfterQuietAccept(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	done := make(chan struct{})
	go func() {
		conn, err := acceptQuiet(t, ln)
		if err != nil {
			return
		}
		conn.Close()
		close(done)
	}()
	dialAndClose(ln.Addr().String())
	<-done // want `blocks forever receiving from "done"`
}
