package a

// Issue 11, family 7: buffers whose contents the code bounds are not a memory risk.

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"sync"
)

var numPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Only ever holds a formatted number.
func formatID(id int64, shard int) string {
	b := numPool.Get().(*bytes.Buffer)
	defer numPool.Put(b)
	b.Reset()
	b.WriteString("id-")
	b.WriteString(strconv.FormatInt(id, 10))
	b.WriteByte('/')
	fmt.Fprintf(b, "%04d", shard)
	return b.String()
}

const maxLine = 120

// A log line capped before it is written.
func logLine(w io.Writer, line string) {
	if len(line) > maxLine {
		line = line[:maxLine]
	}
	b := numPool.Get().(*bytes.Buffer)
	b.Reset()
	b.WriteString(line)
	b.WriteByte('\n')
	_, _ = w.Write(b.Bytes())
	numPool.Put(b)
}

// At most a header's worth of a reader.
func peekHeader(r io.Reader) ([]byte, error) {
	b := numPool.Get().(*bytes.Buffer)
	defer numPool.Put(b)
	b.Reset()
	if _, err := io.Copy(b, io.LimitReader(r, 512)); err != nil {
		return nil, err
	}
	return bytes.Clone(b.Bytes()), nil
}

var digitPool = sync.Pool{New: func() any { b := make([]byte, 0, 20); return &b }}

// A pooled *[]byte that only holds a tag and a formatted number.
func appendNum(dst []byte, n uint64) []byte {
	bp := digitPool.Get().(*[]byte)
	*bp = append((*bp)[:0], '#', byte('0'+n%10))
	dst = append(dst, *bp...)
	*bp = strconv.AppendUint((*bp)[:0], n, 10)
	dst = append(dst, *bp...)
	digitPool.Put(bp)
	return dst
}

// The twins: the same writes inside a loop, and an uncapped line, grow with the input.
func formatIDs(ids []int64) string {
	b := numPool.Get().(*bytes.Buffer)
	defer numPool.Put(b) // want `numPool.Put at line 69 returns buffer "b" to the pool whatever its capacity`
	b.Reset()
	for _, id := range ids {
		b.WriteString(strconv.FormatInt(id, 10))
		b.WriteByte(',')
	}
	return b.String()
}

func logLineUncapped(w io.Writer, line string) {
	b := numPool.Get().(*bytes.Buffer)
	b.Reset()
	b.WriteString(line)
	_, _ = w.Write(b.Bytes())
	numPool.Put(b) // want `numPool.Put at line 83 returns buffer "b"`
}

func fprintName(name string) string {
	b := numPool.Get().(*bytes.Buffer)
	defer numPool.Put(b) // want `returns buffer "b"`
	b.Reset()
	fmt.Fprintf(b, "name=%s", name)
	return b.String()
}

// A buffer that a helper took from the pool and grew to a size read from the input: the
// Put here writes nothing, but the buffer is as large as the input made it.
func sized(n int) *bytes.Buffer {
	b := numPool.Get().(*bytes.Buffer)
	b.Reset()
	b.Grow(n)
	return b
}

func decodeSized(n int) int {
	b := sized(n)
	defer numPool.Put(b) // want `numPool.Put at line 105 returns buffer "b"`
	return b.Len()
}
