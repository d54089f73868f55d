package a

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/signal"
	"sync"
	"time"
)

// deferClose: closed in a defer on every path.
func deferClose(items []job) error {
	done := make(chan struct{})
	defer close(done)
	go func() {
		<-done
		log.Println("finished")
	}()
	for _, it := range items {
		if err := process(it); err != nil {
			return err
		}
	}
	return nil
}

// helperCloses: closed by a same-package helper the channel is passed to.
func helperCloses() {
	done := make(chan struct{})
	go func() {
		<-done
	}()
	finish(done)
}

func finish(c chan struct{}) { close(c) }

// otherGoroutineCloses: closed by another goroutine.
func otherGoroutineCloses(items []job) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = process(it)
		}()
	}
	go func() {
		wg.Wait()
		close(done)
	}()
	go func() {
		<-done
		log.Println("all done")
	}()
}

// sentEveryPath: every path sends.
func sentEveryPath(path string) {
	res := make(chan error)
	go func() {
		if err := <-res; err != nil {
			log.Println(err)
		}
	}()
	_, err := os.Stat(path)
	if err != nil {
		res <- err
		return
	}
	res <- nil
}

// ctxSelect: the receive also selects on ctx.Done().
func ctxSelect(ctx context.Context) {
	in := make(chan int)
	go func() {
		select {
		case v := <-in:
			fmt.Println(v)
		case <-ctx.Done():
		}
	}()
}

// doneSelect: a done channel that is closed.
func doneSelect() {
	in := make(chan int)
	quit := make(chan struct{})
	go func() {
		for {
			select {
			case v := <-in:
				fmt.Println(v)
			case <-quit:
				return
			}
		}
	}()
	close(quit)
}

// returned: the channel escapes to the caller, who may send.
func returned() chan int {
	ch := make(chan int)
	go func() {
		fmt.Println(<-ch)
	}()
	return ch
}

type server struct{ reqs chan int }

// push sends on the field the channel is stored in.
func (s *server) push(v int) { s.reqs <- v }

// stored: the channel is stored in a field; another method sends on it.
func (s *server) stored() {
	ch := make(chan int)
	s.reqs = ch
	go func() {
		fmt.Println(<-ch)
	}()
}

// timers: time.After and ticker.C fire on their own.
func timers() {
	t := time.NewTicker(time.Second)
	go func() {
		defer t.Stop()
		<-t.C
		<-time.After(time.Second)
	}()
}

// notified: signal.Notify sends on the channel.
func notified() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	go func() {
		s := <-sigs
		log.Println("got", s)
	}()
}

// senderGoroutine: another goroutine sends.
func senderGoroutine() {
	ch := make(chan int)
	go func() { ch <- 42 }()
	go func() { fmt.Println(<-ch) }()
}

// sentBeforeGo: a buffered send before the goroutine starts.
func sentBeforeGo() {
	ch := make(chan int, 1)
	ch <- 1
	go func() { fmt.Println(<-ch) }()
}

// helperSends: a same-package helper sends on the channel.
func helperSends() {
	ch := make(chan string)
	go func() { fmt.Println(<-ch) }()
	produce(ch)
}

func produce(out chan<- string) { out <- "hello" }

// sentOnChannel: the channel itself is handed over on another channel.
func sentOnChannel(reg chan chan int) {
	ch := make(chan int)
	reg <- ch
	go func() { fmt.Println(<-ch) }()
}

// panicsOtherwise: the other path panics, it does not return.
func panicsOtherwise(ok bool) {
	ch := make(chan int)
	go func() { fmt.Println(<-ch) }()
	if !ok {
		panic("not ok")
	}
	ch <- 1
}

// closureCloses: a cleanup closure closes the channel.
func closureCloses() func() {
	stop := make(chan struct{})
	go func() { <-stop }()
	return func() { close(stop) }
}

// receiveInFunc: the making function receives itself (not a goroutine receive).
func receiveInFunc() {
	ch := make(chan int, 1)
	go func() { ch <- 1 }()
	fmt.Println(<-ch)
}

// madeInsideGoroutineSent: the goroutine makes the channel and a nested goroutine sends.
func madeInsideGoroutineSent() {
	go func() {
		reply := make(chan string)
		go func() { reply <- "pong" }()
		log.Println(<-reply)
	}()
}

// helperWaitsSignalled: the helper goroutine is released by a close.
func helperWaitsSignalled() {
	ready := make(chan struct{})
	go awaitReady(ready)
	close(ready)
}
