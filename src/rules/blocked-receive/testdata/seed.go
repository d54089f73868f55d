// Fixtures for blocked-receive taken verbatim from the seed article (shared/seed).
package a

import "fmt"

// leakyGoroutine: seed chapter 1, "典型代码示例" (verbatim).
func leakyGoroutine() {
	ch := make(chan int)
	go func() {
		val := <-ch // want "blocks forever receiving from \"ch\" at line 10: nothing sends on or closes"
		fmt.Println("Received:", val)
	}()
	// ch 未关闭,goroutine 无法退出
}

// leak: seed §2.1 "常见泄漏场景分析" (verbatim).
func leak() {
	ch := make(chan int)
	go func() {
		val := <-ch // want "blocks forever receiving from \"ch\""
		fmt.Println(val)
	}()
	// ch无写入,goroutine永远阻塞
}
