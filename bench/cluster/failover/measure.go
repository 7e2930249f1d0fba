package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"github.com/proofstell/proofstell/bench/cluster/internal/members"
	"github.com/proofstell/proofstell/bench/internal/report"
)

// runner holds what every iteration shares.
type runner struct {
	cfg     config
	cluster *members.Cluster
	rng     *rand.Rand
	stderr  io.Writer
}

// measure builds the server, launches the cluster, runs the iterations and
// reports.
func measure(ctx context.Context, cfg config, stdout, stderr io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	bin, work, temporary, err := cfg.Prepare(ctx, stderr)
	if err != nil {
		return err
	}
	c, err := members.Launch(ctx, members.LaunchOptions{
		Bin: bin, Size: cfg.Nodes, Tag: fmt.Sprintf("failover_%d", os.Getpid()), LogDir: work,
		Postgres: cfg.Postgres, Redis: cfg.Redis, CPU: cfg.ServerCPU, Env: strings.Fields(cfg.ServerEnv),
	})
	if err != nil {
		return fmt.Errorf("launch: %w (member logs in %s)", err, work)
	}
	r := &runner{cfg: cfg, cluster: c, rng: rand.New(rand.NewPCG(cfg.Seed, 0)), stderr: stderr} //nolint:gosec // G404: replayable delays
	began := time.Now()
	its := r.iterations(ctx)
	took := time.Since(began)
	if err := c.Shutdown(context.WithoutCancel(ctx)); err != nil {
		logf(stderr, "shutdown: %v", err)
	}
	if temporary && ctx.Err() == nil {
		_ = os.RemoveAll(work)
	}
	return report.Emit(stdout, cfg.Out, func(w io.Writer) error { return writeReport(w, cfg, its, took) })
}

// iterations runs cfg.Iterations kills, stopping early only if the cluster
// cannot be brought back to full size.
func (r *runner) iterations(ctx context.Context) []iteration {
	var its []iteration
	for n := range r.cfg.Iterations {
		it := r.iterate(ctx, n)
		its = append(its, it)
		logf(r.stderr, "%s", it.summary())
		if it.Fatal {
			break
		}
	}
	return its
}

// killDelay draws the time from the first mole to the kill.
func (r *runner) killDelay() time.Duration {
	spread := r.cfg.KillMax - r.cfg.KillMin
	return r.cfg.KillMin + time.Duration(r.rng.Int64N(int64(spread)+1))
}
