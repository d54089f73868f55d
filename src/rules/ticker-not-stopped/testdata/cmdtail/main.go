// A command-line tool whose subcommands run as main's last statement, through a package
// interface: when a subcommand's run returns, the process ends, so its time.Tick ticker
// lives exactly as long as the program (negatives). A method that is also called before
// main's end, or from a loop, outlives its tickers (positives).
package main

import (
	"fmt"
	"os"
	"time"
)

type command interface {
	run(args []string)
}

var cmds = map[string]command{}

type bench struct{ minutes int }

func (b *bench) run(args []string) {
	fmt.Println("bench", args)
	select {
	case <-time.Tick(time.Duration(b.minutes) * time.Minute):
		fmt.Println("done")
	}
}

type stable struct{ core soak }

func (s *stable) run(args []string) {
	fmt.Println("stable", args)
	s.core.run()
}

// A second command ending in the same soak: the run methods call each other's names.
type stableConsumer struct{ core soak }

func (s *stableConsumer) run(args []string) {
	fmt.Println("stable consumer", args)
	s.core.run()
}

type soak struct{ minutes int }

func (s *soak) run() {
	stop := time.Tick(time.Duration(s.minutes) * time.Minute)
	<-stop
}

type probe struct{}

// check is called in a loop of main: each call leaves a ticker behind.
func (probe) check() {
	t := time.Tick(time.Millisecond) // want "makes a ticker that can never be stopped"
	<-t
}

type warmup struct{}

// start is called before main's last statement.
func (warmup) start() {
	<-time.Tick(time.Millisecond) // want "makes a ticker that can never be stopped"
}

func main() {
	cmds["bench"] = &bench{minutes: 1}
	cmds["stable"] = &stable{}
	cmds["stable-consumer"] = &stableConsumer{}
	for i := 0; i < 3; i++ {
		probe{}.check()
	}
	warmup{}.start()
	if len(os.Args) < 2 {
		fmt.Println("usage")
		return
	}
	cmd, ok := cmds[os.Args[1]]
	if !ok {
		return
	}
	cmd.run(os.Args[2:])
}
