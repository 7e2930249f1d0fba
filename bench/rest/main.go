// Command rest measures the requests/s of the leaderboard top-100 endpoint
// (GET /api/v1/leaderboards/global?limit=100) on a real ProofStell server
// against a bare chi handler (gateway/rest/restbench) serving the very same
// body, with one harness: N keep-alive workers in a closed loop for a fixed
// duration after a warm-up.
//
//	rest serve   -listen 127.0.0.1:3100 -body-from http://127.0.0.1:3000
//	rest measure -real http://127.0.0.1:3000 -bare http://127.0.0.1:3100
//
// serve fetches the real body once and serves it until interrupted or
// -lifetime passes; measure runs both measurements one after the other and
// prints a markdown report. Loopback targets only.
package main

import (
	"context"
	"io"

	"github.com/proofstell/proofstell/bench/internal/cli"
)

func main() { cli.Main(run) }

// run is main without the process: it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		logf(stderr, "usage: rest serve|measure [flags]")
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = runServe(ctx, args[1:], stderr)
	case "measure":
		err = runMeasure(ctx, args[1:], stdout, stderr)
	default:
		logf(stderr, "unknown command %q: want serve or measure", args[0])
		return 2
	}
	if err != nil {
		logf(stderr, "%v", err)
		return 1
	}
	return 0
}

// logf writes one progress or error line.
func logf(w io.Writer, format string, args ...any) { cli.Logf(w, "rest", format, args...) }
