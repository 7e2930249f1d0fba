// Command grainreq measures a grain request across two cluster members on
// loopback: this process (the caller, a member hosting no grains) asks grains
// that live on a second member process (the host), once through ProofStell's
// path (grains.Request with a grains.ClusterDirectory, as the player and
// leaderboard clients do) and once through bare protoactor (cluster.Request,
// and a PID from cluster.Get with RequestFuture), and reports p50/p99 and
// throughput of each, sequential and concurrent, and the ratio. The target is
// ours ≤ 1.2× bare (bench/README.md).
//
// Usage: go run ./bench/cluster/grainreq -seq 20000 -concurrent 64 -requests 100000
//
// The host is this same program re-executed as "grainreq host"; it exits
// when its standard input closes, so it never outlives the caller. Both
// members use the automanaged provider on fixed loopback ports.
package main

import (
	"context"
	"io"

	"github.com/proofstell/proofstell/bench/internal/cli"
)

func main() { cli.Main(run) }

// run is main without the process: it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var err error
	if len(args) > 0 && args[0] == "host" {
		err = runHost(ctx, args[1:], stdout, stderr)
	} else {
		err = runCaller(ctx, args, stdout, stderr)
	}
	if err != nil {
		logf(stderr, "%v", err)
		return 1
	}
	return 0
}

// logf writes one progress or error line.
func logf(w io.Writer, format string, args ...any) { cli.Logf(w, "grainreq", format, args...) }
