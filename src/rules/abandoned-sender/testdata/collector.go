// Fixtures for abandoned-sender: N goroutines are started in a loop, each
// sends one result on an unbuffered channel, and the collector loop returns
// on the first error (or on ctx.Done) while the remaining goroutines still
// have to send. Each of those goroutines blocks forever on its send.
package a

import (
	"context"
	"net/http"
)

type result struct {
	url    string
	status int
	err    error
}

func get(ctx context.Context, url string) result {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, url, nil)
	if err != nil {
		return result{url: url, err: err}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return result{url: url, err: err}
	}
	resp.Body.Close()
	return result{url: url, status: resp.StatusCode}
}

// firstErrorCollector: the textbook fan-out with an early `return r.err` in
// the collector. The other len(urls)-1 senders are abandoned.
func firstErrorCollector(ctx context.Context, urls []string) ([]int, error) {
	results := make(chan result)
	for _, u := range urls {
		go func() {
			results <- get(ctx, u) // want "blocks forever sending on \"?results"
		}()
	}
	var codes []int
	for range urls {
		r := <-results
		if r.err != nil {
			return nil, r.err
		}
		codes = append(codes, r.status)
	}
	return codes, nil
}

// errcCollector: one error per goroutine on an unbuffered error channel, a
// counted loop that returns on the first non-nil error.
func errcCollector(ctx context.Context, urls []string) error {
	errc := make(chan error)
	for i := 0; i < len(urls); i++ {
		go func(u string) {
			errc <- get(ctx, u).err // want "blocks forever sending on \"?errc"
		}(urls[i])
	}
	for i := 0; i < len(urls); i++ {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// ctxDoneCollector: the collector loop selects on ctx.Done() and returns;
// every goroutine that has not sent yet is abandoned.
func ctxDoneCollector(ctx context.Context, urls []string) ([]result, error) {
	out := make(chan result)
	for _, u := range urls {
		go func() {
			r := get(ctx, u)
			out <- r // want "blocks forever sending on \"?out"
		}()
	}
	all := make([]result, 0, len(urls))
	for len(all) < len(urls) {
		select {
		case r := <-out:
			all = append(all, r)
		case <-ctx.Done():
			return all, ctx.Err()
		}
	}
	return all, nil
}

// firstReplica: the "First" replica query from the Go concurrency patterns
// talk: one goroutine per replica, the function takes the first answer and
// returns. With an unbuffered channel every slower replica's goroutine blocks
// forever (the talk's fix is a buffer of len(replicas)).
type searchFunc func(query string) string

func firstReplica(query string, replicas ...searchFunc) string {
	c := make(chan string)
	searchReplica := func(i int) {
		c <- replicas[i](query) // want "blocks forever sending on \"?c"
	}
	for i := range replicas {
		go searchReplica(i)
	}
	return <-c
}
