package main

import (
	"fmt"
	"sync"
)

type Inventory struct {
	mu    sync.Mutex
	stock map[string]int
	holds map[string]int
}

func NewInventory() *Inventory {
	return &Inventory{
		stock: map[string]int{"widget": 3, "gadget": 1, "gizmo": 2},
		holds: map[string]int{},
	}
}

func (inv *Inventory) Reserve(order string, items []string) int {
	reserved := 0
	for _, it := range items {
		inv.mu.Lock()
		defer inv.mu.Unlock()
		if inv.stock[it] > 0 {
			inv.stock[it]--
			inv.holds[order]++
			reserved++
		}
	}
	return reserved
}

func (inv *Inventory) Held(order string) int {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	return inv.holds[order]
}

func main() {
	for w := 0; w < 5; w++ {
		inv := NewInventory()
		go func(id int) {
			order := fmt.Sprintf("order-%d", id)
			n := inv.Reserve(order, []string{"widget", "gizmo", "gadget"})
			fmt.Println(order, n, inv.Held(order))
		}(w)
	}
	select {}
}
