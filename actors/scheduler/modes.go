package scheduler

import (
	"context"
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/proofstell/proofstell/actors/leaderboard/standings"
)

// modesListed carries a listing of the ranked modes back into the mailbox,
// with the tick that asked for it.
type modesListed struct {
	ranked []string
	at     time.Time
	err    error
}

// listModes lists the modes off the mailbox, one listing at a time. The
// catalogue answers from memory once loaded, so a listing per tick is
// cheap.
func (a *Actor) listModes(ctx actor.Context, at time.Time) {
	if a.deps.Modes == nil || a.listing {
		return
	}
	a.listing = true
	self, root, deps := ctx.Self(), ctx.ActorSystem().Root, a.deps
	go func() {
		io, cancel := context.WithTimeout(deps.Base, deps.IOTimeout)
		defer cancel()
		all, err := deps.Modes.AllModes(io)
		m := &modesListed{at: at, err: err}
		for _, mode := range all {
			// A retired ranked mode still closes: its last periods hold the
			// games played before it was retired.
			if mode.Ranked && standings.ValidMode(mode.Name) {
				m.ranked = append(m.ranked, mode.Name)
			}
		}
		root.Send(self, m)
	}()
}

// onModesListed makes the listed ranked modes the ones whose boards close
// and closes what ended for the ones new to this leadership. A failed
// listing keeps the modes known so far (their closes go on) and is retried
// on the next tick.
func (a *Actor) onModesListed(ctx actor.Context, m *modesListed) {
	a.listing = false
	if m.err != nil {
		a.deps.Metrics.ModeListings.WithLabelValues(outcomeError).Inc()
		a.deps.Logger.Warn("scheduler: list ranked modes", slog.Any("error", m.err),
			slog.Any("closing", a.modes))
		return
	}
	a.deps.Metrics.ModeListings.WithLabelValues("ok").Inc()
	ranked := make(map[string]bool, len(m.ranked))
	for _, name := range m.ranked {
		ranked[name] = true
	}
	// A mode no longer ranked forgets when it was seen: if it is ranked
	// again, it re-checks its last ended periods rather than every period
	// since.
	for name := range a.seen {
		if !ranked[name] {
			delete(a.seen, name)
		}
	}
	a.modes = m.ranked
	a.scan(a.modes, m.at)
	a.closePending(ctx, m.at)
}
