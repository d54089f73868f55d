package a

import (
	"bytes"
	"strings"
	"sync"
)

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func putBuffer(b *bytes.Buffer) {
	b.Reset()
	bufPool.Put(b)
}

var bytesPool = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

func putSlicePtr(b []byte) {
	b = b[:0]
	bytesPool.Put(&b)
}

func putSlicePtrVar(bp *[]byte) {
	*bp = (*bp)[:0]
	bytesPool.Put(bp)
}

func putBuilder(sb *strings.Builder) {
	sb.Reset()
	bufPool.Put(sb)
}

var mapPool sync.Pool

func putMap(m map[string]int) {
	clear(m)
	mapPool.Put(m)
}

var chanPool sync.Pool

func putChan(c chan int) {
	chanPool.Put(c)
}

func putAny(v any) {
	mapPool.Put(v)
}

func putBack() {
	v := mapPool.Get()
	mapPool.Put(v)
}

var fnPool sync.Pool

func putFunc(f func()) {
	fnPool.Put(f)
}

type empty struct{}

func putEmpty() {
	mapPool.Put(empty{})
}

// Put on a type that is not sync.Pool.
type myPool struct{ items [][]byte }

func (p *myPool) Put(b []byte) { p.items = append(p.items, b) }

func putMine(p *myPool, b []byte) {
	p.Put(b)
}

func putPointerStruct(p *point) {
	pointPool.Put(p)
}
