// Package broken does not compile.
package broken

// Size returns a string where an int is expected.
func Size() int {
	return "large" // compile error
}
