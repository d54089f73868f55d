package stackdep

import (
	"fmt"
	"strings"
	"testing"
)

func ExampleCallers() {
	fmt.Println(strings.Count(Callers(), "\n"))
	// Output: 6
}

func TestPlain(t *testing.T) {
	if Callers() == "" {
		t.Fatal("no callers")
	}
}
