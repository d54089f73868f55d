package a

import "sync"

// Cleaned with delete.
var active = map[string]int{}

func open(k string)  { active[k] = 1 }
func close2(k string) { delete(active, k) }

// Cleared.
var cache = map[string]string{}

func put(k, v string) { cache[k] = v }
func flush()          { clear(cache) }

// Reassigned.
var pending []int

func add(x int) { pending = append(pending, x) }
func drain() []int {
	p := pending
	pending = nil
	return p
}

// Truncated.
var buf []byte

func write(b []byte) { buf = append(buf, b...) }
func reset()         { buf = buf[:0] }

// Filled in init only.
var formats = map[string]func(){}

func init() {
	formats["json"] = func() {}
	registerFormat("xml")
}

func registerFormat(name string) { formats[name] = func() {} }

// Package initialiser.
var table = build()

func build() map[int]int {
	m := map[int]int{}
	m[1] = 1
	return m
}

// Exported: other packages may clean it.
var Registry = map[string]int{}

func Register(name string) { Registry[name] = len(Registry) }

// Escapes to a function that may clean it.
var jobs = map[int]string{}

func addJob(id int, s string) { jobs[id] = s }
func gc()                     { prune(jobs) }
func prune(m map[int]string) {
	for k := range m {
		delete(m, k)
	}
}

// Bounded by len.
var lru = map[string]int{}

func remember(k string, v int) {
	if len(lru) >= 1024 {
		return
	}
	lru[k] = v
}

// Constant keys: a fixed set.
var flags = map[string]bool{}

func enableDebug() { flags["debug"] = true }

// sync.Once.
var (
	once   sync.Once
	lookup2 = map[string]int{}
)

func setup(keys []string) {
	once.Do(func() {
		for i, k := range keys {
			lookup2[k] = i
		}
	})
}

// Local maps are not globals.
func local(keys []string) map[string]int {
	m := map[string]int{}
	for _, k := range keys {
		m[k] = 1
	}
	return m
}

// Overwrites of slice elements are not growth.
var slots = make([]int, 8)

func setSlot(i, v int) { slots[i] = v }
