package a

import (
	"bytes"
	"fmt"
	"io"
	"net"
)

// Pipes whose writing end is never closed, read to the end by a goroutine (corpus
// cases pipe-writer-never-closed, net-pipe-conn-never-closed).

func exportRows(dst *bytes.Buffer, rows []string) {
	pr, pw := io.Pipe()
	go func() {
		_, _ = io.Copy(dst, pr) // want "never sees EOF"
	}()
	for _, r := range rows {
		fmt.Fprintln(pw, r)
	}
}

func readAllRows(rows []string) {
	pr, pw := io.Pipe()
	go func() {
		b, _ := io.ReadAll(pr) // want "never sees EOF"
		fmt.Println(len(b))
	}()
	for _, r := range rows {
		_, _ = pw.Write([]byte(r))
	}
}

func handleConn(c net.Conn) {
	defer c.Close()
	buf := make([]byte, 64)
	for {
		n, err := c.Read(buf) // want "never sees EOF"
		if err != nil {
			return
		}
		fmt.Println(string(buf[:n]))
	}
}

func dialPipe(i int) {
	client, server := net.Pipe()
	go handleConn(server)
	fmt.Fprintf(client, "hello %d", i)
}

// The writer is closed when done.
func exportRowsClosed(dst *bytes.Buffer, rows []string) {
	pr, pw := io.Pipe()
	go func() {
		_, _ = io.Copy(dst, pr)
	}()
	for _, r := range rows {
		fmt.Fprintln(pw, r)
	}
	pw.Close()
}

// The writer is handed to another function: it may close it.
func exportRowsHanded(dst *bytes.Buffer, rows []string) {
	pr, pw := io.Pipe()
	go func() {
		_, _ = io.Copy(dst, pr)
	}()
	writeRows(pw, rows)
}

func writeRows(w *io.PipeWriter, rows []string) {
	for _, r := range rows {
		fmt.Fprintln(w, r)
	}
	w.Close()
}

// The client end is closed.
func dialPipeClosed(i int) {
	client, server := net.Pipe()
	go handleConn(server)
	fmt.Fprintf(client, "hello %d", i)
	client.Close()
}

// The read loop stops after one message on its own.
func handleOne(c net.Conn) {
	buf := make([]byte, 64)
	for {
		n, err := c.Read(buf)
		if err != nil || n > 0 {
			return
		}
	}
}

func dialOne() {
	client, server := net.Pipe()
	go handleOne(server)
	fmt.Fprintf(client, "hello")
}

// The reader reads one chunk only.
func readOneChunk(rows []string) {
	pr, pw := io.Pipe()
	go func() {
		buf := make([]byte, 16)
		_, _ = pr.Read(buf)
	}()
	fmt.Fprintln(pw, rows[0])
}
