// Negative: main returning ends the process, so nothing outlives it.
package main

import (
	"fmt"
	"time"
)

func main() {
	for i := 0; i < 3; i++ {
		<-time.Tick(time.Second)
		fmt.Println(i)
	}
}
