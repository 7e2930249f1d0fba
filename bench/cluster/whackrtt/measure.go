package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/proofstell/proofstell/bench/cluster/internal/members"
	"github.com/proofstell/proofstell/bench/internal/report"
)

// clusterRun is one cluster's games.
type clusterRun struct {
	Size  int
	Games []gameResult
	Took  time.Duration
}

// measure builds the server, runs the one-member and the cluster run one
// after the other, and reports.
func measure(ctx context.Context, cfg config, stdout, stderr io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	bin, work, temporary, err := cfg.Prepare(ctx, stderr)
	if err != nil {
		return err
	}
	var runs []clusterRun
	for _, size := range []int{1, cfg.Nodes} {
		r, err := runCluster(ctx, cfg, bin, work, size, stderr)
		if err != nil {
			return fmt.Errorf("%d-member run: %w (member logs in %s)", size, err, work)
		}
		runs = append(runs, r)
	}
	if temporary {
		_ = os.RemoveAll(work)
	}
	return report.Emit(stdout, cfg.Out, func(w io.Writer) error { return writeReport(w, cfg, runs) })
}

// runCluster launches size members, plays cfg.Games games on them and
// shuts them down.
func runCluster(ctx context.Context, cfg config, bin, work string, size int, stderr io.Writer) (clusterRun, error) {
	logf(stderr, "starting a %d-member cluster", size)
	c, err := members.Launch(ctx, members.LaunchOptions{
		Bin: bin, Size: size, Tag: fmt.Sprintf("whackrtt_%d_%d", os.Getpid(), size), LogDir: work,
		Postgres: cfg.Postgres, Redis: cfg.Redis, CPU: cfg.ServerCPU,
	})
	if err != nil {
		return clusterRun{}, err
	}
	began := time.Now()
	games := playAll(ctx, cfg, c)
	run := clusterRun{Size: size, Games: games, Took: time.Since(began)}
	logf(stderr, "%d-member run: %d games in %s", size, len(games), run.Took.Round(time.Millisecond))
	if err := c.Shutdown(context.WithoutCancel(ctx)); err != nil {
		logf(stderr, "shutdown: %v", err)
	}
	if completed(games) == 0 {
		return run, errors.New("no game completed")
	}
	return run, nil
}

// playAll runs one bot per game, bot i on member i mod size. Game starts
// are serialized (see starter) so each can be placed from the gauges.
func playAll(ctx context.Context, cfg config, c *members.Cluster) []gameResult {
	results := make([]gameResult, cfg.Games)
	s := &starter{cluster: c}
	var wg sync.WaitGroup
	for i := range cfg.Games {
		wg.Go(func() { results[i] = playGame(ctx, cfg, s, i) })
	}
	wg.Wait()
	return results
}

func completed(games []gameResult) int {
	n := 0
	for _, g := range games {
		if g.Completed {
			n++
		}
	}
	return n
}
