// Command whackrtt measures the judged-whack round trip (game:whack to the
// game:hit or game:miss carrying its request id) on real ProofStell member
// processes: first a one-member cluster, then a three-member cluster, in the
// same run and with the same number of games. In the cluster run each game
// is classified as same-node (its session grain lives on the member holding
// the player's socket) or cross-node, from the members' proofstell_sessions_active
// gauges read around each game:start (and cross-checked against protoactor's
// rendezvous placement). The report gives p50/p90/p99 per class.
//
// Usage (from the repository root; PostgreSQL and Redis on 127.0.0.1):
//
//	go run ./bench/cluster/whackrtt -games 90 -out /tmp/whackrtt.md
//
// It builds cmd/proofstell once into a temporary directory, creates and
// drops its own databases and Redis prefix, only talks to loopback, and stops
// every member it started (by pid) before it exits.
package main

import (
	"io"

	"github.com/proofstell/proofstell/bench/internal/cli"
)

func main() { cli.Main(cli.Measure("whackrtt", parseConfig, measure)) }

// logf writes one progress or error line.
func logf(w io.Writer, format string, args ...any) { cli.Logf(w, "whackrtt", format, args...) }
