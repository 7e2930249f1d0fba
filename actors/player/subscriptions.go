package player

import (
	"github.com/asynkron/protoactor-go/actor"
)

// Handlers of the client messages that change the connection's fan-out
// subscriptions (see the protocol table, protocol.go). Each answers with an
// ack at once: the hub subscribes synchronously.

func (a *Actor) onSubscribeGame(ctx actor.Context, c *Command, m SubscribeGame) {
	a.deps.Hub.Subscribe(GameTopic(m.GameID), ctx.Self())
	a.ack(c.ID, nil)
}

func (a *Actor) onSubscribeLeaderboard(ctx actor.Context, c *Command, m SubscribeLeaderboard) {
	a.deps.Hub.Subscribe(leaderboardTopic(m.LeaderboardID), ctx.Self())
	a.ack(c.ID, nil)
}

func (a *Actor) onUnsubscribeLeaderboard(ctx actor.Context, c *Command, m UnsubscribeLeaderboard) {
	a.deps.Hub.Unsubscribe(leaderboardTopic(m.LeaderboardID), ctx.Self())
	a.ack(c.ID, nil)
}
