// Command fanout measures how fast one broadcast reaches every subscribed
// socket of a ProofStell server: it signs in N guests, opens one socket
// each, subscribes them to a leaderboard's live updates, then publishes
// leaderboard:update events on the server's event bus exactly as a
// leaderboard grain's hub does (a Redis PUBLISH of the protos.ClientEvent
// on REDIS_PREFIX+"events:leaderboard:<board>") and times each socket's
// receipt from the moment before the PUBLISH.
//
// It reports, per subscriber count, the distribution over broadcasts of
// the time until the last subscriber received the broadcast, and the
// distribution of every single delivery.
//
// Usage: go run ./bench/fanout -addr 127.0.0.1:3000 -redis-prefix "$REDIS_PREFIX" -subscribers 1000,5000
//
// Raise the open-file limit first (ulimit -n 65536). Loopback targets only.
package main

import (
	"context"
	"io"

	"github.com/proofstell/proofstell/bench/internal/cli"
	"github.com/proofstell/proofstell/bench/internal/report"
)

func main() { cli.Main(run) }

// run is main without the process: it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return cli.Measure("fanout", func(args []string, stderr io.Writer) (config, error) {
		return parseConfig(ctx, args, stderr)
	}, measure)(ctx, args, stdout, stderr)
}

// measure runs every level and writes the report.
func measure(ctx context.Context, cfg config, stdout, stderr io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	res, err := measureFanout(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	return report.Emit(stdout, cfg.Out, func(w io.Writer) error { return writeReport(w, cfg, res) })
}

// logf writes one progress line.
func logf(w io.Writer, format string, args ...any) { cli.Logf(w, "fanout", format, args...) }
