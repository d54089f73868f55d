package main

import (
	"fmt"
	"time"
)

type Participant struct {
	name     string
	vote     bool
	delay    time.Duration
	decision chan bool
}

func (p *Participant) run(votes chan<- bool) {
	time.Sleep(p.delay) // prepare the transaction
	votes <- p.vote
	if <-p.decision {
		fmt.Println(p.name, "commit")
	} else {
		fmt.Println(p.name, "abort")
	}
}

func coordinate(parts []*Participant) bool {
	votes := make(chan bool, len(parts))
	for _, p := range parts {
		go p.run(votes)
	}
	commit := true
	for range parts {
		if !<-votes {
			commit = false
			break
		}
	}
	for _, p := range parts {
		p.decision <- commit
	}
	return commit
}

func main() {
	for tx := 0; tx < 3; tx++ {
		parts := []*Participant{
			{name: fmt.Sprintf("tx%d-db", tx), vote: false, delay: time.Millisecond},
			{name: fmt.Sprintf("tx%d-queue", tx), vote: true, delay: 20 * time.Millisecond},
			{name: fmt.Sprintf("tx%d-cache", tx), vote: true, delay: 20 * time.Millisecond},
		}
		for _, p := range parts {
			p.decision = make(chan bool)
		}
		go func() { fmt.Println("committed:", coordinate(parts)) }()
	}
	select {}
}
