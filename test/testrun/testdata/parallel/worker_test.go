package parallel

import (
	"testing"
	"time"
)

func TestWorkerA(t *testing.T) {
	t.Parallel()
	StartWorker(make(chan func()))
	time.Sleep(30 * time.Millisecond)
}

func TestWorkerB(t *testing.T) {
	t.Parallel()
	time.Sleep(10 * time.Millisecond)
	StartWorker(make(chan func()))
}

func TestSupervisor(t *testing.T) {
	t.Parallel()
	Supervise(make(chan struct{}))
	time.Sleep(20 * time.Millisecond)
}

func TestClean(t *testing.T) {
	t.Parallel()
	<-Work(5 * time.Millisecond)
}
