package a

import (
	"net/http"
	"strings"
	"sync"
)

// Issue 11, family 8: registries filled by registration. An exported Register that the
// package only calls from init (other packages call it from theirs, like
// database/sql.Register) fills the map once per process.
type Codec interface{ Name() string }

var codecs = map[string]Codec{}

func RegisterCodec(c Codec) {
	codecs[strings.ToLower(c.Name())] = c
}

func GetCodec(name string) Codec { return codecs[name] }

type jsonCodec struct{}

func (jsonCodec) Name() string { return "json" }

func init() { RegisterCodec(jsonCodec{}) }

// A registration API built on another one.
type namedCodec struct{ name string }

func (c namedCodec) Name() string { return c.name }

func RegisterNamedCodec(name string) { RegisterCodec(namedCodec{name}) }

// An unexported registration helper only called from init functions.
var copiers = map[int]func(){}

func registerCopier(kind int, f func()) { copiers[kind] = f }

func init() { registerCopier(1, func() {}) }

func init() { registerCopier(2, func() {}) }

// A package-level sync.OnceValue builds its table once.
var tableOnce = sync.OnceValue(func() map[string]int {
	fillTable("a")
	return table2
})

var table2 = map[string]int{}

func fillTable(k string) { table2[k] = len(k) }

// Resetting the counters of existing keys does not add any.
var counters = map[string]int{}

func resetCounters() {
	for k := range counters {
		counters[k] = 0
	}
}

func readCounter(k string) int { return counters[k] }

// The twin: an exported Register the package also calls at run time, per request.
var handlers = map[string]func(){} // want `package-level map "handlers" only grows`

func RegisterHandler(path string, h func()) { handlers[path] = h }

func serveDynamic(path string) {
	RegisterHandler(path, func() {})
}

// The twin: a sync.Once in a struct runs once per value, not per process.
type store struct{ once sync.Once }

var loaded = map[string]bool{} // want `package-level map "loaded" only grows`

func (s *store) load(key string) {
	s.once.Do(func() { loaded[key] = true })
}

// The twin: a range over another map adds that map's keys.
var mirror = map[string]int{} // want `package-level map "mirror" only grows`

func copyFrom(src map[string]int) {
	for k := range src {
		mirror[k] = src[k]
	}
}

// The twin: an exported HTTP handler runs per request, whoever registers it.
var visitors = map[string]int{} // want `package-level map "visitors" only grows`

func CountVisitor(w http.ResponseWriter, r *http.Request) {
	visitors[r.RemoteAddr] = visitors[r.RemoteAddr] + 1
}
