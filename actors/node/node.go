// Package node boots this process's actor system and joins it to the
// protoactor cluster that places session and leaderboard grains.
//
// Providers: "single" runs a one-member cluster in-process (test provider
// with an in-memory agent; remoting listens on Cluster.Addr, loopback by
// default), so grains are real cluster grains from day one and adding
// members later changes configuration, not code.
package node

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"sync"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/cluster"
	"github.com/asynkron/protoactor-go/cluster/clusterproviders/test"
	"github.com/asynkron/protoactor-go/cluster/identitylookup/disthash"
	"github.com/asynkron/protoactor-go/remote"

	"github.com/proofstell/proofstell/actors/grains"
	"github.com/proofstell/proofstell/config"
)

// Node is a running actor system that is a cluster member.
type Node struct {
	System    *actor.ActorSystem
	Cluster   *cluster.Cluster
	Directory grains.Directory

	stopOnce sync.Once
}

// KindsFunc returns the grain kinds to register (kind name to props). It is
// called once the actor system and directory exist and before the member
// starts, so grain dependencies (clients of other grains) can use them.
type KindsFunc func(system *actor.ActorSystem, dir grains.Directory) map[string]*actor.Props

// Start creates the actor system, registers the grain kinds and joins the
// cluster. protoactor panics on some start failures (a taken port); Start
// turns those into errors.
func Start(cfg config.Cluster, kinds KindsFunc, logger *slog.Logger) (n *Node, err error) {
	host, port, err := splitAddr(cfg.Addr)
	if err != nil {
		return nil, err
	}
	provider, err := providerFor(cfg.Provider)
	if err != nil {
		return nil, err
	}
	libLogger := logger.With(slog.String("lib", "protoactor"))
	system := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return libLogger }))
	c := cluster.New(system, cluster.Configure(cfg.Name, provider, disthash.New(),
		remote.Configure(host, port), cluster.WithRequestTimeout(cfg.RequestTimeout)))
	n = &Node{System: system, Cluster: c, Directory: grains.ClusterDirectory{Cluster: c}}
	for name, props := range kinds(system, n.Directory) {
		c.Config.Kinds[name] = cluster.NewKind(name, props)
	}
	defer func() {
		if r := recover(); r != nil {
			n, err = nil, fmt.Errorf("start cluster member on %s: %v", cfg.Addr, r)
		}
	}()
	c.StartMember()
	return n, nil
}

// Address is the advertised host:port of this member's remoting.
func (n *Node) Address() string { return n.System.Address() }

// Stop leaves the cluster and stops every actor; safe to call twice.
func (n *Node) Stop() {
	n.stopOnce.Do(func() { n.Cluster.Shutdown(true) })
}

func providerFor(name string) (cluster.ClusterProvider, error) {
	switch name {
	case "single", "":
		return test.NewTestProvider(test.NewInMemAgent()), nil
	default:
		return nil, fmt.Errorf("cluster provider %q is not supported", name)
	}
}

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
