package main

import (
	"fmt"
)

type Sample struct {
	Source string
	Value  float64
}

type Source struct {
	name string
}

func (s Source) Stream(out chan<- Sample, stop <-chan struct{}) {
	for i := 0; i < 5; i++ {
		out <- Sample{Source: s.name, Value: float64(i)}
	}
}

type Sampler struct {
	quota int
}

func (sm *Sampler) Collect(sources []Source) []Sample {
	out := make(chan Sample)
	stop := make(chan struct{})
	for _, src := range sources {
		go src.Stream(out, stop)
	}
	var samples []Sample
	for len(samples) < sm.quota {
		samples = append(samples, <-out)
	}
	return samples
}

func main() {
	sm := &Sampler{quota: 6}
	for round := 0; round < 2; round++ {
		got := sm.Collect([]Source{{"cpu"}, {"mem"}, {"disk"}, {"net"}})
		fmt.Println("round", round, len(got), "samples")
	}
	select {}
}
