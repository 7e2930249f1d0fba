package session

import (
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/scheduler"
)

// startTicks starts the game clock. The session does not tick at a fixed
// rate: it sleeps until the rules' next wake-up (a spawn, a mole's expiry, a
// phase change), because a fixed 20 ms tick across thousands of sessions is a
// timer goroutine per tick and delays socket reads (see bench/README.md). A
// zero TickInterval leaves the clock to the caller (tests send ticks).
func (a *Actor) startTicks(ctx actor.Context) {
	a.armWake(ctx, a.deps.Now())
}

// armWake sets the single timer to the next wake-up, no sooner than
// TickInterval from now and no later than SnapshotInterval (so a running
// game keeps snapshotting even when nothing spawns).
func (a *Actor) armWake(ctx actor.Context, now time.Time) {
	a.stopTicks()
	floor := a.deps.Config.TickInterval
	if floor <= 0 || a.game == nil {
		return
	}
	next := a.game.NextWake(now)
	if next.IsZero() {
		return
	}
	wait := min(max(next.Sub(now), floor), max(a.deps.Config.SnapshotInterval, floor))
	a.cancelTicks = scheduler.NewTimerScheduler(ctx).SendOnce(wait, ctx.Self(), &tick{})
}

func (a *Actor) stopTicks() {
	if a.cancelTicks != nil {
		a.cancelTicks()
		a.cancelTicks = nil
	}
}

// scheduleOnce mails msg to self after d.
func (a *Actor) scheduleOnce(ctx actor.Context, d time.Duration, msg any) {
	scheduler.NewTimerScheduler(ctx).SendOnce(d, ctx.Self(), msg)
}

// passivateWhenIdle stops the activation after IdleTimeout without messages;
// a finished session is fully in Postgres.
func (a *Actor) passivateWhenIdle(ctx actor.Context) {
	if a.deps.Config.IdleTimeout > 0 {
		ctx.SetReceiveTimeout(a.deps.Config.IdleTimeout)
	}
}
