package vault

import "sync"

// A vault that panics on misuse (an API assertion), with the lock held.
type Vault struct {
	mu     sync.Mutex
	sealed bool
	items  []string
}

func (v *Vault) Put(item string) {
	v.mu.Lock()
	if v.sealed {
		panic("vault: Put after Seal")
	}
	v.items = append(v.items, item)
	v.mu.Unlock()
}

func (v *Vault) Seal() {
	v.mu.Lock()
	v.sealed = true
	v.mu.Unlock()
}
