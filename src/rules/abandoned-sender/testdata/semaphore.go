package a

import (
	"errors"
	"fmt"
)

// Channel semaphores whose slot is not given back on every path (corpus case
// semaphore-not-released-on-error).

var uploadSlots = make(chan struct{}, 2)

func uploadOne(name string) error {
	uploadSlots <- struct{}{} // want "without giving it back"
	if name == "" {
		return errors.New("no name")
	}
	fmt.Println("uploading", name)
	<-uploadSlots
	return nil
}

func uploadAll(names []string) {
	for _, n := range names {
		go uploadOne(n)
	}
}

type fetcher struct {
	slots chan struct{}
}

func newFetcher() *fetcher { return &fetcher{slots: make(chan struct{}, 4)} }

func (f *fetcher) fetch(url string) (string, error) {
	f.slots <- struct{}{} // want "without giving it back"
	body, err := download(url)
	if err != nil {
		return "", err
	}
	<-f.slots
	return body, nil
}

func download(url string) (string, error) {
	if url == "" {
		return "", errors.New("empty url")
	}
	return url, nil
}

func fetchAll(urls []string) {
	f := newFetcher()
	for _, u := range urls {
		go f.fetch(u)
	}
}

// Released by a deferred receive: every path gives the slot back.
var copySlots = make(chan struct{}, 2)

func copyOne(name string) error {
	copySlots <- struct{}{}
	defer func() { <-copySlots }()
	if name == "" {
		return errors.New("no name")
	}
	return nil
}

func copyAll(names []string) {
	for _, n := range names {
		go copyOne(n)
	}
}

// Released on the error path too.
var parseSlots = make(chan struct{}, 2)

func parseOne(name string) error {
	parseSlots <- struct{}{}
	if name == "" {
		<-parseSlots
		return errors.New("no name")
	}
	<-parseSlots
	return nil
}

func parseAll(names []string) {
	for _, n := range names {
		go parseOne(n)
	}
}

// The slot is handed to a goroutine that gives it back: not this function's to release.
var workSlots = make(chan struct{}, 2)

func startWork(name string) error {
	workSlots <- struct{}{}
	if name == "" {
		<-workSlots
		return errors.New("no name")
	}
	go func() {
		defer func() { <-workSlots }()
		fmt.Println(name)
	}()
	return nil
}

func startAll(names []string) {
	for _, n := range names {
		_ = startWork(n)
	}
}

// Acquire and release are two methods (a lease): the early return keeps the slot on purpose.
type leases struct {
	slots chan struct{}
}

func newLeases() *leases { return &leases{slots: make(chan struct{}, 2)} }

func (l *leases) acquire(name string) bool {
	l.slots <- struct{}{}
	if name == "" {
		return true
	}
	<-l.slots
	return false
}

func (l *leases) release() { <-l.slots }

func useLeases(names []string) {
	l := newLeases()
	for _, n := range names {
		if l.acquire(n) {
			go l.release()
		}
	}
}
