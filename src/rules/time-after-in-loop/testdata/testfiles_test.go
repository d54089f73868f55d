// A test's loops make a bounded number of short timers and the test binary exits: this
// rule does not check test files. The same loop in a non-test file is reported
// (readUntilQuiet in quiet.go).
package a

import (
	"testing"
	"time"
)

// Reads the chunks of one test input until the pipe has been quiet for 10 ms. Silent.
func TestReadUntilQuiet(t *testing.T) {
	chunks := make(chan []byte)
	go func() {
		for _, c := range [][]byte{[]byte("ab"), []byte("cd")} {
			chunks <- c
		}
	}()
	var got []byte
loop:
	for {
		select {
		case c := <-chunks:
			got = append(got, c...)
		case <-time.After(10 * time.Millisecond):
			break loop
		}
	}
	if string(got) != "abcd" {
		t.Fatalf("got %q", got)
	}
}
