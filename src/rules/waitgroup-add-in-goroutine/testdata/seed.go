// Fixtures for waitgroup-add-in-goroutine from the seed article (shared/seed
// §4.2 "sync.WaitGroup误用导致的永久阻塞").
package a

import "sync"

// seedMissingAdd (negative for this rule): the seed's "常见误用场景" example,
// verbatim inside a function. Its bug is a *missing* Add (Done drives the
// counter negative and panics); there is no Add inside a goroutine, so this
// rule stays silent. The bug belongs to a different check.
func seedMissingAdd() {
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		go func() {
			defer wg.Done()
			// 业务逻辑
		}()
	}
	wg.Wait() // 死锁:未调用 Add
}

// seedCorrect (negative): the seed's "正确使用模式", verbatim inside a
// function: Add(1) before each `go`, Done deferred in the goroutine.
func seedCorrect() {
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// 业务逻辑
		}()
	}
	wg.Wait()
}

// seedAddMovedInside: the seed's correct pattern with `wg.Add(1)` moved into
// the goroutine next to the `defer wg.Done()` it pairs with, the way it is
// often "tidied up". Wait can now return before any goroutine has run.
func seedAddMovedInside() {
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		go func() {
			wg.Add(1) // want "Add.* inside the goroutine"
			defer wg.Done()
			// 业务逻辑
		}()
	}
	wg.Wait()
}
