// Command failover measures how long a game is interrupted when the member
// hosting its session grain dies. On a three-member cluster of real
// ProofStell processes it repeats: sign a guest in on one member, start a
// solo game whose session lands on another member (found from the members'
// proofstell_sessions_active gauges), let it run, kill -9 the host, and time from the
// kill to the player's game:state-change "paused" and to the "started" that
// follows it (the session resumed elsewhere from its snapshot); also to the
// session being hosted by a survivor (its proofstell_sessions_active) and to the first
// game:mole after the kill. Then it closes the socket, restarts the killed
// member and waits until every member sees three again.
//
// Usage (from the repository root; PostgreSQL and Redis on 127.0.0.1):
//
//	go run ./bench/cluster/failover -iterations 20 -out /tmp/failover.md
//
// It builds cmd/proofstell once into a temporary directory, creates and
// drops its own database and Redis prefix, only talks to loopback, and only
// ever kills members it started (by pid).
package main

import (
	"io"

	"github.com/proofstell/proofstell/bench/internal/cli"
)

func main() { cli.Main(cli.Measure("failover", parseConfig, measure)) }

// logf writes one progress or error line.
func logf(w io.Writer, format string, args ...any) { cli.Logf(w, "failover", format, args...) }
