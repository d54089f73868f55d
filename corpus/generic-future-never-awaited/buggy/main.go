package main

import (
	"fmt"
	"time"
)

type Future[T any] struct {
	ch chan T
}

func Async[T any](f func() T) *Future[T] {
	fut := &Future[T]{ch: make(chan T)}
	go func() {
		fut.ch <- f()
	}()
	return fut
}

func (f *Future[T]) Await() T { return <-f.ch }

type AuditRecord struct {
	User   string
	Action string
	At     time.Time
}

func writeAudit(r AuditRecord) int {
	return len(r.User) + len(r.Action)
}

func handle(user, action string, debug bool) {
	audit := Async(func() int { return writeAudit(AuditRecord{User: user, Action: action, At: time.Now()}) })
	fmt.Println(user, action, "ok")
	if debug {
		fmt.Println("audit bytes:", audit.Await())
	}
}

func main() {
	handle("ada", "login", true)
	for _, u := range []string{"grace", "alan", "edsger", "barbara", "ken"} {
		handle(u, "view", false)
	}
	select {}
}
