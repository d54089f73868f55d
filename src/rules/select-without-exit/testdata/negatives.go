package a

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"
)

// Negative: seed §2.5 "回收机制": each worker listens on ctx.Done() and returns.
func worker(ctx context.Context, id int) {
	for {
		select {
		case <-ctx.Done():
			fmt.Println("worker", id, "exit")
			return
		default:
			time.Sleep(10 * time.Millisecond)
		}
	}
}

func seedWorkers() {
	ctx, cancel := context.WithCancel(context.Background())
	for i := 0; i < 5; i++ {
		go worker(ctx, i)
	}
	cancel() // 触发所有worker退出
}

// Negative: a quit channel case returns.
func withQuit(quit <-chan struct{}, in <-chan int) {
	go func() {
		for {
			select {
			case <-quit:
				return
			case v := <-in:
				fmt.Println(v)
			}
		}
	}()
}

// Negative: closed-channel ok check returns.
func okCheck(in <-chan int) {
	go func() {
		for {
			select {
			case v, ok := <-in:
				if !ok {
					return
				}
				fmt.Println(v)
			}
		}
	}()
}

// Negative: labelled break out of the loop.
func labelled(done <-chan struct{}, in <-chan int) {
	go func() {
	loop:
		for {
			select {
			case <-done:
				break loop
			case <-in:
			}
		}
		fmt.Println("stopped")
	}()
}

// Negative: a default case returns.
func drainNonBlocking(in <-chan int) {
	go func() {
		for {
			select {
			case v := <-in:
				fmt.Println(v)
			default:
				return
			}
		}
	}()
}

// Negative: goto out of the loop.
func gotoOut(done <-chan struct{}, in <-chan int) {
	go func() {
		for {
			select {
			case <-done:
				goto out
			case <-in:
			}
		}
	out:
		fmt.Println("out")
	}()
}

// Negative: a call that never returns ends the goroutine.
func fatal(errs <-chan error, in <-chan int) {
	go func() {
		for {
			select {
			case err := <-errs:
				fmt.Println(err)
				os.Exit(1)
			case <-in:
			}
		}
	}()
}

// Negative: panics on error.
func panics(errs <-chan error) {
	go func() {
		for {
			select {
			case err := <-errs:
				panic(err)
			}
		}
	}()
}

// Negative: range over the channel ends when it is closed.
func rangeLoop(in <-chan int) {
	go func() {
		for v := range in {
			select {
			case <-time.After(time.Second):
			default:
				fmt.Println(v)
			}
		}
	}()
}

// Negative: a loop with a condition.
func condLoop(in <-chan int) {
	go func() {
		n := 0
		for n < 10 {
			select {
			case <-in:
				n++
			}
		}
	}()
}

// Negative: not in a goroutine (the caller blocks, a different concern).
func syncLoop(in <-chan int) {
	for {
		select {
		case <-in:
		}
	}
}

var once sync.Once

// Negative: a process-wide daemon started once.
func startDaemon(in <-chan int) {
	once.Do(func() {
		go func() {
			for {
				select {
				case <-in:
				}
			}
		}()
	})
}

func init() {
	ch := make(chan int)
	go func() {
		for {
			select {
			case <-ch:
			}
		}
	}()
}

// Negative: the return is in a nested if.
func nestedReturn(ctx context.Context, in <-chan error) {
	go func() {
		for {
			select {
			case err := <-in:
				if errors.Is(err, context.Canceled) {
					return
				}
			case <-ctx.Done():
				if ctx.Err() != nil {
					return
				}
			}
		}
	}()
}

type srv struct{ quit chan struct{} }

// Negative: a method loop that returns on quit, started with go.
func (s *srv) Start() { go s.run() }

func (s *srv) run() {
	for {
		select {
		case <-s.quit:
			return
		}
	}
}
