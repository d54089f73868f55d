package broken

import "testing"

func TestSize(t *testing.T) {
	if Size() == 0 {
		t.Fatal("zero")
	}
}
