// Reproduces signal-notify-context-not-stopped: signal.NotifyContext without stop().
package main

import (
	"context"
	"os/signal"
	"syscall"

	"example.com/leakscope-signatures/common"
)

func watch() context.Context {
	ctx, _ := signal.NotifyContext(context.Background(), syscall.SIGUSR1) // stop is never called
	return ctx
}

func main() {
	for i := 0; i < 20; i++ {
		watch()
	}
	common.ServePprof()
}
