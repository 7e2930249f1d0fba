package main

import (
	"context"
	"sync"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/bench/cluster/internal/members"
	"github.com/proofstell/proofstell/bench/cluster/internal/wsplay"
)

// Game classes in the report.
const (
	classSingle       = "single-node"
	classSame         = "same-node (cluster)"
	classCross        = "cross-node (cluster)"
	classUnclassified = "unclassified (cluster)"
)

// starter starts games one at a time so each can be placed from the
// proofstell_sessions_active gauges (members.Cluster.Place). Starts happen in the first
// seconds of a run, long before any game ends, so no activation stops in
// between.
type starter struct {
	cluster *members.Cluster
	mu      sync.Mutex
}

// start sends game:start and places the new session.
func (s *starter) start(ctx context.Context, p *wsplay.Player, mode string) (events.SessionAck, members.Placement, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ack events.SessionAck
	pl, err := s.cluster.Place(ctx, s.cluster.All(), func() (string, error) {
		var err error
		ack, err = p.StartSolo(ctx, mode)
		return ack.SessionID, err
	})
	return ack, pl, err
}

// classOf names a game's class from the cluster size and placement.
func classOf(size, player int, pl members.Placement) string {
	switch {
	case size == 1:
		return classSingle
	case pl.Host < 0:
		return classUnclassified
	case pl.Host == player:
		return classSame
	default:
		return classCross
	}
}
