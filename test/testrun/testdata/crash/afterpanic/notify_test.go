package afterpanic

import (
	"testing"
	"time"
)

func TestNotify(t *testing.T) {
	ch := make(chan int, 1)
	NotifyLater(ch, 200*time.Millisecond) // site: start-notifier
	close(ch)
}

func TestWait(t *testing.T) {
	Wait(make(chan struct{}))
}
