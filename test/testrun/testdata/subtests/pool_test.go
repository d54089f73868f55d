package subtests

import (
	"testing"
)

func TestPool(t *testing.T) {
	t.Run("configuration", func(t *testing.T) {
		t.Run("before close", func(t *testing.T) {
			t.Parallel()
			p := New(1)
			p.Go(func() {})
		})
		t.Run("after close", func(t *testing.T) {
			t.Parallel()
			p := New(1)
			p.Go(func() {})
			p.Close()
		})
	})
	t.Run("closed", func(t *testing.T) {
		p := New(2)
		p.Close()
	})
}

func TestTable(t *testing.T) {
	for _, tc := range []struct {
		name  string
		close bool
	}{{"closes", true}, {"forgets", false}} {
		t.Run(tc.name, func(t *testing.T) {
			p := New(1)
			if tc.close {
				p.Close()
			}
		})
	}
}

func TestNamedSubtest(t *testing.T) {
	t.Run("uses helper", forgetsClose)
	t.Run("closes", func(t *testing.T) { New(1).Close() })
}

func forgetsClose(t *testing.T) {
	p := New(3)
	p.Go(func() {})
}
