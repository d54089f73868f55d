package testmain

import "testing"

func TestNotifyInternal(t *testing.T) {
	Notify(make(chan string), "hello")
}
