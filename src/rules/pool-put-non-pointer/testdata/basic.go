package a

import (
	"bytes"
	"sync"
)

var slicePool = sync.Pool{New: func() any { return make([]byte, 0, 512) }}

func putSlice(b []byte) {
	slicePool.Put(b[:0]) // want `slicePool.Put\(b\[:0\]\) stores a slice value of type \[\]byte, not a pointer`
}

func useSlice(data []byte) {
	buf := slicePool.Get().([]byte)
	buf = append(buf, data...)
	slicePool.Put(buf) // want `stores a slice value`
}

type point struct{ x, y int }

var pointPool sync.Pool

func putStruct(p point) {
	pointPool.Put(p) // want `stores a struct value of type point`
}

var strPool sync.Pool

func putString(s string) {
	strPool.Put(s) // want `stores a string value`
}

type header [64]byte

var hdrPool sync.Pool

func putArray(h header) {
	hdrPool.Put(h) // want `stores an array value`
}

type codec struct {
	scratch sync.Pool
}

func (c *codec) release(b []int) {
	c.scratch.Put(b) // want `c.scratch.Put\(b\) stores a slice value of type \[\]int`
}

type words []string

var wordPool sync.Pool

func putNamedSlice(w words) {
	wordPool.Put(w[:0]) // want `stores a slice value of type words`
}

func putBufferValue(b bytes.Buffer) {
	slicePool.Put(b) // want `stores a struct value of type bytes.Buffer`
}

func putLocalPool(rows [][]byte) {
	var p sync.Pool
	for _, r := range rows {
		p.Put(r) // want `p.Put\(r\) stores a slice value`
	}
}

func putRecord(name string) {
	pointPool.Put(point{x: len(name)}) // want `stores a struct value`
}
