package main

import (
	"fmt"
	"strconv"
	"strings"
)

type Row struct {
	Name string
	Qty  int
}

func read(lines []string, out chan<- string) {
	for _, l := range lines {
		out <- l
	}
	close(out)
}

func parse(in <-chan string, out chan<- Row) error {
	defer close(out)
	defer func() {
		for range in {
		}
	}()
	for line := range in {
		name, qty, ok := strings.Cut(line, ",")
		n, err := strconv.Atoi(qty)
		if !ok || err != nil {
			return fmt.Errorf("malformed row %q", line)
		}
		out <- Row{Name: name, Qty: n}
	}
	return nil
}

func Import(lines []string) (int, error) {
	raw := make(chan string)
	rows := make(chan Row)
	errc := make(chan error, 1)
	go read(lines, raw)
	go func() { errc <- parse(raw, rows) }()
	total := 0
	for r := range rows {
		total += r.Qty
	}
	return total, <-errc
}

func main() {
	for i := 0; i < 4; i++ {
		total, err := Import([]string{"bolt,10", "nut,20", fmt.Sprintf("washer,%dx", i), "screw,5", "pin,1"})
		fmt.Println(total, err)
	}
	select {}
}
