package a

import "sync"

// seedNoAdd is the seed article's chapter 4.2 example, verbatim ("死锁:未调用 Add").
func seedNoAdd() {
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		go func() {
			defer wg.Done() // want `wg.Done\(\) in the goroutine started at line 9 decrements WaitGroup "wg", but wg.Add is never called`
			// 业务逻辑
		}()
	}
	wg.Wait() // 死锁:未调用 Add
}

// seedFixed is the seed's corrected version ("正确使用模式").
func seedFixed() {
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
