package a

import (
	"errors"
	"sync"
	"testing"
)

func fetch(n int) (int, error) {
	if n < 0 {
		return 0, errors.New("negative")
	}
	return n, nil
}

// Each worker reports a wrong answer with t.Errorf instead of calling Done: the Wait
// hangs only after the test has failed. Silent.
func TestWorkersFailInsteadOfDone(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(2)
	for i := 0; i < 2; i++ {
		go func() {
			if v, err := fetch(i); err != nil {
				t.Errorf("unexpected error %v", err)
			} else if v != i {
				t.Errorf("unexpected value %v", v)
			} else {
				wg.Done()
			}
		}()
	}
	wg.Wait()
}

// The twin that only logs the wrong answer: the test passes and hangs in Wait.
func TestWorkersLogInsteadOfDone(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(2)
	for i := 0; i < 2; i++ {
		go func() { // want `without calling wg.Done\(\)`
			if v, err := fetch(i); err != nil {
				t.Logf("unexpected error %v", err)
			} else if v != i {
				t.Logf("unexpected value %v", v)
			} else {
				wg.Done()
			}
		}()
	}
	wg.Wait()
}
