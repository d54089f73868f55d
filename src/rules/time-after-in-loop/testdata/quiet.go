package a

import "time"

// The same quiet-period loop in production code, reading a connection's chunks for as
// long as they come: one 10 ms timer per chunk.
func readUntilQuiet(chunks <-chan []byte) []byte {
	var got []byte
	for {
		select {
		case c := <-chunks:
			got = append(got, c...)
		case <-time.After(10 * time.Millisecond): // want "creates a new timer on every iteration"
			return got
		}
	}
}
