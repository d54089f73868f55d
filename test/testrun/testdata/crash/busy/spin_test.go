package busy

import (
	"sync/atomic"
	"testing"
)

func TestSpin(t *testing.T) {
	var stop atomic.Bool
	var n atomic.Int64
	Spin(&stop, &n)
	for n.Load() == 0 {
	}
}
