package testmainmethod

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	run := m.Run
	os.Exit(run())
}

func TestSpawn(t *testing.T) {
	Spawn(make(chan int))
}
