package grains

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/cluster"
)

// Resolution pacing: protoactor's identity lookup asks the owner member with
// a fixed 5 s timeout and no retry, so a lookup that went to a member that
// has just died would hang for 5 s. Each attempt gets attemptTimeout (the
// topology drops a dead member within a fraction of that) and failures are
// retried with backoff until the caller's deadline.
const (
	attemptTimeout = time.Second
	firstRetryWait = 25 * time.Millisecond
	maxRetryWait   = 400 * time.Millisecond
)

// ClusterDirectory resolves grains through the protoactor cluster. Build it
// with NewClusterDirectory so lookups notice topology changes; a bare
// ClusterDirectory{Cluster: c} works but waits out its attempts.
type ClusterDirectory struct {
	Cluster *cluster.Cluster
	// Topology, when set, cuts short a lookup attempt when the topology
	// changes under it (the member it asked may have just left).
	Topology *TopologyWatch
}

// NewClusterDirectory resolves grains through c and watches its topology.
func NewClusterDirectory(c *cluster.Cluster) ClusterDirectory {
	return ClusterDirectory{Cluster: c, Topology: WatchTopology(c)}
}

// TopologyWatch signals cluster topology changes to lookups in flight.
type TopologyWatch struct {
	mu      sync.Mutex
	changed chan struct{} // closed at the next change, then replaced
}

// WatchTopology subscribes to c's topology events.
func WatchTopology(c *cluster.Cluster) *TopologyWatch {
	w := &TopologyWatch{changed: make(chan struct{})}
	c.ActorSystem.EventStream.Subscribe(func(evt any) {
		if _, ok := evt.(*cluster.ClusterTopology); ok {
			w.signal()
		}
	})
	return w
}

// Changed is closed at the next topology change after the call.
func (w *TopologyWatch) Changed() <-chan struct{} {
	if w == nil {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.changed
}

func (w *TopologyWatch) signal() {
	w.mu.Lock()
	defer w.mu.Unlock()
	close(w.changed)
	w.changed = make(chan struct{})
}

// PID resolves through the cluster's identity lookup, retrying with backoff
// until ctx ends.
func (d ClusterDirectory) PID(ctx context.Context, kind, identity string) (*actor.PID, error) {
	if pid, ok := d.Cluster.PidCache.Get(identity, kind); ok && pid != nil {
		return pid, nil
	}
	wait := firstRetryWait
	for {
		pid := d.attempt(ctx, kind, identity)
		if pid != nil {
			d.Cluster.PidCache.Set(identity, kind, pid)
			return pid, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("resolve %s/%s: %w: %w", kind, identity, ErrUnavailable, ctx.Err())
		case <-time.After(wait):
		}
		wait = min(2*wait, maxRetryWait)
	}
}

// attempt runs one identity lookup, giving up after attemptTimeout or at a
// topology change (the lookup itself runs on in its goroutine until
// protoactor's own timeout).
func (d ClusterDirectory) attempt(ctx context.Context, kind, identity string) *actor.PID {
	changed := d.Topology.Changed()
	found := make(chan *actor.PID, 1)
	go func() { found <- d.Cluster.Get(identity, kind) }()
	timer := time.NewTimer(attemptTimeout)
	defer timer.Stop()
	select {
	case pid := <-found:
		return pid
	case <-timer.C:
		return nil
	case <-changed:
		return nil
	case <-ctx.Done():
		return nil
	}
}

// Forget drops the cached PID.
func (d ClusterDirectory) Forget(kind, identity string, pid *actor.PID) {
	d.Cluster.PidCache.RemoveByValue(identity, kind, pid)
}
