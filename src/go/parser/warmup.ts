/**
 * @fileoverview A short Go file that uses every construct of the grammar the parser has a
 * path for (generics, every statement, every literal form, every type form), parsed a few
 * times by each thread before its first real file (see `parseGo`).
 *
 * Why: V8 optimises the parser's functions with the type feedback they have gathered so
 * far. A path not yet taken when a function is optimised (a variadic parameter, a type
 * parameter list, a hex float, a labelled continue...) deoptimises it the first time a
 * real file takes it, and the function is compiled again; on the standard library that
 * happened about 60 times per thread, and TurboFan's compilations were a quarter of the
 * CPU a thread spent parsing (measured per thread in /proc). Parsing this file first gives
 * every path feedback before anything is optimised. Only the parser's speed changes: the
 * trees of this file are dropped.
 */
export const WARMUP_SOURCE = `// Package tour uses every construct once.
package tour

import (
	"fmt"
	. "math"
	_ "unsafe"
	str "strings"
)

import "os"

const (
	A = iota
	B
	C, D = 1 << iota, 0x1F_ff
	E    = 0o17 + 0b1010 + 017 + 1_000
	F    = 1.5e-3 + .25 + 0x1p-2 + 6.02e+23 + 1e9
	G    = 3i + 2.5i + 0x1.8p1i
	H    = 'a' + '\\n' + '\\x41' + '\\u00e9' + '\\U0001F600' + '\\''
	I    = "s\\t\\"q\\"" + \`raw
string\`
)

var (
	x, y int = 1, 2
	z        = []int{1, 2, 3}
	m        = map[string][]*int{"a": nil, "b": {}}
	ch       chan<- int
	rc       <-chan struct{}
	fn       func(int, ...string) (bool, error)
	arr      [4]byte
	arr2     = [...]string{0: "a", 3: "d"}
	iface    interface{ M() }
	pt       = &point{X: 1, Y: 2}
	nested   = [][]point{{{1, 2}, {X: 3}}, nil}
	_        = str.ToUpper
)

type point struct {
	X, Y int \`json:"x"\`
	*os.File
	fmt.Stringer
	name string
	tags [2]string
}

type (
	Number interface {
		~int | ~int64 | float64
		String() string
	}
	Pair[K comparable, V any] struct {
		Key K
		Val V
	}
	List[T any] []T
	Fn      = func(a, b int) int
	Matrix  [2][2]float64
	Chans   map[chan int]<-chan error
	Alias[T any] = List[T]
)

// Sum adds numbers.
func Sum[T Number](xs ...T) (s T) {
	for _, v := range xs {
		s += v
	}
	return
}

func (p *point) Move(dx, dy int) (int, int) {
	p.X, p.Y = p.X+dx, p.Y-dy
	return p.X, p.Y
}

func (l List[T]) Len() int { return len(l) }

func (Pair[K, V]) Swap() {}

func generic() {
	var _ Pair[string, int]
	_ = Sum[int](1, 2, 3)
	_ = Sum(1.5, 2)
	_ = List[int]{1}
	f := Map[int, string]
	_ = f
	_ = new(int)
	_ = make([]int, 0, 10)
	_ = make(map[string]int)
	_ = make(chan int, 1)
	_ = new(point)
	_ = []func(){}
	_ = struct{ a int }{1}
	_ = interface{}(nil)
}

func Map[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, 0, len(xs))
	for i := 0; i < len(xs); i++ {
		out = append(out, f(xs[i]))
	}
	return out
}

func statements(a []int, c chan int, done <-chan struct{}) (n int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	go func(v int) { c <- v }(1)
	x := a[1:2]
	y := a[:]
	w := a[1:2:3]
	_, _, _ = x, y, w
	n++
	n--
	n += 2
	n -= 1
	n *= 3
	n /= 2
	n %= 5
	n <<= 1
	n >>= 1
	n &= 7
	n |= 8
	n ^= 1
	n &^= 2
	b := !(n > 1 && n < 10 || n == 3 || n != 4 || n <= 5 || n >= 6)
	_ = b
	_ = -n + +n - ^n*n/n%n<<1>>1&n|n^n&^n
	p := &n
	*p = <-c
	v, ok := <-c
	_, _ = v, ok
	var i interface{} = n
	s, _ := i.(string)
	_ = s
	switch t := i.(type) {
	case int, int64:
		n = t.(int)
	case nil:
	default:
		_ = t
	}
	switch {
	case n > 0:
		fallthrough
	case n < 0:
		break
	default:
	}
	switch n := 2; n {
	case 1, 2:
	}
	select {
	case v := <-c:
		_ = v
	case c <- 1:
	case <-done:
		return
	default:
	}
outer:
	for i := range a {
		for j, k := range a {
			if j == k {
				continue outer
			} else if j > k {
				break outer
			} else {
				goto end
			}
		}
		_ = i
	}
	for range c {
	}
	for n < 10 {
		n++
	}
	for {
		break
	}
	for i := range 10 {
		_ = i
	}
end:
	if err := os.Remove(""); err != nil {
		return 0, err
	}
	{
		var (
			q = 1
			r int
		)
		type local int
		const k = 2
		_, _ = q, r
	}
	;
	_ = Pi
	_ = func(xs ...int) int { return len(xs) }(a...)
	_ = [][]int{a, {1, 2}}
	_ = map[point]string{{1, 2}: "a"}
	_ = (*point).Move
	_ = point{}.name
	_ = (a)[0]
	fmt.Println(a[0], len(a), cap(a))
	return n, nil
}

/* A general comment
spanning lines. */
func init() {}

func empty()

func results() (a, b int, c string) { return }

func params(int, string, ...interface{}) {}

func unicode[T int | ~string, P interface{ *T }](π float64) (résumé string) {
	/* a comment
	   ending a line */ x := π
	_ = <-chan int(nil)
	_ = (chan<- int)(nil)
	_ = (*int)(nil)
	_ = []byte("é")
	_ = (func())(nil)
	_ = \`ünïcode\`
	_ = x
	if x > 0 {
		goto done
	}
done:
}

func unnamed(_ int, p *point, f func() (int, error), ch <-chan []map[string]int) {}
`;
