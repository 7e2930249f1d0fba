// Package cli is the one main of every bench program: a context cancelled
// by SIGINT or SIGTERM, the program's run, its exit code.
package cli

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Run is a bench program without its process: it returns the exit code.
type Run func(ctx context.Context, args []string, stdout, stderr io.Writer) int

// Main runs run with the process's arguments until it returns or a signal
// cancels its context, then exits with run's code: the composition root of
// each program.
func Main(run Run) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
