// Command loadgen plays many solo whack-a-mole games against a ProofStell
// server the way people would (sign in as a guest, open a socket, start a
// game, whack each mole after a human reaction delay, sometimes missing) and
// reports the judged-whack round trip: the time from sending game:whack to
// receiving its game:hit or game:miss.
//
// Usage: go run ./bench/loadgen -addr 127.0.0.1:3000 -games 1000 [-gateway socketio]
//
// -gateway socketio plays through the Socket.IO gateway instead of /ws; the
// bots and the measurement are the same (wsclient translates the packets,
// and its reader answers the Engine.IO pings), so the two runs compare.
//
// It only talks to loopback addresses, ramps connections up evenly over
// -ramp, and stops by itself after the games end or -timeout passes.
package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"

	"github.com/proofstell/proofstell/bench/internal/cli"
	"github.com/proofstell/proofstell/bench/internal/loopback"
)

func main() { cli.Main(run) }

// run is main without the process: it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseConfig(args, stderr)
	if err != nil {
		logf(stderr, "%v", err)
		return 2
	}
	if err := loopback.Check(ctx, net.DefaultResolver, cfg.Addr); err != nil {
		logf(stderr, "%v", err)
		return 2
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	t := newTally(cfg.Games)
	began := time.Now()
	if cfg.Duration > 0 {
		t.steadyFrom = began.Add(cfg.Ramp)
		t.steadyTo = t.steadyFrom.Add(cfg.Duration)
	}
	stopProgress := progress(ctx, t, stderr)
	launch(ctx, cfg, t)
	stopProgress()
	if err := report(cfg, t, time.Since(began), stdout); err != nil {
		logf(stderr, "%v", err)
		return 1
	}
	if t.gamesCompleted.Load() == 0 {
		return 1
	}
	return 0
}

// launch starts the bots evenly over the ramp and waits for all of them.
func launch(ctx context.Context, cfg config, t *tally) {
	var bots sync.WaitGroup
	defer bots.Wait()
	began := time.Now()
	for i := range cfg.Games {
		due := began.Add(cfg.Ramp * time.Duration(i) / time.Duration(cfg.Games))
		if !waitUntil(ctx, due) {
			return
		}
		b := newBot(i, cfg, t)
		bots.Go(func() { b.run(ctx) })
	}
}

// waitUntil blocks until at or until ctx ends; it reports whether at came.
func waitUntil(ctx context.Context, at time.Time) bool {
	d := time.Until(at)
	if d <= 0 {
		return ctx.Err() == nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// progress prints a status line every few seconds so a long run shows life.
func progress(ctx context.Context, t *tally, w io.Writer) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var done sync.WaitGroup
	done.Go(func() {
		tick := time.NewTicker(5 * time.Second)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				logf(w, "connected=%d active=%d completed=%d whacks=%d errors=%d",
					t.connected.Load(), t.activeGames.Load(), t.gamesCompleted.Load(), t.whacksSent.Load(), t.errorCount())
			case <-ctx.Done():
				return
			}
		}
	})
	return func() { cancel(); done.Wait() }
}

func report(cfg config, t *tally, elapsed time.Duration, stdout io.Writer) error {
	if err := writeReport(stdout, cfg, t, elapsed); err != nil {
		return err
	}
	if cfg.Out == "" {
		return nil
	}
	f, err := os.Create(cfg.Out)
	if err != nil {
		return fmt.Errorf("create report file: %w", err)
	}
	if err := writeReport(f, cfg, t, elapsed); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close report file: %w", err)
	}
	return nil
}

// logf writes one progress or error line.
func logf(w io.Writer, format string, args ...any) { cli.Logf(w, "loadgen", format, args...) }
