package a

import "log"

// Negative fixtures for the false-positive families found in the stdlib triage
// (bench/triage/chanA.md).

// sendInEventLoop: net/http/serve_test.go:3636 (testCloseNotifier). The send
// sits in a select case inside a loop; the loop's other case ("saw close") can
// only fire after the send has happened, which no CFG path shows.
func sendInEventLoop(gotReq, sawClose chan bool) {
	diec := make(chan bool)
	go func() {
		<-diec
		log.Println("closing")
	}()
For:
	for {
		select {
		case <-gotReq:
			diec <- true
		case <-sawClose:
			break For
		}
	}
}
