package a

import "sync"

// Stdlib triage family (sync/pool_test.go): constants convert to interfaces from static
// data, so Put of a constant does not allocate.
var constPool sync.Pool

const greeting = "hello"

func putConstants() {
	constPool.Put("a")
	constPool.Put(greeting)
	constPool.Put(`raw`)
}
