// Package testmainhelper uses a shared TestMain helper from another package.
package testmainhelper

// Spawn starts a goroutine that blocks on ch.
func Spawn(ch chan int) {
	go func() { <-ch }()
}
