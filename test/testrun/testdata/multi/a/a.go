// Package a leaks a goroutine per call of Subscribe.
package a

// Subscribe delivers events to f until the channel is closed; nobody closes it.
func Subscribe(f func(string)) chan<- string {
	ch := make(chan string)
	go func() {
		for e := range ch { // site: subscribe
			f(e)
		}
	}()
	return ch
}
