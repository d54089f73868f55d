// Package failing has a test that fails for a reason other than a leak.
package failing

// Add adds badly.
func Add(a, b int) int { return a - b }
