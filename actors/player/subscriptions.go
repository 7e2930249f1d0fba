package player

import (
	"github.com/asynkron/protoactor-go/actor"
)

// Handlers of the client messages that change the connection's fan-out
// subscriptions (see the protocol table, protocol.go). Each answers with an
// ack at once: the hub subscribes synchronously. A subscription names the
// connection's socket: the hub writes the topic's events there directly,
// so they never queue in this actor's mailbox.

func (a *Actor) onSubscribeGame(ctx actor.Context, c *Command, m SubscribeGame) {
	a.deps.Hub.Subscribe(GameTopic(m.GameID), ctx.Self(), a.conn)
	a.ack(c.ID, nil)
}

func (a *Actor) onSubscribeLeaderboard(ctx actor.Context, c *Command, m SubscribeLeaderboard) {
	a.deps.Hub.Subscribe(leaderboardTopic(m.Mode, m.LeaderboardID), ctx.Self(), a.conn)
	a.ack(c.ID, nil)
}

func (a *Actor) onUnsubscribeLeaderboard(ctx actor.Context, c *Command, m UnsubscribeLeaderboard) {
	a.deps.Hub.Unsubscribe(leaderboardTopic(m.Mode, m.LeaderboardID), ctx.Self())
	a.ack(c.ID, nil)
}
