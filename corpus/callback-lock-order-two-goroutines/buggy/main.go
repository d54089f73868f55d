package main

import (
	"fmt"
	"sync"
	"time"
)

type Scheduler struct {
	mu        sync.Mutex
	callbacks map[string]func(string)
}

func (s *Scheduler) OnFire(job string, cb func(string)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.callbacks[job] = cb
}

func (s *Scheduler) Fire(job string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cb := s.callbacks[job]
	time.Sleep(20 * time.Millisecond) // compute the next run time
	if cb != nil {
		cb(job)
	}
}

func (s *Scheduler) Cancel(job string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.callbacks, job)
}

type Store struct {
	mu    sync.Mutex
	runs  map[string]int
	sched *Scheduler
}

func (st *Store) recordRun(job string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.runs[job]++
}

func (st *Store) Sweep(stale []string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	time.Sleep(20 * time.Millisecond) // scan the run history
	for _, job := range stale {
		delete(st.runs, job)
		st.sched.Cancel(job)
	}
}

func main() {
	for i := 0; i < 3; i++ {
		sched := &Scheduler{callbacks: map[string]func(string){}}
		store := &Store{runs: map[string]int{}, sched: sched}
		job := fmt.Sprintf("report-%d", i)
		sched.OnFire(job, store.recordRun)
		go sched.Fire(job)
		go store.Sweep([]string{job})
	}
	select {}
}
