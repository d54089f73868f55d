package a

import (
	"bytes"
	"sync"
)

// bufferPool and GetBuffer are the seed article's chapter 4.3 example, verbatim: the
// Get side resets ("必须重置,否则内容累积"), so the pool is clean.
var bufferPool = sync.Pool{
	New: func() interface{} {
		return new(bytes.Buffer)
	},
}

func GetBuffer() *bytes.Buffer {
	b := bufferPool.Get().(*bytes.Buffer)
	b.Reset() // 必须重置,否则内容累积
	return b
}

// The seed's "若省略此步" case: the same pool with the Reset omitted on both sides.
var seedPool = sync.Pool{
	New: func() interface{} {
		return new(bytes.Buffer)
	},
}

func seedNoReset(msg string) string {
	b := seedPool.Get().(*bytes.Buffer)
	b.WriteString(msg) // want `"b" from seedPool.Get\(\) at line 30 is used at line 31 before b.Reset\(\), and seedPool.Put\(b\) at line 33 puts values back without resetting them`
	s := b.String()
	seedPool.Put(b)
	return s
}
