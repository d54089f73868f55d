package chans

// What the callers say: a function no other package can call, whose every call passes
// the same constant for a parameter, runs with that value. Integers size buffers and
// loops exactly, strings and booleans decide the branches that test them, nil decides a
// nil test.

// Four producers, two slots, one receive: with 4 the fourth sender is left blocked.
func gather(producers int) int {
	out := make(chan int, 2)
	for i := 0; i < producers; i++ {
		go func() {
			out <- i // want `blocks forever sending on "out"`
		}()
	}
	return <-out
}

// Three producers, two slots, one receive: every send completes. Silent (a count the
// model had to guess would include four producers).
func gatherFew(producers int) int {
	out := make(chan int, 2)
	for i := 0; i < producers; i++ {
		go func() {
			out <- i
		}()
	}
	return <-out
}

// Every call asks for no journal: the writer is never started and the syncer waits for it.
func record(journal string, entries []string) {
	synced := make(chan bool)
	if journal != "" {
		go func() { synced <- len(entries) > 0 }()
	}
	go func() {
		<-synced // want `blocks forever receiving from "synced"`
	}()
}

// Every call names a journal: the writer always runs. Silent.
func recordTo(journal string) {
	synced := make(chan bool)
	if journal != "" {
		go func() { synced <- true }()
	}
	go func() {
		<-synced
	}()
}

// Every call waits: the sender always finds its receiver. Silent (with the flag unknown,
// not waiting would leave the sender blocked).
func finish(wait bool) {
	done := make(chan struct{})
	go func() {
		done <- struct{}{}
	}()
	if !wait {
		return
	}
	<-done
}

// Every call passes no sink, so the relay always waits for its ack. Silent.
func relay(sink chan<- int) {
	acks := make(chan int)
	go func() { acks <- 1 }()
	if sink != nil {
		return
	}
	<-acks
}

// Called with a value only known at run time: nothing is assumed (the skipped writer is a
// configuration, not a schedule). Silent.
func recordMaybe(journal string) {
	synced := make(chan bool)
	if journal != "" {
		go func() { synced <- true }()
	}
	go func() {
		<-synced
	}()
}

const auditLog = "audit.log"

func callers(args []string) {
	_ = gather(4)
	_ = gather(4)
	_ = gatherFew(3)
	record("", nil)
	record("", args)
	recordTo(auditLog)
	recordTo("audit.log")
	finish(true)
	relay(nil)
	recordMaybe(args[0])
}
