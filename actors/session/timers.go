package session

import (
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/scheduler"
)

// startTicks drives the game clock. A zero TickInterval leaves the clock to
// the caller (tests send ticks themselves).
func (a *Actor) startTicks(ctx actor.Context) {
	if a.cancelTicks != nil || a.deps.Config.TickInterval <= 0 {
		return
	}
	every := a.deps.Config.TickInterval
	a.cancelTicks = scheduler.NewTimerScheduler(ctx).SendRepeatedly(every, every, ctx.Self(), &tick{})
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
