package leaderboard

import (
	"github.com/asynkron/protoactor-go/actor"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/leaderboard/standings"
	"github.com/proofstell/proofstell/actors/protos"
)

// Bounds on what one query may ask for; the grain enforces them whatever a
// remote sender asks, the Client rejects larger values as ErrBadQuery.
const (
	MaxPageSize = 100
	MaxRadius   = 50
)

// TopicPrefix starts every leaderboard pub/sub topic.
const TopicPrefix = "leaderboard:"

// Topic is the pub/sub topic of the live updates of a mode's board, in
// every period: "leaderboard:<board>" for the default mode (the topic
// clients knew before boards were per mode), "leaderboard:<mode>/<board>"
// for any other (standings.Key.Series).
func Topic(key standings.Key) string { return TopicPrefix + key.Series() }

// serving: the index is loaded; answer from it.
func (g *grain) serving(ctx actor.Context) {
	if g.serve(ctx, ctx.Message(), ctx.Sender()) {
		return
	}
	switch m := ctx.Message().(type) {
	case *PublishTick:
		g.onTick(ctx)
	case *CatchUpTick:
		g.onCatchUpTick(ctx)
	case *caughtUp:
		g.onCaughtUp(m)
	case *actor.ReceiveTimeout:
		g.onIdle(ctx)
	default:
		g.lifecycle(ctx)
	}
}

// serve handles work, live or replayed from the stash, answering sender.
func (g *grain) serve(ctx actor.Context, msg any, sender *actor.PID) bool {
	switch m := msg.(type) {
	case *protos.ApplyStandings:
		g.onApply(m)
	case *localApply:
		g.onApply(m.apply)
		m.view.pending.Add(-1) // after the offers: a read that sees 0 sees them
	case *protos.TopQuery:
		g.respond(ctx, sender, g.onTop(m))
	case *protos.RankQuery:
		g.respond(ctx, sender, g.onRank(m))
	case *protos.AroundQuery:
		g.respond(ctx, sender, g.onAround(m))
	default:
		return false
	}
	return true
}

func (g *grain) onApply(m *protos.ApplyStandings) {
	changed := false
	for _, p := range m.GetEntries() {
		changed = g.view.offer(entryFromProto(p)) || changed
	}
	if changed {
		g.dirty = true
		g.reportSize()
	}
}

// The grain reads its index without the view's lock: it is the only writer.
func (g *grain) onTop(q *protos.TopQuery) *protos.TopReply {
	page, total, hasMore := topPage(g.index, q, g.deps.Config.TopN)
	return &protos.TopReply{Entries: rankedToProto(page), Total: int64(total), HasMore: hasMore}
}

func (g *grain) onRank(q *protos.RankQuery) *protos.RankReply {
	reply := &protos.RankReply{Total: int64(g.index.Len())}
	rank, e, ok := g.index.Rank(q.GetPlayerId())
	if ok {
		reply.Found = true
		reply.Entry = &protos.RankedEntry{Rank: int64(rank), Entry: entryToProto(e)}
	}
	return reply
}

func (g *grain) onAround(q *protos.AroundQuery) *protos.AroundReply {
	around := aroundOf(g.index, q.GetPlayerId(), int(q.GetRadius()))
	return &protos.AroundReply{
		Found:   len(around) > 0,
		Entries: rankedToProto(around),
		Total:   int64(g.index.Len()),
	}
}

// onTick publishes the top entries if they changed since the last tick, so
// a burst of results costs one event per PublishInterval. Past periods do
// not publish: clients follow the live board (live: challenge boards too).
func (g *grain) onTick(ctx actor.Context) {
	g.armIdle(ctx)
	if !g.dirty {
		return
	}
	g.dirty = false
	if !g.live() {
		return
	}
	update := events.LeaderboardUpdate{
		LeaderboardID: string(g.key.Board),
		Mode:          g.key.Mode,
		Period:        g.key.Period,
		Scores:        rankedToEvents(g.index.Top(g.deps.Config.TopN)),
	}
	g.deps.Publisher.Publish(Topic(g.key), &protos.ClientEvent{
		Type: events.TypeLeaderboardUpdate,
		Data: events.Encode(update),
	})
	g.deps.Metrics.Published.WithLabelValues(g.boardLabel()).Inc()
}

// reportSize exports the live period's size; past periods would fight over
// the same board label.
func (g *grain) reportSize() {
	if g.current() {
		g.deps.Metrics.IndexSize.WithLabelValues(g.boardLabel()).Set(float64(g.index.Len()))
	}
}
