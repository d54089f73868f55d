package vault

import "testing"

// A test that checks the assertion fires: it recovers the panic and drops the vault.
func TestPutAfterSeal(t *testing.T) {
	v := &Vault{}
	v.Seal()
	defer func() {
		if recover() == nil {
			t.Fatal("expected a panic")
		}
	}()
	v.Put("x")
}
