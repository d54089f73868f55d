// Command blockedreceive shows the seed article's first leak (chapter 1 and 2.1):
// a goroutine receives from a channel that nobody sends to or closes.
package main

import (
	"fmt"
	"runtime"
	"time"
)

// leak is the seed article's example, verbatim: the goroutine waits on ch
// forever because leak returns without sending or closing.
func leak() {
	ch := make(chan int)
	go func() {
		val := <-ch // 阻塞等待,但无人发送数据
		fmt.Println(val)
	}()
	// ch无写入,goroutine永远阻塞
}

func main() {
	for i := 0; i < 3; i++ {
		leak()
	}
	time.Sleep(50 * time.Millisecond)
	fmt.Println("goroutines still alive:", runtime.NumGoroutine())
}
