// Positives for range-never-closed: loops over channels that nothing closes.
package a

import (
	"fmt"
	"log"
	"strings"
	"sync"
)

// seedRangeNotClosed: seed §2.2 lists "range遍历未关闭的channel" (range over a
// channel that is never closed) among the goroutine pile-up patterns; this is
// that pattern in its smallest form.
func seedRangeNotClosed() {
	ch := make(chan int)
	go func() {
		for v := range ch { // want "range over \"ch\" at line 17 never ends: nothing closes \"ch\""
			fmt.Println(v)
		}
	}()
	for i := 0; i < 3; i++ {
		ch <- i
	}
}

// forgotClose: the producer goroutine never closes, so the consumer in the
// function itself blocks forever after three values.
func forgotClose() []int {
	out := make(chan int)
	go func() {
		for i := 0; i < 3; i++ {
			out <- i
		}
	}()
	var got []int
	for v := range out { // want "range over \"out\" .* so forgotClose itself blocks forever"
		got = append(got, v)
	}
	return got
}

// waitGroupNoClose: the classic fan-in that waits but never closes.
func waitGroupNoClose(urls []string) []string {
	results := make(chan string)
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- strings.ToUpper(u)
		}()
	}
	var all []string
	for r := range results { // want "range over \"results\""
		all = append(all, r)
	}
	wg.Wait()
	return all
}

func worker(id int, jobs <-chan string, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range jobs {
		log.Println(id, j)
	}
}

// workerPool: workers range over jobs; the dispatcher never closes it.
func workerPool(items []string) {
	jobs := make(chan string, len(items))
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go worker(i, jobs, &wg) // want "\"jobs\" is ranged over by worker .* but nothing closes \"jobs\""
	}
	for _, it := range items {
		jobs <- it
	}
	wg.Wait()
}

// bufferedNoClose: a buffer does not end a range.
func bufferedNoClose() int {
	nums := make(chan int, 10)
	for i := 0; i < 10; i++ {
		nums <- i
	}
	sum := 0
	for n := range nums { // want "range over \"nums\""
		sum += n
	}
	return sum
}

// noSenderAtAll: ranging over a channel nobody touches.
func noSenderAtAll() {
	events := make(chan string)
	go func() {
		for e := range events { // want "range over \"events\""
			log.Println(e)
		}
	}()
}

// rangeNoVar: `for range ch` counts the values and still needs a close.
func rangeNoVar() int {
	ticks := make(chan struct{})
	go func() {
		for i := 0; i < 5; i++ {
			ticks <- struct{}{}
		}
	}()
	n := 0
	for range ticks { // want "range over \"ticks\""
		n++
	}
	return n
}

// continueIsNotAnExit: continue goes back to the range.
func continueIsNotAnExit(lines []string) {
	ch := make(chan string)
	go func() {
		for l := range ch { // want "range over \"ch\""
			if l == "" {
				continue
			}
			fmt.Println(l)
		}
	}()
	for _, l := range lines {
		ch <- l
	}
}

// innerBreak: a break inside a nested switch leaves the switch, not the range.
func innerBreak(words []string) {
	ch := make(chan string)
	go func() {
		for w := range ch { // want "range over \"ch\""
			switch w {
			case "skip":
				break
			default:
				fmt.Println(w)
			}
		}
	}()
	for _, w := range words {
		ch <- w
	}
}

// helperSendsOnly: the helper sends but does not close.
func helperSendsOnly() {
	lines := make(chan string)
	go emit(lines)
	for l := range lines { // want "range over \"lines\""
		fmt.Println(l)
	}
}

func emit(out chan<- string) {
	for _, s := range []string{"a", "b"} {
		out <- s
	}
}

type stage struct{ name string }

// methodRanger: a same-package method ranges over the parameter.
func (s *stage) run(in <-chan int) {
	for v := range in {
		log.Println(s.name, v)
	}
}

func pipeline(vals []int) {
	in := make(chan int)
	s := &stage{name: "print"}
	go s.run(in) // want "\"in\" is ranged over by stage.run"
	for _, v := range vals {
		in <- v
	}
}

// literalParamRange: the goroutine literal ranges over its parameter.
func literalParamRange(vals []int) {
	in := make(chan int)
	go func(c <-chan int) {
		for v := range c {
			fmt.Println(v)
		}
	}(in) // want "\"in\" is ranged over by the function literal \\(line 191\\)"
	for _, v := range vals {
		in <- v
	}
}

// numbers is a generator that never closes the channel it returns
// (corpus case producer-never-closes).
func numbers(n int) <-chan int {
	ch := make(chan int)
	go func() {
		for i := 0; i < n; i++ {
			ch <- i
		}
	}()
	return ch
}

// rangeGenerator ranges over the generator's channel: it never ends.
func rangeGenerator() int {
	total := 0
	for v := range numbers(4) { // want "range over the channel returned by numbers\\(\\) at line 215 never ends: numbers \\(positives.go:203\\) makes \"ch\" and returns it without ever closing it"
		total += v
	}
	return total
}

// Ticks is a named channel type: a generator may return it.
type Ticks <-chan int

// ticks returns its channel as the named type Ticks (declared in another file would do too).
func ticks(n int) Ticks {
	ch := make(chan int, n)
	go func() {
		for i := 0; i < n; i++ {
			ch <- i
		}
	}()
	return ch
}

// rangeNamedGenerator ranges over a generator whose result is a named channel type.
func rangeNamedGenerator() (total int) {
	for v := range ticks(2) { // want "range over the channel returned by ticks\\(\\) at line 237 never ends: ticks \\(positives.go:226\\) makes \"ch\""
		total += v
	}
	return total
}

// parenResult's single result is written in parentheses.
func parenResult() (<-chan string) {
	out := make(chan string)
	go func() { out <- "x" }()
	return out
}

// rangeParenResult ranges over it.
func rangeParenResult() {
	for s := range parenResult() { // want "range over the channel returned by parenResult\\(\\)"
		_ = s
	}
}
