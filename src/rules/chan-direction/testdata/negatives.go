package a

// Negative: seed §3.2 verbatim: already directional.
func processData2(in <-chan int, out chan<- string) {
	for num := range in {
		out <- string(rune(num))
	}
	close(out)
}

// Negative: exported (API compatibility).
func Produce(out chan int) {
	out <- 1
}

type box struct{}

// Negative: a method (may implement an interface).
func (box) put(out chan int) { out <- 1 }

// Negative: both directions.
func echo(c chan int) {
	v := <-c
	c <- v
}

// Negative: passed on to another function.
func relayTo(c chan int) {
	producer(c, 1)
}

// Negative: stored in a struct.
type holder struct{ c chan int }

func store(c chan int) *holder { return &holder{c: c} }

// Negative: set to nil to disable a select case.
func disable(c chan int) {
	for c != nil {
		select {
		case _, ok := <-c:
			if !ok {
				c = nil
			}
		}
	}
}

// Negative: used as a func value, so its type must not change.
func sink(c chan int) { c <- 1 }

var sinks = []func(chan int){sink}

// Negative: not used at all.
func unused(c chan int) {}

// Negative: returned.
func passthrough(c chan int) chan int { return c }

// Negative: captured by a goroutine and passed to a call there.
func spawn(c chan int) {
	go func() { relayTo(c) }()
}

// Negative: main and init are not called by user code but stay as they are.
func init() {
	use(sinks)
}

func use(x any) {}

// Negative: a variadic channel parameter.
func many(cs ...chan int) {
	for _, c := range cs {
		c <- 1
	}
}
