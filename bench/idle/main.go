// Command idle measures what an idle authenticated WebSocket costs a
// ProofStell server in resident memory: it signs in N guests, reads the
// server's VmRSS, opens one socket per guest (answering the server's pings
// but sending nothing), lets the server settle, reads VmRSS again and
// reports (after − before) / open sockets. -gateway socketio opens
// Socket.IO sessions (websocket transport, namespace /realtime) instead of
// /ws sockets; the readers answer the Engine.IO pings.
//
// Usage: go run ./bench/idle -addr 127.0.0.1:3000 -pid $(pgrep -n proofstell) -sockets 10000 [-gateway socketio]
//
// To measure from a clean heap, sign in with one server process and measure
// a fresh one (same database, Redis and JWT secret), as bench/run.sh does:
//
//	idle -sockets 10000 -tokens-out tokens.txt      # then restart the server
//	idle -sockets 10000 -tokens-in tokens.txt -pid <fresh server pid>
//
// Raise the open-file limit first (ulimit -n 65536): each socket is a file
// descriptor on both sides. Loopback targets only.
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
	cfg, err := parseConfig(ctx, args, stderr)
	if err != nil {
		logf(stderr, "%v", err)
		return 2
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	if cfg.TokensOut != "" {
		if err := saveSignIns(ctx, cfg, stderr); err != nil {
			logf(stderr, "%v", err)
			return 1
		}
		return 0
	}
	res, err := measureIdle(ctx, cfg, stderr)
	if err != nil {
		logf(stderr, "%v", err)
		return 1
	}
	if err := report.Emit(stdout, cfg.Out, func(w io.Writer) error { return writeReport(w, cfg, res) }); err != nil {
		logf(stderr, "%v", err)
		return 1
	}
	return 0
}

// logf writes one progress or error line.
func logf(w io.Writer, format string, args ...any) { cli.Logf(w, "idle", format, args...) }
