// Package stackdep reports its callers, like a panic catcher that records them.
package stackdep

import (
	"runtime"
	"strings"
)

// Callers returns the function names on the stack above it, outermost last.
func Callers() string {
	pcs := make([]uintptr, 32)
	n := runtime.Callers(2, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	var names []string
	for {
		f, more := frames.Next()
		names = append(names, f.Function)
		if !more {
			break
		}
	}
	return strings.Join(names, "\n")
}
