// Positives for nil-channel-op: operations on channels that are always nil.
package a

import (
	"fmt"
	"log"
	"time"
)

type result struct {
	n   int
	err error
}

// forgotMake: declared but never made; the goroutine blocks on the send.
func forgotMake() {
	var done chan struct{}
	go func() {
		time.Sleep(time.Millisecond)
		done <- struct{}{} // want "send on nil channel \"done\" at line 20 blocks forever: \"done\" is declared at line 17 \\(chan struct{}\\) and never assigned"
	}()
	<-done // want "receive from nil channel \"done\""
}

// rangeNil: ranging over a nil channel never yields and never ends.
func rangeNil() {
	var events chan string
	for e := range events { // want "range over nil channel \"events\""
		log.Println(e)
	}
}

// explicitNil: "= nil" is the same thing.
func explicitNil() int {
	var ch chan int = nil
	return <-ch // want "receive from nil channel \"ch\""
}

// groupDecl: declared in a var block.
func groupDecl() {
	var (
		results chan result
		count   int
	)
	count++
	go func() {
		results <- result{n: count} // want "send on nil channel \"results\""
	}()
}

// twoNames: one of two channels declared together is never made.
func twoNames() {
	var in, out chan int
	in = make(chan int, 1)
	in <- 1
	go func() {
		out <- <-in // want "send on nil channel \"out\""
	}()
}

// recvOnlyType: a receive-only channel variable that is never assigned.
func recvOnlyType() {
	var updates <-chan int
	go func() {
		for u := range updates { // want "range over nil channel \"updates\""
			fmt.Println(u)
		}
	}()
}

// okForm: the two-value receive blocks the same way.
func okForm() bool {
	var quit chan bool
	_, ok := <-quit // want "receive from nil channel \"quit\""
	return ok
}

// inLoop: a nil channel inside a polling loop.
func inLoop(n int) {
	var tick chan time.Time
	for i := 0; i < n; i++ {
		<-tick // want "receive from nil channel \"tick\""
		fmt.Println(i)
	}
}

// singleCaseSelectSend: a send outside any select.
func sendOnly(v int) {
	var sink chan<- int
	sink <- v // want "send on nil channel \"sink\""
}

// closureUse: the closure uses the captured nil channel.
func closureUse() func() int {
	var c chan int
	return func() int {
		return <-c // want "receive from nil channel \"c\""
	}
}

// comparedButNil: a nil check does not make it non-nil.
func comparedButNil() {
	var errs chan error
	if errs != nil {
		log.Println("never")
	}
	go func() {
		errs <- fmt.Errorf("boom") // want "send on nil channel \"errs\""
	}()
}
