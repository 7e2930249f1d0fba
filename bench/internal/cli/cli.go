// Package cli is the one main of every bench program: a context cancelled
// by SIGINT or SIGTERM, the program's run, its exit code.
package cli

import (
	"context"
	"fmt"
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

// Measure is the Run of a program that parses its flags and measures: exit
// 2 when the flags are bad, 1 when the measurement fails, each with the
// error on stderr prefixed by program.
func Measure[C any](program string, parse func(args []string, stderr io.Writer) (C, error),
	measure func(ctx context.Context, cfg C, stdout, stderr io.Writer) error,
) Run {
	return func(ctx context.Context, args []string, stdout, stderr io.Writer) int {
		cfg, err := parse(args, stderr)
		if err != nil {
			Logf(stderr, program, "%v", err)
			return 2
		}
		if err := measure(ctx, cfg, stdout, stderr); err != nil {
			Logf(stderr, program, "%v", err)
			return 1
		}
		return 0
	}
}

// Logf writes one progress or error line prefixed by program; a failed
// write to the terminal is not worth failing a run for.
func Logf(w io.Writer, program, format string, args ...any) {
	_, _ = fmt.Fprintf(w, program+": "+format+"\n", args...)
}
