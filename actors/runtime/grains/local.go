package grains

import (
	"context"
	"fmt"
	"sync"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/cluster"
)

// LocalDirectory activates grains in one actor system without a cluster. It
// exists for actor tests, which run under -race where protoactor's cluster
// layer is known to race.
type LocalDirectory struct {
	root  *actor.RootContext
	kinds map[string]*actor.Props

	mu     sync.Mutex
	active map[string]*actor.PID
}

// NewLocalDirectory serves the given kinds (kind name to props).
func NewLocalDirectory(root *actor.RootContext, kinds map[string]*actor.Props) *LocalDirectory {
	return &LocalDirectory{root: root, kinds: kinds, active: map[string]*actor.PID{}}
}

// PID returns the live activation or spawns one and sends it ClusterInit
// before anything else can reach it.
func (d *LocalDirectory) PID(_ context.Context, kind, identity string) (*actor.PID, error) {
	props, ok := d.kinds[kind]
	if !ok {
		return nil, fmt.Errorf("resolve %s/%s: unknown kind: %w", kind, identity, ErrUnavailable)
	}
	key := kind + "/" + identity
	d.mu.Lock()
	defer d.mu.Unlock()
	if pid, ok := d.active[key]; ok && !d.stopped(pid) {
		return pid, nil
	}
	pid, err := d.root.SpawnNamed(props, key)
	if err != nil {
		return nil, fmt.Errorf("spawn %s: %w: %w", key, ErrUnavailable, err)
	}
	d.root.Send(pid, &cluster.ClusterInit{Identity: cluster.NewClusterIdentity(identity, kind)})
	d.active[key] = pid
	return pid, nil
}

// Forget drops the cached PID.
func (d *LocalDirectory) Forget(kind, identity string, pid *actor.PID) {
	d.mu.Lock()
	defer d.mu.Unlock()
	key := kind + "/" + identity
	if cur, ok := d.active[key]; ok && cur.Equal(pid) {
		delete(d.active, key)
	}
}

// stopped reports whether the activation has terminated (passivated).
func (d *LocalDirectory) stopped(pid *actor.PID) bool {
	_, ok := d.root.ActorSystem().ProcessRegistry.GetLocal(pid.Id)
	return !ok
}
