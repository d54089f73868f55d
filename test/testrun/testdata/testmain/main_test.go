package testmain_test

import (
	"fmt"
	"os"
	"testing"
	"time"

	"example.com/testmain"
)

var setupDone bool

func TestMain(m *testing.M) {
	setupDone = true
	code := m.Run()
	fmt.Println("teardown")
	os.Exit(code)
}

func TestWatchExternal(t *testing.T) {
	if !setupDone {
		t.Fatal("TestMain did not run")
	}
	testmain.Watch(make(chan struct{}), time.Hour, func() {})
}
