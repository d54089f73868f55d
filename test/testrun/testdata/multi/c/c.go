// Package c has no tests.
package c

// Start starts a goroutine that never ends.
func Start() { go func() { select {} }() }
