// Package testmainmethod runs its tests through a method value of *testing.M
// (run := m.Run); leakscope rewrites the method value too.
package testmainmethod

// Spawn starts a goroutine that blocks on ch.
func Spawn(ch chan int) {
	go func() { <-ch }()
}
