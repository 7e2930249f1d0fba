// Package node boots this process's actor system and joins it to the
// protoactor cluster that places session and leaderboard grains.
//
// Providers (config.Cluster.Provider):
//   - "single": a one-member cluster in-process (protoactor's test provider
//     with an in-memory agent; remoting listens on Cluster.Addr, loopback by
//     default), so grains are real cluster grains on one node too.
//   - "automanaged": a fixed peer list probed over HTTP (automanaged.go).
//   - "etcd": leases and a watch on etcd (etcd.go).
//
// protoactor's cluster moves grains (dropping their memory) whenever the
// topology changes and never re-admits a member id it removed. Grains here are
// caches of Postgres state and fence their writes with epochs, so a move costs
// at most the state since the last snapshot; an evicted member is told
// through Evicted and must restart under a new id.
package node

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/cluster"
	"github.com/asynkron/protoactor-go/cluster/clusterproviders/test"
	"github.com/asynkron/protoactor-go/cluster/identitylookup/disthash"
	"github.com/asynkron/protoactor-go/remote"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/proofstell/proofstell/actors/runtime/grains"
	"github.com/proofstell/proofstell/config"
)

// Node is a running actor system that is a cluster member.
type Node struct {
	System    *actor.ActorSystem
	Cluster   *cluster.Cluster
	Directory grains.Directory

	membership membership
	stopOnce   sync.Once
}

// membership is a cluster provider that tells when the topology is known and
// when the cluster has removed this member, and can leave gracefully.
type membership interface {
	cluster.ClusterProvider
	// Ready is closed once this member sees itself in the topology.
	Ready() <-chan struct{}
	// Evicted is closed when the cluster removed this member for good.
	Evicted() <-chan struct{}
	// Leave makes peers drop this member (blocking until they have, or ctx
	// ends) while its remoting still serves.
	Leave(ctx context.Context) error
}

// KindsFunc returns the grain kinds to register (kind name to props). It is
// called once the actor system and directory exist and before the member
// starts, so grain dependencies (clients of other grains) can use them.
type KindsFunc func(system *actor.ActorSystem, dir grains.Directory) map[string]*actor.Props

// Start creates the actor system, registers the grain kinds and joins the
// cluster. protoactor panics on some start failures (a taken port); Start
// turns those into errors.
//
// ctx is the node's base context: it parents the membership provider's
// background work (probes, watches) and bounds the wait for the topology.
func Start(ctx context.Context, cfg config.Cluster, kinds KindsFunc, logger *slog.Logger) (n *Node, err error) {
	host, port, err := splitAddr(cfg.Addr)
	if err != nil {
		return nil, err
	}
	provider, err := providerFor(ctx, cfg, logger)
	if err != nil {
		return nil, err
	}
	libLogger := logger.With(slog.String("lib", "protoactor"))
	system := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return libLogger }))
	c := cluster.New(system, cluster.Configure(cfg.Name, provider, disthash.New(),
		remote.Configure(host, port), cluster.WithRequestTimeout(cfg.RequestTimeout)))
	n = &Node{System: system, Cluster: c, Directory: grains.NewClusterDirectory(c), membership: provider}
	for name, props := range kinds(system, n.Directory) {
		c.Config.Kinds[name] = cluster.NewKind(name, props)
	}
	defer func() {
		if r := recover(); r != nil {
			n, err = nil, fmt.Errorf("start cluster member on %s: %v", cfg.Addr, r)
		}
	}()
	c.StartMember()
	select {
	case <-provider.Ready():
		return n, nil
	case <-time.After(cfg.ReadyTimeout):
		n.Stop()
		return nil, fmt.Errorf("start cluster member: topology not known after %s", cfg.ReadyTimeout)
	case <-ctx.Done():
		n.Stop()
		return nil, fmt.Errorf("start cluster member: %w", ctx.Err())
	}
}

// Address is the advertised host:port of this member's remoting.
func (n *Node) Address() string { return n.System.Address() }

// Evicted is closed when the cluster removed this member for good (it was
// unreachable long enough for its peers to drop it). The process should
// exit so its supervisor restarts it as a new member.
func (n *Node) Evicted() <-chan struct{} { return n.membership.Evicted() }

// Leave makes the other members stop routing grains here, waiting until
// they have or ctx ends. Call it before Stop on a graceful shutdown.
func (n *Node) Leave(ctx context.Context) error { return n.membership.Leave(ctx) }

// Members is the number of members in this node's current topology.
func (n *Node) Members() int { return n.Cluster.MemberList.Length() }

// Stop stops every grain (each saves its state as it stops), leaves the
// cluster and stops the actor system; safe to call twice.
//
// It replaces protoactor's Cluster.Shutdown, whose graceful path stops the
// actor system before the grains (so they never see Stopping), sleeps two
// seconds, and panics with "send on closed channel" when a peer's connection
// closed first (remote endpoint manager). Here the grains stop first, then
// membership, gossip and remoting (non-graceful: the graceful variant is the
// one that races), then the actor system.
func (n *Node) Stop() {
	n.stopOnce.Do(func() {
		c := n.Cluster
		c.Gossip.SetState(cluster.GracefullyLeftKey, &emptypb.Empty{})
		c.IdentityLookup.Shutdown() // poisons every local grain and waits for them
		_ = n.membership.Shutdown(true)
		c.Gossip.Shutdown()
		c.Remote.Shutdown(false)
		c.ActorSystem.Shutdown()
	})
}

func providerFor(ctx context.Context, cfg config.Cluster, logger *slog.Logger) (membership, error) {
	switch cfg.Provider {
	case "single", "":
		return &single{Provider: test.NewTestProvider(test.NewInMemAgent())}, nil
	case "automanaged":
		return newAutomanaged(ctx, cfg.DiscoveryAddr, cfg.Peers, cfg.ProbeInterval, cfg.SuspectAfter, logger), nil
	case "etcd":
		return newEtcdMembership(ctx, cfg.EtcdEndpoints, cfg.EtcdLeaseTTL, logger), nil
	default:
		return nil, fmt.Errorf("cluster provider %q is not supported", cfg.Provider)
	}
}

// single is the one-member provider: ready at once, never evicted.
type single struct {
	*test.Provider
}

var closedChannel = func() chan struct{} {
	ch := make(chan struct{})
	close(ch)
	return ch
}()

// Ready is closed from the start: a single member knows its topology.
func (single) Ready() <-chan struct{} { return closedChannel }

// Evicted never fires: there is nobody to evict this member.
func (single) Evicted() <-chan struct{} { return nil }

// Leave has nobody to hand grains to.
func (single) Leave(context.Context) error { return nil }

func splitAddr(addr string) (string, int, error) {
	host, portText, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("cluster address %q: %w", addr, err)
	}
	port, err := strconv.Atoi(portText)
	if err != nil || port < 0 || port > 65535 {
		return "", 0, errors.New("cluster address " + strconv.Quote(addr) + ": bad port")
	}
	return host, port, nil
}
