package a

import (
	"fmt"
	"time"
)

type session struct {
	id      string
	created time.Time
}

var sessions = make(map[string]*session) // want `package-level map "sessions" only grows`

func login(id string) *session {
	s := &session{id: id, created: time.Now()}
	sessions[id] = s
	return s
}

func lookup(id string) (*session, bool) {
	s, ok := sessions[id]
	return s, ok
}

var history []string // want `package-level slice "history" only grows: entries are added at line 29`

func record(event string) {
	history = append(history, event)
}

func dump() {
	for _, h := range history {
		fmt.Println(h)
	}
	fmt.Println(len(history))
}

type handler func(string)

var listeners []handler // want `slice "listeners"`

func subscribe(h handler) {
	listeners = append(listeners, h)
}

func publish(msg string) {
	for _, h := range listeners {
		h(msg)
	}
}

var seen = map[int]bool{} // want `map "seen"`

func firstTime(id int) bool {
	if seen[id] {
		return false
	}
	seen[id] = true
	return true
}

var timers = map[string]*time.Timer{} // want `map "timers"`

func schedule(name string, d time.Duration, f func()) {
	timers[name] = time.AfterFunc(d, f)
}

var stats = map[string]int{} // want `map "stats" only grows: entries are added at line 72, 73`

func count(kind string, n int) {
	stats[kind] = stats[kind] + n
	stats[kind+"_calls"] = 1
}

var errorsSeen []error // want `slice "errorsSeen"`

func onError(err error) {
	go func() {
		errorsSeen = append(errorsSeen, err)
	}()
}

type conn struct{ id int }

var conns = map[*conn]struct{}{} // want `map "conns"`

func track(c *conn) {
	conns[c] = struct{}{}
}

var queue [][]byte // want `slice "queue"`

func enqueue(b []byte) {
	queue = append(queue, b)
}

func peek() []byte {
	if len(queue) == 0 {
		return nil
	}
	return queue[0]
}

var byUser = map[string][]string{} // want `map "byUser"`

func addTag(user, tag string) {
	byUser[user] = append(byUser[user], tag)
}

// A handler in a package-level initialiser runs per request, not at initialisation.
var visits = map[string]int{} // want `map "visits" only grows`

var countVisit = func(path string) {
	visits[path] = visits[path] + 1
}

// A goroutine started by init runs for the life of the process.
var events []string // want `slice "events" only grows`

func init() {
	go func() {
		for range time.Tick(time.Second) {
			events = append(events, time.Now().String())
		}
	}()
}
