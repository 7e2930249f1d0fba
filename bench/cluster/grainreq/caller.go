package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"time"

	"github.com/proofstell/proofstell/bench/cluster/internal/members"

	"github.com/proofstell/proofstell/actors/runtime/node"
	"github.com/proofstell/proofstell/bench/internal/report"
)

// runCaller starts the host, joins as the caller and measures every path.
func runCaller(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig(args, stderr)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	addrs, err := members.FreeAddrs(4)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("grainreq-%d", os.Getpid())
	caller, host := memberSpec{Addr: addrs[0], Discovery: addrs[1]}, memberSpec{Addr: addrs[2], Discovery: addrs[3]}
	peers := []string{caller.Discovery, host.Discovery}
	hp, err := startHost(ctx, name, host, peers, cfg.HostCPU, stderr)
	if err != nil {
		return err
	}
	defer hp.stop()
	n, err := node.Start(ctx, clusterConfig(name, caller, peers), callerKinds, warnLogger(stderr))
	if err != nil {
		return fmt.Errorf("start caller member: %w", err)
	}
	defer n.Stop()
	if err := awaitMembers(ctx, n, 2); err != nil {
		return err
	}
	runs, err := measureAll(ctx, cfg, n, stderr)
	if err != nil {
		return err
	}
	return report.Emit(stdout, cfg.Out, func(w io.Writer) error { return writeReport(w, cfg, runs) })
}

// awaitMembers waits until the caller's topology has want members, so the
// first request does not race the host's arrival.
func awaitMembers(ctx context.Context, n *node.Node, want int) error {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for n.Members() < want {
		select {
		case <-ctx.Done():
			return fmt.Errorf("cluster has %d of %d members: %w", n.Members(), want, ctx.Err())
		case <-tick.C:
		}
	}
	return nil
}

// measureAll warms every path up, then runs the measure, under a CPU
// profile when one was asked for.
func measureAll(ctx context.Context, cfg config, n *node.Node, stderr io.Writer) ([]*pathRun, error) {
	ps, err := newPaths(ctx, n, cfg)
	if err != nil {
		return nil, err
	}
	runs := make([]*pathRun, len(ps))
	for i, p := range ps {
		runs[i] = &pathRun{path: p}
		if err := warm(ctx, p, cfg); err != nil {
			return nil, err
		}
	}
	stopProfile, err := startProfile(cfg.CPUProfile)
	if err != nil {
		return nil, err
	}
	defer stopProfile()
	for r := range cfg.Rounds {
		measureRound(ctx, cfg, runs, r)
		logf(stderr, "round %d/%d done", r+1, cfg.Rounds)
	}
	return runs, ctx.Err()
}

// startProfile starts a CPU profile into path ("" does nothing).
func startProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path) //nolint:gosec // the operator names the profile file
	if err != nil {
		return nil, fmt.Errorf("create profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("start profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); _ = f.Close() }, nil
}
