package a

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync"
)

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render writes arbitrary user data into a pooled buffer and puts it back unchecked.
func render(v any) ([]byte, error) {
	b := bufPool.Get().(*bytes.Buffer)
	b.Reset()
	if err := json.NewEncoder(b).Encode(v); err != nil {
		bufPool.Put(b) // want `bufPool.Put at line 17 returns buffer "b" to the pool whatever its capacity`
		return nil, err
	}
	out := append([]byte(nil), b.Bytes()...)
	bufPool.Put(b) // want `returns buffer "b"`
	return out, nil
}

func putBuffer(b *bytes.Buffer) {
	b.Reset()
	bufPool.Put(b) // want `returns buffer "b"`
}

var sbPool = sync.Pool{New: func() any { return new(strings.Builder) }}

func join(parts []string) string {
	sb := sbPool.Get().(*strings.Builder)
	sb.Reset()
	for _, p := range parts {
		sb.WriteString(p)
	}
	s := sb.String()
	sbPool.Put(sb) // want `returns buffer "sb"`
	return s
}

var linePool = sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}

func appendLine(data []byte) int {
	bp := linePool.Get().(*[]byte)
	*bp = append((*bp)[:0], data...)
	n := len(*bp)
	linePool.Put(bp) // want `returns slice "bp"`
	return n
}

func appendLocal(data []byte) {
	bp := linePool.Get().(*[]byte)
	buf := (*bp)[:0]
	buf = append(buf, data...)
	*bp = buf
	linePool.Put(&buf) // want `returns slice "buf"`
}

type encoder struct {
	pool sync.Pool
}

func (e *encoder) encode(v string) {
	b := e.pool.Get().(*bytes.Buffer)
	b.Reset()
	b.WriteString(v)
	e.pool.Put(b) // want `e.pool.Put at line 69 returns buffer "b"`
}

type state struct {
	buf *bytes.Buffer
}

var statePool sync.Pool

func (s *state) release() {
	s.buf.Reset()
	bufPool.Put(s.buf) // want `returns buffer "s.buf"`
}

func fields(line string) []string {
	fp := linePool.Get().(*[]byte)
	*fp = append(*fp, line...)
	defer linePool.Put(fp) // want `returns slice "fp"`
	return strings.Fields(string(*fp))
}

func collect(items []string) {
	b := bufPool.Get().(*bytes.Buffer)
	defer bufPool.Put(b) // want `returns buffer "b"`
	b.Reset()
	for _, it := range items {
		b.WriteString(it)
	}
}

func releaseState(s *state) {
	statePool.Put(s)
	putBuffer(s.buf)
}
