package main

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

type Validator interface {
	Validate(key, value string) error
}

type Store struct {
	mu        sync.RWMutex
	values    map[string]string
	validator Validator
}

type refValidator struct {
	store *Store
}

// Validate checks that a ${ref} value names an existing key.
func (v refValidator) Validate(key, value string) error {
	if !strings.HasPrefix(value, "${") {
		return nil
	}
	time.Sleep(2 * time.Millisecond) // resolving the reference's schema
	ref := strings.TrimSuffix(strings.TrimPrefix(value, "${"), "}")
	if _, ok := v.store.Get(ref); !ok {
		return fmt.Errorf("%s: unknown reference %q", key, ref)
	}
	return nil
}

func NewStore() *Store {
	s := &Store{values: map[string]string{"host": "db.internal", "dsn": "${host}", "replica": "${host}", "backup": "${replica}"}}
	s.validator = refValidator{store: s}
	return s
}

func (s *Store) Get(key string) (string, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	v, ok := s.values[key]
	return v, ok
}

func (s *Store) Set(key, value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.values[key] = value
}

func (s *Store) Check() []error {
	s.mu.RLock()
	snapshot := make(map[string]string, len(s.values))
	for k, v := range s.values {
		snapshot[k] = v
	}
	s.mu.RUnlock()
	var errs []error
	for k, v := range snapshot {
		if err := s.validator.Validate(k, v); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

func main() {
	s := NewStore()
	go func() {
		for i := 0; i < 40; i++ {
			s.Set("timeout", fmt.Sprint(i))
			time.Sleep(time.Millisecond)
		}
	}()
	go func() {
		for i := 0; i < 20; i++ {
			fmt.Println(len(s.Check()))
		}
	}()
	select {}
}
