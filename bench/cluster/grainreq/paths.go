package main

import (
	"context"
	"fmt"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/cluster"

	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/runtime/grains"
	"github.com/proofstell/proofstell/actors/runtime/node"
)

// Path names, as printed in the report.
const (
	pathOurs    = "ours: grains.Request + ClusterDirectory"
	pathCluster = "bare: cluster.Request"
	pathPID     = "bare: cluster.Get once + RequestFuture"
	// Resolution only, the PID cache emptied first: what a moved or new
	// grain costs before its first request.
	resolveOurs = "ours: ClusterDirectory.PID, cache miss"
	resolveBare = "bare: cluster.Get, cache miss"
)

// path is one way of asking a rank grain on the other member.
type path struct {
	name string
	call func(ctx context.Context, identity string) error
	// resolve marks a resolution-only path, measured sequentially only.
	resolve bool
}

// newPaths builds the three paths over n's cluster. The bare PID path
// resolves each grain once up front, as a caller that caches PIDs would.
func newPaths(ctx context.Context, n *node.Node, cfg config) ([]path, error) {
	ids := identities(cfg.Grains)
	pids := make(map[string]*actor.PID, len(ids))
	for _, id := range ids {
		pid := n.Cluster.Get(id, kindRank)
		if pid == nil {
			return nil, fmt.Errorf("resolve %s/%s: no activation", kindRank, id)
		}
		pids[id] = pid
		if ctx.Err() != nil {
			return nil, fmt.Errorf("resolve grains: %w", ctx.Err())
		}
	}
	root, dir, c := n.System.Root, grains.NewClusterDirectory(n.Cluster), n.Cluster
	return []path{
		{name: pathOurs, call: oursCall(root, dir, cfg.ReqTimeout)},
		{name: pathCluster, call: clusterCall(c, cfg.ReqTimeout)},
		{name: pathPID, call: pidCall(root, pids, cfg.ReqTimeout)},
		{name: resolveOurs, call: oursResolve(dir, cfg.ReqTimeout), resolve: true},
		{name: resolveBare, call: bareResolve(c), resolve: true},
	}, nil
}

// oursCall is how ProofStell code asks a grain: a request context with a
// deadline, then grains.Request (leaderboard.Client does exactly this).
func oursCall(root *actor.RootContext, dir grains.Directory, timeout time.Duration) func(context.Context, string) error {
	return func(ctx context.Context, id string) error {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		reply, err := grains.Request(ctx, root, dir, kindRank, id, &protos.RankQuery{PlayerId: id})
		return checkReply(reply, err)
	}
}

// clusterCall is protoactor's own grain call (PID cache, lookup, retries).
func clusterCall(c *cluster.Cluster, timeout time.Duration) func(context.Context, string) error {
	return func(_ context.Context, id string) error {
		reply, err := c.Request(id, kindRank, &protos.RankQuery{PlayerId: id}, cluster.WithTimeout(timeout))
		return checkReply(reply, err)
	}
}

// pidCall is the floor: a request future to an already known PID.
func pidCall(root *actor.RootContext, pids map[string]*actor.PID, timeout time.Duration) func(context.Context, string) error {
	return func(_ context.Context, id string) error {
		reply, err := root.RequestFuture(pids[id], &protos.RankQuery{PlayerId: id}, timeout).Result()
		return checkReply(reply, err)
	}
}

// resolvePrefix gives the resolution paths grains of their own: they empty
// the PID cache, which the request paths share and must find warm.
const resolvePrefix = "resolve-"

// oursResolve forgets the cached PID and resolves it again through
// ClusterDirectory (a goroutine around cluster.Get, bounded by ctx).
func oursResolve(dir grains.ClusterDirectory, timeout time.Duration) func(context.Context, string) error {
	return func(ctx context.Context, id string) error {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		id = resolvePrefix + id
		dir.Cluster.PidCache.Remove(id, kindRank)
		_, err := dir.PID(ctx, kindRank, id)
		return err
	}
}

// bareResolve forgets the cached PID and asks the identity lookup directly.
func bareResolve(c *cluster.Cluster) func(context.Context, string) error {
	return func(_ context.Context, id string) error {
		id = resolvePrefix + id
		c.PidCache.Remove(id, kindRank)
		if c.Get(id, kindRank) == nil {
			return fmt.Errorf("resolve %s/%s: no activation", kindRank, id)
		}
		return nil
	}
}

func checkReply(reply any, err error) error {
	if err != nil {
		return err
	}
	if r, ok := reply.(*protos.RankReply); !ok || !r.GetFound() {
		return fmt.Errorf("unexpected reply %T", reply)
	}
	return nil
}

// identities names the grains asked: g-0000 … g-NNNN.
func identities(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("g-%04d", i)
	}
	return ids
}
