package a

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
)

// Get side resets.
var okPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getReset(msg string) string {
	b := okPool.Get().(*bytes.Buffer)
	b.Reset()
	b.WriteString(msg)
	s := b.String()
	okPool.Put(b)
	return s
}

// Put side resets everywhere: Get need not.
var cleanPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func putClean(b *bytes.Buffer) {
	b.Reset()
	cleanPool.Put(b)
}

func useClean(msg string) string {
	b := cleanPool.Get().(*bytes.Buffer)
	b.WriteString(msg)
	s := b.String()
	putClean(b)
	return s
}

// Slices truncated on Put.
var slicePtrPool = sync.Pool{New: func() any { b := make([]byte, 0, 64); return &b }}

func putTruncated(bp *[]byte) {
	*bp = (*bp)[:0]
	slicePtrPool.Put(bp)
}

func useTruncated(data []byte) int {
	bp := slicePtrPool.Get().(*[]byte)
	*bp = append(*bp, data...)
	n := len(*bp)
	putTruncated(bp)
	return n
}

// Slices truncated on Get.
var rawPool = sync.Pool{}

func getTruncated(data []byte) {
	bp := rawPool.Get().(*[]byte)
	buf := (*bp)[:0]
	buf = append(buf, data...)
	*bp = buf
	rawPool.Put(bp)
}

func appendFromZero(data []byte) {
	bp := rawPool.Get().(*[]byte)
	*bp = append((*bp)[:0], data...)
	rawPool.Put(bp)
}

// Returned to the caller: the caller's business.
func borrow() *bytes.Buffer {
	return okPool.Get().(*bytes.Buffer)
}

func borrow2() *bytes.Buffer {
	b := okPool.Get().(*bytes.Buffer)
	return b
}

// Passed to a same-package helper first: we cannot see it, silent.
func prepare(b *bytes.Buffer) { b.Reset() }

func viaHelper(msg string) {
	b := okPool.Get().(*bytes.Buffer)
	prepare(b)
	b.WriteString(msg)
	okPool.Put(b)
}

// Overwritten before use.
var bbPool sync.Pool

func overwritten() {
	bp := bbPool.Get().(*[]byte)
	*bp = make([]byte, 0, 10)
	*bp = append(*bp, 'x')
	bbPool.Put(bp)
}

// Put with [:0] in the call.
var iPool sync.Pool

func putZero(s []int) { iPool.Put(s[:0]) }

func useZero() {
	s := iPool.Get().([]int)
	s = append(s, 1)
	_ = s
}

// A pooled struct pointer without a Reset method: not followed.
type req struct{ id int }

var reqPool sync.Pool

func useReq() {
	r := reqPool.Get().(*req)
	r.id++
	reqPool.Put(r)
}

// First use in a condition: silent.
func cond(sb *strings.Builder) {
	x := bufPool.Get().(*strings.Builder)
	if x.Len() > 0 {
		fmt.Println("dirty")
	}
	bufPool.Put(x)
	_ = sb
}

// A pointer to a pooled slice whose header no user ever writes: each Get appends to a copy
// of `*p` (length 0, as New made it), so the pool only ever holds empty headers; the Put
// gives back the header the Get returned, unchanged.
var scratchPool = sync.Pool{New: func() any { b := make([]byte, 0, 64); return &b }}

func joinName(service, name string) string {
	p := scratchPool.Get().(*[]byte)
	defer scratchPool.Put(p)
	b := append(*p, service...)
	b = append(b, '.')
	b = append(b, name...)
	return string(b)
}

func nameLen(name string) int {
	p := scratchPool.Get().(*[]byte)
	b := append((*p), name...)
	n := len(b) + len(*p)
	scratchPool.Put(p)
	return n
}
