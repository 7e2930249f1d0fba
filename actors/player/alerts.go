package player

import (
	"context"
	"log/slog"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/proofstell/proofstell/actors/protos"
)

// missedAlerts carries the notifications a player missed while offline
// back into the mailbox.
type missedAlerts struct {
	events []*protos.ClientEvent
	err    error
}

// takeMissedAlerts asks Deps.Alerts, off the mailbox, for the alerts the
// player missed. It runs after the player's topic is subscribed, so a
// notification stored later arrives live; one stored around the connect
// may arrive both ways, with the same id.
func (a *Actor) takeMissedAlerts(ctx actor.Context) {
	if a.deps.Alerts == nil {
		return
	}
	self, root, deps, playerID := ctx.Self(), ctx.ActorSystem().Root, a.deps, a.playerID
	go func() {
		take, cancel := context.WithTimeout(deps.Base, deps.LookupTimeout)
		defer cancel()
		evs, err := deps.Alerts.Take(take, playerID)
		root.Send(self, &missedAlerts{events: evs, err: err})
	}()
}

// onMissedAlerts writes the missed alerts to the socket, oldest first. A
// failed look-up is logged: the inbox (REST) still has them, and the next
// connect tries again.
func (a *Actor) onMissedAlerts(m *missedAlerts) {
	if m.err != nil {
		a.deps.Logger.Warn("player actor: missed alerts", slog.String("player", a.playerID), slog.Any("error", m.err))
		return
	}
	for _, ev := range m.events {
		a.conn.Send(Frame{Type: ev.Type, Data: ev.Data})
	}
}
