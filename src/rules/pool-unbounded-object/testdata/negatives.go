package a

import (
	"bytes"
	"io"
	"sync"
)

const maxPooled = 64 << 10

func putBounded(b *bytes.Buffer) {
	if b.Cap() > maxPooled {
		return
	}
	b.Reset()
	bufPool.Put(b)
}

func putBoundedLen(b *bytes.Buffer) {
	if b.Len() > maxPooled {
		return
	}
	bufPool.Put(b)
}

func putSliceBounded(bp *[]byte) {
	if cap(*bp) > maxPooled {
		return
	}
	*bp = (*bp)[:0]
	linePool.Put(bp)
}

func putSliceBoundedParen(bp *[]byte) {
	if cap((*bp)) <= maxPooled {
		linePool.Put(bp)
	}
}

// A fixed-size copy buffer never grows.
var copyPool = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

func copyData(dst io.Writer, src io.Reader) (int64, error) {
	bp := copyPool.Get().(*[]byte)
	defer copyPool.Put(bp)
	return io.CopyBuffer(dst, src, *bp)
}

type node struct{ next *node }

var nodePool sync.Pool

func putNode(n *node) {
	n.next = nil
	nodePool.Put(n)
}

var mPool sync.Pool

func putMap(m map[string]int) {
	clear(m)
	mPool.Put(m)
}

func putAnyValue(v any) {
	bufPool.Put(v)
}

func putLenBounded(bp *[]byte) {
	*bp = append(*bp, 'x')
	if len(*bp) > maxPooled {
		return
	}
	linePool.Put(bp)
}

type fixed struct{ buf [512]byte }

var fixedPool sync.Pool

func putFixed(f *fixed) {
	fixedPool.Put(f)
}

func putString(s *string) {
	mPool.Put(s)
}

// A slice by value is pool-put-non-pointer's finding, not reported twice.
var valPool sync.Pool

func putSliceValue(data []byte) {
	b := valPool.Get().([]byte)
	b = append(b, data...)
	valPool.Put(b)
}
