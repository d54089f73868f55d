package a

import (
	"sort"
	"strings"
	"sync"
)

// Direct: the method value given to Do calls the accessor that runs the same Do.
type config struct {
	once   sync.Once
	values map[string]string
}

func (c *config) load() {
	c.values = map[string]string{"name": "svc"}
	c.values["greeting"] = "hello " + c.Get("name")
}

func (c *config) Get(k string) string {
	c.once.Do(c.load) // want `c.once.Do re-enters itself: the function it runs calls Once.Do → config.load → config.Get`
	return c.values[k]
}

// A function literal, a local closure, a nested Do of the same Once.
type cache struct {
	once sync.Once
	data []string
}

func (c *cache) all() []string {
	c.once.Do(func() { c.data = c.sorted() }) // want `c.once.Do re-enters itself`
	return c.data
}

func (c *cache) sorted() []string {
	out := c.all()
	sort.Strings(out)
	return out
}

func (c *cache) nested() {
	c.once.Do(func() { // want `c.once.Do re-enters itself: the function it runs calls Once.Do → the function literal, which calls c.once.Do`
		c.once.Do(func() {})
	})
}

func (c *cache) viaLocal() {
	fill := func() { c.nested() }
	c.once.Do(fill) // want `c.once.Do re-enters itself: the function it runs calls Once.Do → fill → cache.nested`
}

// A package-level Once.
var (
	registryOnce sync.Once
	registry     map[string]int
)

func lookup(k string) int {
	registryOnce.Do(initRegistry) // want `registryOnce.Do re-enters itself`
	return registry[k]
}

func initRegistry() {
	registry = map[string]int{"a": 1}
	registry["b"] = lookup("a") + 1
}

// Loaders stored in a field, called with the registry as argument.
type Registry struct {
	once    sync.Once
	plugins map[string]int
	loaders []func(r *Registry)
}

func (r *Registry) init() {
	r.plugins = map[string]int{}
	for _, load := range r.loaders {
		load(r)
	}
}

func (r *Registry) Lookup(name string) int {
	r.once.Do(r.init) // want `r.once.Do re-enters itself: the function it runs calls Once.Do → Registry.init → loadJSON → Registry.Lookup`
	return r.plugins[name]
}

func loadCore(r *Registry) { r.plugins["core"] = 1 }
func loadJSON(r *Registry) { r.plugins["json"] = r.Lookup("core") + 1 }

func newRegistry() *Registry {
	return &Registry{loaders: []func(*Registry){loadCore, loadJSON}}
}

// A method value of the object kept in its own field.
type service struct {
	once    sync.Once
	addr    string
	connect func()
}

func newService() *service {
	s := &service{}
	s.connect = s.dial
	return s
}

func (s *service) dial()         { s.addr = "10.0.0.1:" + s.port() }
func (s *service) port() string  { return strings.TrimPrefix(s.Addr(), "10.0.0.1:") }
func (s *service) Addr() string { s.once.Do(func() { s.connect() }); return s.addr } // want `s.once.Do re-enters itself: the function it runs calls Once.Do → the function literal → service.dial`

// A goroutine started by f that must pass the same Do before it wakes f.
type conn struct {
	once      sync.Once
	events    chan string
	handshake chan string
	session   string
}

func (c *conn) ensure() {
	c.once.Do(c.start) // want `c.once.Do deadlocks with the goroutine its function starts`
}

func (c *conn) start() {
	go c.reader()
	c.session = <-c.handshake // want `blocks forever receiving from this channel: the only goroutine that wakes it, conn.reader`
}

func (c *conn) reader() {
	for ev := range c.events {
		c.ensure()
		c.handshake <- ev
	}
}

func newConn() *conn { return &conn{events: make(chan string, 1), handshake: make(chan string)} }
