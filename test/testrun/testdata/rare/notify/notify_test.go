package notify

import "testing"

func TestNotify(t *testing.T) {
	for i := 0; i < 3; i++ {
		Listen().Notify()
	}
}
