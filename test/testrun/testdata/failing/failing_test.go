package failing

import "testing"

func TestAdd(t *testing.T) {
	t.Log("checking 2+2")
	if got := Add(2, 2); got != 4 {
		t.Errorf("Add(2, 2) = %d, want 4", got)
	}
}

func TestFine(t *testing.T) {}
