package main

import (
	"errors"
	"fmt"
	"strings"
)

type Directory struct {
	users map[string]string
}

func (d *Directory) lookupAsync(id string) chan string {
	out := make(chan string)
	go func() {
		out <- d.users[id]
	}()
	return out
}

type Service struct {
	dir *Directory
}

func validate(id string) error {
	if !strings.HasPrefix(id, "u-") {
		return errors.New("malformed user id " + id)
	}
	return nil
}

func (s *Service) Handle(id string) (string, error) {
	name := s.dir.lookupAsync(id)
	if err := validate(id); err != nil {
		return "", err
	}
	return "hello " + <-name, nil
}

func main() {
	s := &Service{dir: &Directory{users: map[string]string{"u-1": "ada", "u-2": "grace"}}}
	for _, id := range []string{"u-1", "x-9", "42", "u-2", "admin", "", "u-"} {
		msg, err := s.Handle(id)
		fmt.Println(msg, err)
	}
	select {}
}
