package mapwrites

import "testing"

func TestCount(t *testing.T) {
	done := make(chan bool)
	Count(map[int]int{}, 4, done)
	for i := 0; i < 4; i++ {
		<-done
	}
}
