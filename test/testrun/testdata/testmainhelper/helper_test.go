package testmainhelper

import (
	"testing"

	"example.com/testmainhelper/testutil"
)

func TestMain(m *testing.M) {
	testutil.Main(m)
}

func TestSpawn(t *testing.T) {
	Spawn(make(chan int))
}
