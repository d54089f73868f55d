package main

import (
	"fmt"
	"sync"
	"time"
)

type Mailbox struct {
	mu   sync.Mutex
	cond *sync.Cond
	msgs []string
}

func NewMailbox() *Mailbox {
	m := &Mailbox{}
	m.cond = sync.NewCond(&m.mu)
	return m
}

func (m *Mailbox) DeliverAll(msgs []string) {
	m.mu.Lock()
	m.msgs = append(m.msgs, msgs...)
	m.mu.Unlock()
	m.cond.Signal()
}

func (m *Mailbox) Receive() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	for len(m.msgs) == 0 {
		m.cond.Wait()
	}
	msg := m.msgs[0]
	m.msgs = m.msgs[1:]
	return msg
}

func main() {
	m := NewMailbox()
	for i := 0; i < 4; i++ {
		go func(worker int) {
			fmt.Println("worker", worker, "handles", m.Receive())
		}(i)
	}
	time.Sleep(30 * time.Millisecond) // workers are idle, waiting for mail
	m.DeliverAll([]string{"invoice-1", "invoice-2", "invoice-3", "invoice-4"})
	select {}
}
