package members

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/proofstell/proofstell/internal/testbin"
)

// RunFlags are the flags every cluster bench shares: where its members
// run, which services they use, how long the run may take and where the
// report goes. Embed it in a program's config and Register it.
type RunFlags struct {
	ServerCPU int
	Bin       string
	WorkDir   string
	Postgres  string
	Redis     string
	Timeout   time.Duration
	Out       string
}

// Register defines the shared flags on fs; timeout is the program's
// default hard limit.
func (f *RunFlags) Register(fs *flag.FlagSet, timeout time.Duration) {
	fs.IntVar(&f.ServerCPU, "server-cpu", -1, "pin every member to this CPU with taskset (-1: no pinning)")
	fs.StringVar(&f.Bin, "bin", "", "proofstell binary to run (default: build ./cmd/proofstell without -race)")
	fs.StringVar(&f.WorkDir, "work", "", "directory for the binary and member logs (default: a new temporary one)")
	fs.StringVar(&f.Postgres, "postgres", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "PostgreSQL maintenance database URL (loopback)")
	fs.StringVar(&f.Redis, "redis", "redis://127.0.0.1:6379/0", "Redis URL (loopback)")
	fs.DurationVar(&f.Timeout, "timeout", timeout, "hard limit of the whole run")
	fs.StringVar(&f.Out, "out", "", "also write the markdown report to this file")
}

// Prepare makes the run's work directory (temporary unless -work) and
// finds the server binary: -bin, or cmd/proofstell built now (progress on
// stderr). remove reports whether the caller deletes work after a clean
// run (member logs stay for a failed one).
func (f RunFlags) Prepare(ctx context.Context, stderr io.Writer) (bin, work string, remove bool, err error) {
	work, remove, err = WorkDir(f.WorkDir)
	if err != nil {
		return "", "", false, err
	}
	bin = f.Bin
	if bin == "" {
		_, _ = fmt.Fprintf(stderr, "building cmd/proofstell into %s\n", work)
		if bin, err = testbin.Proofstell(ctx); err != nil {
			return "", "", false, err
		}
	}
	return bin, work, remove, nil
}
