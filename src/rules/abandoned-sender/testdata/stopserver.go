// Library semantics of http.Server: Serve and ListenAndServe return
// http.ErrServerClosed once Shutdown or Close was called. A serving goroutine that sends
// only other errors has nothing to send after the function that started it stopped the
// server; one that sends whatever Serve returns blocks on the ErrServerClosed it gets.
package a

import (
	"context"
	"errors"
	"net"
	"net/http"
)

// serveUntilDone filters ErrServerClosed and shuts the server down before returning.
func serveUntilDone(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h}
	errs := make(chan error)
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			errs <- err
		}
	}()
	select {
	case err := <-errs:
		return err
	case <-ctx.Done():
		srv.Shutdown(context.Background())
		return nil
	}
}

// serveDeferClose stops the server in a deferred Close.
func serveDeferClose(ctx context.Context, addr string, h http.Handler) error {
	srv := &http.Server{Addr: addr, Handler: h}
	defer srv.Close()
	errs := make(chan error)
	go func() {
		err := srv.ListenAndServe()
		if err != nil && err != http.ErrServerClosed {
			errs <- err
		}
	}()
	select {
	case err := <-errs:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// serveSendsAll sends whatever Serve returns: after Shutdown that is ErrServerClosed,
// and nobody receives it.
func serveSendsAll(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h}
	errs := make(chan error)
	go func() {
		errs <- srv.Serve(ln) // want "blocks forever sending on \"?errs"
	}()
	select {
	case err := <-errs:
		return err
	case <-ctx.Done():
		srv.Shutdown(context.Background())
		return nil
	}
}

// serveNoShutdown filters the sentinel but never stops the server: a real serve error
// after the context is done has no receiver.
func serveNoShutdown(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h}
	errs := make(chan error)
	go func() {
		if err := srv.Serve(ln); err != http.ErrServerClosed {
			errs <- err // want "blocks forever sending on \"?errs"
		}
	}()
	select {
	case err := <-errs:
		return err
	case <-ctx.Done():
		return nil
	}
}
