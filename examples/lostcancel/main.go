// Command lostcancel checks a list of URLs with a per-request timeout. It shows
// two ways to lose a context's cancel function (rule lost-cancel).
package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"time"
)

// status issues a HEAD request with a 2s timeout. On the error path it
// returns before `defer cancel()` is reached, so the context and its timer
// stay alive until the deadline fires.
func status(parent context.Context, url string) (int, error) {
	ctx, cancel := context.WithTimeout(parent, 2*time.Second)
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, url, nil)
	if err != nil {
		return 0, fmt.Errorf("building request for %s: %w", url, err)
	}
	defer cancel()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

// checkAll gives the whole run a deadline but throws the cancel func away.
func checkAll(urls []string) error {
	ctx, _ := context.WithDeadline(context.Background(), time.Now().Add(10*time.Second))
	var errs []error
	for _, u := range urls {
		code, err := status(ctx, u)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		fmt.Printf("%d %s\n", code, u)
	}
	return errors.Join(errs...)
}

func main() {
	if err := checkAll(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
