// Locals and parameters named like a channel field are not the field: the rule resolves
// the operand of each operation (a selector on a value of the struct type) and never
// matches by name. Each negative shares its name with a field that nothing assigns.
package a

type fetcher struct {
	done     chan<- bool
	canFetch chan chan bool
	stop     chan struct{}
}

// loop receives the reply channel in a select case and sends on it: the local "done" holds
// the buffered channel the asker made, not the field.
func (f *fetcher) loop() {
	for {
		select {
		case done := <-f.canFetch:
			done <- false
		case <-f.stop:
			return
		}
	}
}

// reply has a parameter named like the field.
func (f *fetcher) reply(done chan<- bool) {
	done <- true
}

// replyLocal declares a local named like the field.
func (f *fetcher) replyLocal() bool {
	done := make(chan bool, 1)
	go func() { done <- true }()
	return <-done
}

func (f *fetcher) ask() bool {
	c := make(chan bool, 20)
	f.canFetch <- c
	go f.reply(c)
	return <-c
}

func newFetcher() *fetcher {
	f := &fetcher{canFetch: make(chan chan bool), stop: make(chan struct{})}
	go f.loop()
	return f
}

// uncalledParam: a parameter of a function nothing in the package calls is of unknown origin.
type uncalledParam struct {
	ready chan int
}

func (u *uncalledParam) wait(ready chan int) int {
	return <-ready
}

func (u *uncalledParam) start() {
	go func() { u.use() }()
}

func (u *uncalledParam) use() {}

// realField: the same shapes next to a real use of a never-assigned field.
type realField struct {
	done chan<- bool
}

func (r *realField) finish(done chan<- bool) {
	done <- true
	r.done <- true // want "send on nil channel field \"done\" of realField"
}

func startReal() {
	r := &realField{}
	c := make(chan bool, 1)
	go r.finish(c)
	<-c
}
