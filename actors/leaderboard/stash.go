package leaderboard

import (
	"github.com/asynkron/protoactor-go/actor"

	"github.com/proofstell/proofstell/actors/protos"
)

// stashed is a message held during a rebuild with the sender to answer.
type stashed struct {
	msg    any
	sender *actor.PID
}

// isWork reports whether msg is served from the index (and so must wait for
// it); everything else is lifecycle or time.
func isWork(msg any) bool {
	switch msg.(type) {
	case *protos.ApplyStandings, *protos.TopQuery, *protos.RankQuery, *protos.AroundQuery:
		return true
	}
	return false
}

// tryStash holds work until the index is ready. The stash is bounded by
// Deps.StashLimit; overflow policy: reject (queries get QueryFailed at
// once, applies are dropped, both counted).
func (g *grain) tryStash(ctx actor.Context) bool {
	msg := ctx.Message()
	if !isWork(msg) {
		return false
	}
	if len(g.stash) >= g.deps.StashLimit {
		g.deps.Metrics.StashOverflow.WithLabelValues(g.boardLabel(), kindOf(msg)).Inc()
		g.refuse(ctx, msg, ctx.Sender())
		return true
	}
	g.stash = append(g.stash, stashed{msg: msg, sender: ctx.Sender()})
	g.deps.Metrics.StashDepth.WithLabelValues(g.boardLabel()).Inc()
	return true
}

// takeStash empties the stash, keeping the depth gauge honest.
func (g *grain) takeStash() []stashed {
	pending := g.stash
	g.stash = nil
	g.deps.Metrics.StashDepth.WithLabelValues(g.boardLabel()).Sub(float64(len(pending)))
	return pending
}

// replayStash serves held work in arrival order, answering each saved sender.
func (g *grain) replayStash(ctx actor.Context) {
	for _, s := range g.takeStash() {
		g.serve(ctx, s.msg, s.sender)
	}
}

// failStash refuses all held work.
func (g *grain) failStash(ctx actor.Context, reason string) {
	g.reason = reason
	for _, s := range g.takeStash() {
		g.refuse(ctx, s.msg, s.sender)
	}
}

// refuse answers a query with QueryFailed and drops an apply. It reports
// whether msg was work.
func (g *grain) refuse(ctx actor.Context, msg any, sender *actor.PID) bool {
	switch msg.(type) {
	case *protos.ApplyStandings:
		return true
	case *protos.TopQuery, *protos.RankQuery, *protos.AroundQuery:
		g.respond(ctx, sender, &protos.QueryFailed{Reason: g.refusal()})
		return true
	}
	return false
}

func (g *grain) refusal() string {
	if g.reason == "" {
		return "leaderboard busy"
	}
	return g.reason
}

// respond answers a sender; senders of plain Sends are nil and get nothing.
func (g *grain) respond(ctx actor.Context, to *actor.PID, reply any) {
	if to != nil {
		ctx.Send(to, reply)
	}
}

// boardLabel is the metrics label of the grain's board: its series, so a
// classic board keeps the label it had before boards were per mode.
func (g *grain) boardLabel() string {
	if g.key.Board == "" {
		return "unknown"
	}
	return g.key.Series()
}

func kindOf(msg any) string {
	if _, ok := msg.(*protos.ApplyStandings); ok {
		return "apply"
	}
	return "query"
}
