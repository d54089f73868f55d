package a

import "testing"

// Stdlib triage family (runtime/crash_test.go, cmd/api/main_test.go): globals of test
// files live only as long as the test binary.
var testCache = map[string]int{}

func remember2(k string) { testCache[k] = len(k) }

func TestRemember(t *testing.T) {
	remember2(t.Name())
}
