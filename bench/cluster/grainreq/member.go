package main

import (
	"io"
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/runtime/grains"
	appconfig "github.com/proofstell/proofstell/config"
)

// kindRank is the benchmark's grain kind. Only the host registers it, so
// protoactor places every activation there and each request crosses nodes.
const kindRank = "rank"

// memberSpec is one member's loopback addresses.
type memberSpec struct {
	Addr      string // actor remoting
	Discovery string // automanaged discovery endpoint
}

// clusterConfig is the automanaged configuration of one member of a two-member
// cluster, with the production defaults for everything else.
func clusterConfig(name string, self memberSpec, peers []string) appconfig.Cluster {
	c := appconfig.Default().Cluster
	c.Name = name
	c.Provider = "automanaged"
	c.Addr = self.Addr
	c.DiscoveryAddr = self.Discovery
	c.Peers = peers
	c.ReadyTimeout = 15 * time.Second
	return c
}

// rankProps answers every RankQuery with a fixed RankReply: the cheapest
// protobuf round trip a real grain could offer, so the measure is the path,
// not the grain's work.
func rankProps() *actor.Props {
	return actor.PropsFromFunc(func(ctx actor.Context) {
		if q, ok := ctx.Message().(*protos.RankQuery); ok {
			ctx.Respond(&protos.RankReply{Found: true, Total: int64(len(q.GetPlayerId()))})
		}
	})
}

// hostKinds registers the rank grain; callerKinds registers none.
func hostKinds(*actor.ActorSystem, grains.Directory) map[string]*actor.Props {
	return map[string]*actor.Props{kindRank: rankProps()}
}

func callerKinds(*actor.ActorSystem, grains.Directory) map[string]*actor.Props {
	return map[string]*actor.Props{}
}

// warnLogger keeps protoactor's info chatter out of the measure.
func warnLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelWarn}))
}
