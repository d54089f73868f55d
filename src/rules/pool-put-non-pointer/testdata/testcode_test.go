package a

import (
	"sync"
	"testing"
)

// Test code is not reported: a test's pool allocations are not a cost anyone pays.
var scratch = sync.Pool{New: func() any { return make([]byte, 0, 64) }}

func TestFrames(t *testing.T) {
	b := scratch.Get().([]byte)
	b = append(b[:0], "frame"...)
	if len(b) != 5 {
		t.Fatal(len(b))
	}
	scratch.Put(b)
}
