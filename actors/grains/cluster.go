package grains

import (
	"context"
	"fmt"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/cluster"
)

// ClusterDirectory resolves grains through the protoactor cluster.
type ClusterDirectory struct {
	Cluster *cluster.Cluster
}

// PID resolves through the cluster's identity lookup, bounded by ctx (the
// lookup itself has no deadline, so it runs in its own goroutine).
func (d ClusterDirectory) PID(ctx context.Context, kind, identity string) (*actor.PID, error) {
	if pid, ok := d.Cluster.PidCache.Get(identity, kind); ok && pid != nil {
		return pid, nil
	}
	found := make(chan *actor.PID, 1)
	go func() { found <- d.Cluster.Get(identity, kind) }()
	select {
	case pid := <-found:
		if pid == nil {
			return nil, fmt.Errorf("resolve %s/%s: %w", kind, identity, ErrUnavailable)
		}
		d.Cluster.PidCache.Set(identity, kind, pid)
		return pid, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("resolve %s/%s: %w: %w", kind, identity, ErrUnavailable, ctx.Err())
	}
}

// Forget drops the cached PID.
func (d ClusterDirectory) Forget(kind, identity string, pid *actor.PID) {
	d.Cluster.PidCache.RemoveByValue(identity, kind, pid)
}
