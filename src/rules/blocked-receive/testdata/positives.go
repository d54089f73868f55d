package a

import (
	"errors"
	"fmt"
	"log"
	"os"
)

type job struct{ id int }

func process(j job) error {
	if j.id < 0 {
		return errors.New("bad job")
	}
	return nil
}

// waitForStart waits for a start signal that is never sent.
func waitForStart(jobs []job) {
	start := make(chan struct{})
	for _, j := range jobs {
		go func() {
			<-start // want "blocks forever receiving from \"start\""
			_ = process(j)
		}()
	}
}

// okRecv uses the two-value receive form; still nobody sends or closes.
func okRecv() {
	results := make(chan error, 1)
	go func() {
		err, ok := <-results // want "receiving from \"results\""
		if ok && err != nil {
			log.Println(err)
		}
	}()
}

// loopRecv: a consumer goroutine loops on a channel nothing feeds.
func loopRecv() {
	events := make(chan string)
	go func() {
		for {
			e := <-events // want "receiving from \"events\""
			fmt.Println(e)
		}
	}()
}

// earlyReturn sends on the happy path only: the error return abandons the reader.
func earlyReturn(path string) error {
	data := make(chan []byte)
	go func() {
		b := <-data // want "can return at line 61 without sending on or closing \"data\""
		fmt.Println(len(b))
	}()
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	data <- raw
	return nil
}

// earlyReturnClose closes only at the end of the function.
func earlyReturnClose(items []job) error {
	done := make(chan struct{})
	go func() {
		<-done // want "can return at line 76 without sending on or closing \"done\""
		log.Println("all processed")
	}()
	for _, it := range items {
		if err := process(it); err != nil {
			return err
		}
	}
	close(done)
	return nil
}

// namedClosure starts a local closure variable as a goroutine.
func namedClosure() {
	quit := make(chan bool)
	waiter := func() {
		if <-quit { // want "receiving from \"quit\""
			log.Println("quit")
		}
	}
	go waiter()
}

// singleCaseSelect: a select with one case blocks like a plain receive.
func singleCaseSelect() {
	ready := make(chan int)
	go func() {
		select {
		case n := <-ready: // want "receiving from \"ready\""
			fmt.Println(n)
		}
	}()
}

// allDeadSelect: neither channel is ever sent on or closed.
func allDeadSelect() {
	in := make(chan int)
	stop := make(chan struct{})
	go func() {
		for {
			select { // want "blocks forever in the select at line 111: none of its channels \\(\"in\", \"stop\"\\)"
			case v := <-in:
				fmt.Println(v)
			case <-stop:
				return
			}
		}
	}()
}

// helperOnlyReads passes the channel to a helper that only receives.
func helperOnlyReads() {
	sig := make(chan int)
	go func() {
		v := <-sig // want "receiving from \"sig\""
		fmt.Println(v)
	}()
	drain(sig)
}

func drain(c chan int) {
	select {
	case <-c:
	default:
	}
}

// buffered: a buffer does not help a receiver when nothing is ever sent.
func buffered() {
	acks := make(chan int, 8)
	go func() {
		log.Println(<-acks) // want "receiving from \"acks\""
	}()
}

// panicPathIsFine but the error return is not.
func switchReturn(kind string) error {
	reply := make(chan string)
	go func() {
		fmt.Println(<-reply) // want "can return at line 158 without sending"
	}()
	switch kind {
	case "a":
		reply <- "A"
	case "b":
		reply <- "B"
	default:
		return fmt.Errorf("unknown kind %q", kind)
	}
	return nil
}

// madeInsideGoroutine: the goroutine makes the channel and waits on it itself
// (runtime/testdata/testgoroutineleakprofile, GoKer-style).
func madeInsideGoroutine() {
	go func() {
		reply := make(chan string)
		log.Println(<-reply) // want "receiving from \"reply\""
	}()
}

func awaitReady(ready <-chan struct{}) {
	<-ready
	log.Println("ready")
}

// helperWaits: a same-package goroutine waits on a channel nothing signals.
func helperWaits() {
	ready := make(chan struct{})
	go awaitReady(ready) // want "goroutine awaitReady blocks forever receiving from \"ready\" \\(positives.go:173\\)"
}

// literalParam: the goroutine literal receives through its parameter.
func literalParam() {
	start := make(chan bool)
	go func(c <-chan bool) {
		<-c
	}(start) // want "the goroutine blocks forever receiving from \"start\" \\(line 187\\)"
}
