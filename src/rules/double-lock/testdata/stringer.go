package a

// fmt and log call String() / Error() on their operands (fmt/print.go, handleMethods):
// a String method that locks deadlocks a caller that formats the value while holding
// the same lock (issue 13).

import (
	"errors"
	"fmt"
	"log"
	"sync"
)

type account struct {
	mu      sync.Mutex
	name    string
	balance int
}

func (a *account) String() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return fmt.Sprintf("%s: %d", a.name, a.balance)
}

func (a *account) withdraw(n int) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if n > a.balance {
		return fmt.Errorf("insufficient funds in %v", a) // want "calling fmt.Errorf → account.String Locks a.mu"
	}
	a.balance -= n
	return nil
}

func (a *account) audit() {
	a.mu.Lock()
	log.Println("audit", a) // want "calling log.Println → account.String Locks a.mu"
	a.mu.Unlock()
}

type job struct {
	mu    sync.Mutex
	state string
}

func (j *job) Error() string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return "job failed in state " + j.state
}

func (j *job) fail() string {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.state = "failed"
	return fmt.Sprint(j) // want "calling fmt.Sprint → job.Error Locks j.mu"
}

// Negatives.

// Formatted after the unlock.
func (a *account) report() string {
	a.mu.Lock()
	n := a.balance
	a.mu.Unlock()
	return fmt.Sprintf("%v has %d", a, n)
}

// %p and %d do not call String.
func (a *account) debug() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return fmt.Sprintf("%p %d", a, a.balance)
}

// Another account's String: a different lock... but the analysis names it by path, so
// this is b.mu, not a.mu.
func (a *account) transferLog(b *account) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return fmt.Sprintf("to %v", b)
}

// A value operand (`*a`) does not have the pointer method String in its method set.
func (a *account) snapshot() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return fmt.Sprintf("%v", a.name)
}

// A non-constant format is not followed.
func (a *account) custom(format string) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return fmt.Sprintf(format, a)
}

// errors.New does not format its operand.
func (j *job) wrap() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return errors.New(j.state)
}

// %#v uses GoString, not String.
func (j *job) dump() string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return fmt.Sprintf("%#v", j.state)
}
