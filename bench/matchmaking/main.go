// Command matchmaking measures a ProofStell server's matchmaking end to
// end: it signs in N guests, seeds their ratings in one ranked mode with a
// realistic population (bench/internal/population) through psql, opens one
// socket each, then sends matchmaking:join from each socket at a steady
// arrival rate (N over -duration) and times every player from just before
// its join is written to the receipt of its matchmaking:matched. A matched
// player closes its socket at once (the match's session is created by its
// host's player actor and torn down when its players are gone; no game is
// played).
//
// It reports the time to match (p50, p99, ...), the time to the join's
// ack, the rating spread (max − min ordinal) inside each formed match next
// to that of random pairs of the same population, matches formed per
// second, the CPU the server (and PostgreSQL, and this program) spent
// from the first join to the last match, per ticket, also less what the
// same sockets cost the server while held idle before the first join
// (-idle), and the growth of the server's admission and matchmaking
// counters (a join refused busy says which door refused it).
//
// Usage: go run ./bench/matchmaking -addr 127.0.0.1:3000 -pid <server pid> \
//
//	-db postgres://postgres@127.0.0.1:5432/proofstell -players 10000 -duration 60s
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
	return cli.Measure("matchmaking", func(args []string, stderr io.Writer) (config, error) {
		return parseConfig(ctx, args, stderr)
	}, measure)(ctx, args, stdout, stderr)
}

// measure runs the benchmark and writes the report.
func measure(ctx context.Context, cfg config, stdout, stderr io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	res, err := measureMatchmaking(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	return report.Emit(stdout, cfg.Out, func(w io.Writer) error { return writeReport(w, cfg, res) })
}

// logf writes one progress line.
func logf(w io.Writer, format string, args ...any) { cli.Logf(w, "matchmaking", format, args...) }
