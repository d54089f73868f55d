package a

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
)

var bufPool = sync.Pool{New: func() any { return new(strings.Builder) }}

func greet(name string) string {
	sb := bufPool.Get().(*strings.Builder)
	defer bufPool.Put(sb)
	sb.WriteString("hello ") // want `"sb" from bufPool.Get\(\) at line 13 is used at line 15 before sb.Reset\(\)`
	sb.WriteString(name)
	return sb.String()
}

func format(id int) string {
	sb := bufPool.Get().(*strings.Builder)
	fmt.Fprintf(sb, "id=%d", id) // want `used at line 22 before sb.Reset`
	s := sb.String()
	bufPool.Put(sb)
	return s
}

func size() int {
	sb := bufPool.Get().(*strings.Builder)
	n := sb.Len() // want `"sb" from bufPool.Get`
	bufPool.Put(sb)
	return n
}

var linePool = sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}

func line(data []byte) int {
	bp := linePool.Get().(*[]byte)
	*bp = append(*bp, data...) // want `"bp" from linePool.Get\(\) at line 38 is used at line 39 before bp = bp\[:0\]`
	n := len(*bp)
	linePool.Put(bp)
	return n
}

var intPool sync.Pool

func sum(xs []int) int {
	s, _ := intPool.Get().([]int)
	s = append(s, xs...) // want `"s" from intPool.Get`
	t := 0
	for _, x := range s {
		t += x
	}
	intPool.Put(&s)
	return t
}

type codec struct {
	bufs sync.Pool
}

func (c *codec) encode(v any) ([]byte, error) {
	b := c.bufs.Get().(*strings.Builder)
	err := json.NewEncoder(b).Encode(v) // want `"b" from c.bufs.Get\(\)`
	out := []byte(b.String())
	c.bufs.Put(b)
	return out, err
}

func (c *codec) name(s string) string {
	b := c.bufs.Get().(*strings.Builder)
	b.WriteString(strings.ToUpper(s)) // want `"b" from c.bufs.Get\(\)`
	r := b.String()
	c.bufs.Put(b)
	return r
}

var logPool sync.Pool

func logLine(level, msg string) string {
	var b *strings.Builder
	b, _ = logPool.Get().(*strings.Builder)
	b.WriteString(level) // want `"b" from logPool.Get`
	b.WriteString(msg)
	out := b.String()
	logPool.Put(b)
	return out
}

func putBack(b *strings.Builder) {
	logPool.Put(b)
}

func header(k, v string) string {
	var b = bufPool.Get().(*strings.Builder)
	b.WriteString(k) // want `"b" from bufPool.Get`
	b.WriteString(": " + v)
	s := b.String()
	bufPool.Put(b)
	return s
}

func pair(a, c string) string {
	sb := bufPool.Get().(*strings.Builder)
	// comment lines do not count
	fmt.Fprint(sb, a, c) // want `used at line 106`
	s := sb.String()
	bufPool.Put(sb)
	return s
}

// The positive twin of negatives.go's scratchPool: one user writes the header back
// (`*p = b`) without truncating, so pooled headers carry the previous user's bytes and the
// next copy appends after them.
var headerPool = sync.Pool{New: func() any { b := make([]byte, 0, 64); return &b }}

func joinKept(service, name string) string {
	p := headerPool.Get().(*[]byte)
	b := append(*p, service...) // want `"p" from headerPool.Get\(\) at line \d+ is used at line \d+ before p = p\[:0\], and headerPool.Put\(p\) at line \d+ puts values back without resetting them`
	b = append(b, name...)
	*p = b
	headerPool.Put(p)
	return string(b)
}
