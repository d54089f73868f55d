package main

import (
	"fmt"
	"strings"
)

type Finding struct {
	File string
	Rule string
}

type Scanner struct {
	emit  func(Finding)
	rules []string
}

func NewScanner(out chan<- Finding) *Scanner {
	s := &Scanner{rules: []string{"password", "token", "secret"}}
	s.emit = func(f Finding) {
		out <- f
	}
	return s
}

func (s *Scanner) Scan(files map[string]string) {
	for name, body := range files {
		for _, r := range s.rules {
			if strings.Contains(body, r) {
				s.emit(Finding{File: name, Rule: r})
			}
		}
	}
}

func check(repo string, files map[string]string) error {
	findings := make(chan Finding)
	s := NewScanner(findings)
	done := make(chan struct{})
	go func() {
		s.Scan(files)
		close(done)
	}()
	select {
	case f := <-findings:
		return fmt.Errorf("%s: %s contains a %s", repo, f.File, f.Rule)
	case <-done:
		return nil
	}
}

func main() {
	for i := 0; i < 4; i++ {
		repo := fmt.Sprintf("repo-%d", i)
		err := check(repo, map[string]string{
			"config.yaml": "password: hunter2\ntoken: abc",
			"main.go":     "package main // secret sauce",
			"README.md":   "docs",
		})
		fmt.Println(err)
	}
	select {}
}
