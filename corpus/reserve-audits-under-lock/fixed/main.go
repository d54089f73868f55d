package main

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

type Inventory struct {
	mu    sync.Mutex
	stock map[string]int
	audit *Auditor
}

type Auditor struct {
	queue chan string
	inv   *Inventory
	log   []string
	done  chan struct{}
}

func (a *Auditor) Record(ev string) {
	a.queue <- ev
}

func (a *Auditor) run() {
	for ev := range a.queue {
		time.Sleep(5 * time.Millisecond) // format the event
		sku := ev[strings.LastIndex(ev, " ")+1:]
		a.log = append(a.log, fmt.Sprintf("%s (left %d)", ev, a.inv.Level(sku)))
	}
	close(a.done)
}

func (inv *Inventory) Level(sku string) int {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	return inv.stock[sku]
}

func (inv *Inventory) Reserve(sku string) {
	inv.mu.Lock()
	inv.stock[sku]--
	inv.mu.Unlock()
	inv.audit.Record("reserve " + sku)
}

func main() {
	for w := 0; w < 3; w++ {
		inv := &Inventory{stock: map[string]int{"lamp": 9, "desk": 4}}
		a := &Auditor{queue: make(chan string, 1), inv: inv, done: make(chan struct{})}
		inv.audit = a
		go a.run()
		go func(warehouse int) {
			for _, sku := range []string{"lamp", "desk", "lamp", "lamp"} {
				inv.Reserve(sku)
			}
			close(a.queue)
			<-a.done
			fmt.Println("warehouse", warehouse, len(a.log), "audit lines")
		}(w)
	}
	select {}
}
