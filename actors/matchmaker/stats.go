package matchmaker

import (
	"context"
	"fmt"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/proofstell/proofstell/actors/matchmaker/queue"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/runtime/grains"
)

// statsWindow is how far back "matches formed" counts.
const statsWindow = time.Minute

// onStatsQuery answers an operator's look at the queue.
func (a *Actor) onStatsQuery(ctx actor.Context) {
	now := a.deps.Now()
	a.forget(now)
	waits := make([]time.Duration, 0, len(a.tickets))
	players := 0
	for _, w := range a.tickets {
		waits = append(waits, now.Sub(w.ticket.EnqueuedAt))
		players += len(w.ticket.Players)
	}
	ctx.Respond(&protos.QueueStatsReply{
		Mode: a.mode, TicketsWaiting: int32(len(a.tickets)), PlayersWaiting: int32(players), //nolint:gosec // G115: bounded by MaxTickets
		MedianWaitMs: queue.Percentile(waits, 0.5).Milliseconds(), P95WaitMs: queue.Percentile(waits, 0.95).Milliseconds(),
		MatchesLastMinute: int32(len(a.formed)), //nolint:gosec // G115: matches in a minute
	})
}

// forget drops formation times older than the stats window.
func (a *Actor) forget(now time.Time) {
	keep := 0
	for keep < len(a.formed) && now.Sub(a.formed[keep]) > statsWindow {
		keep++
	}
	a.formed = a.formed[keep:]
}

// ModeStats is one mode's queue as operators see it.
type ModeStats struct {
	Mode              string
	TicketsWaiting    int
	PlayersWaiting    int
	MedianWait        time.Duration
	P95Wait           time.Duration
	MatchesLastMinute int
}

// Stats asks the matchmaker of each mode for its queue. It blocks on the
// grains: call it from a request handler, never from an actor.
type Stats struct {
	Root *actor.RootContext
	Dir  grains.Directory
	// Modes lists the modes to ask (the active game modes).
	Modes func(ctx context.Context) ([]string, error)
}

// Queues returns every mode's queue, in the order Modes lists them. Errors
// wrap the store's or grains.ErrUnavailable.
func (s Stats) Queues(ctx context.Context) ([]ModeStats, error) {
	modes, err := s.Modes(ctx)
	if err != nil {
		return nil, fmt.Errorf("matchmaking stats: %w", err)
	}
	out := make([]ModeStats, 0, len(modes))
	for _, mode := range modes {
		reply, err := grains.Request(ctx, s.Root, s.Dir, grains.KindMatchmaker, mode, &protos.QueueStatsQuery{})
		if err != nil {
			return nil, fmt.Errorf("matchmaking stats %s: %w", mode, err)
		}
		r, ok := reply.(*protos.QueueStatsReply)
		if !ok {
			return nil, fmt.Errorf("matchmaking stats %s: reply %T: %w", mode, reply, grains.ErrUnavailable)
		}
		out = append(out, ModeStats{Mode: mode, TicketsWaiting: int(r.GetTicketsWaiting()), PlayersWaiting: int(r.GetPlayersWaiting()),
			MedianWait: time.Duration(r.GetMedianWaitMs()) * time.Millisecond, P95Wait: time.Duration(r.GetP95WaitMs()) * time.Millisecond,
			MatchesLastMinute: int(r.GetMatchesLastMinute())})
	}
	return out, nil
}
