package a

import (
	"net/http"
	"sync"
)

// The seed's "registered in a global map but never cleaned" (注册到全局 map 但未清理):
// every connection registers itself and nothing ever unregisters it.
var (
	mu      sync.Mutex
	clients = map[string]chan []byte{} // want `package-level map "clients" only grows: entries are added at line 18 outside initialisation`
)

func register(w http.ResponseWriter, r *http.Request) {
	ch := make(chan []byte, 8)
	mu.Lock()
	clients[r.RemoteAddr] = ch
	mu.Unlock()
	w.WriteHeader(http.StatusOK)
}
