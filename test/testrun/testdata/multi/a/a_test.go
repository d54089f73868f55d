package a

import "testing"

func TestSubscribe(t *testing.T) {
	got := ""
	ch := Subscribe(func(s string) { got = s })
	ch <- "x"
	_ = got
}
