package player

import (
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/scheduler"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/protos"
)

// Re-attach defaults (see Deps.RetryBackoff and Deps.ReattachBudget).
const (
	firstBackoff          = 50 * time.Millisecond
	maxBackoff            = time.Second
	defaultReattachBudget = 10 * time.Second
)

var reattachTotal = promauto.NewCounterVec(prometheus.CounterOpts{
	Name: "proofstell_player_session_reattach_total",
	Help: "Connections whose session activation died mid-game, by outcome: resumed (the new activation answered), ended (the session ended meanwhile) or unavailable (gave up).",
}, []string{"outcome"})

// retryResolve is the backoff timer of a re-resolution of binding.
type retryResolve struct{ binding *binding }

// DefaultRetryBackoff waits 50 ms before the first re-resolution and doubles
// up to 1 s.
func DefaultRetryBackoff(attempt int) time.Duration {
	return min(firstBackoff<<min(attempt, 8), maxBackoff)
}

// onTerminated handles the death of a watched session activation (stopped,
// moved by the cluster, or its node gone). While the game is not over the
// client is told the game is paused and the connection finds the session's
// next activation, which resumes from its last snapshot. A death after the
// binding ended (game over) changes nothing.
func (a *Actor) onTerminated(ctx actor.Context, m *actor.Terminated) {
	if a.queueTerminated(ctx, m.GetWho()) {
		return
	}
	b := a.current
	if b == nil || b.pid == nil || !b.pid.Equal(m.GetWho()) {
		return
	}
	dead := b.pid
	b.pid, b.dropAck = nil, false
	if b.moving {
		// The new activation died before it answered: keep backing off.
		b.stale = dead
		a.retryLater(ctx, b)
		return
	}
	if !b.answered {
		// The activation ended before it answered the client's request (it
		// failed it and stopped, was handing off, or died): ask the next
		// activation again. Silently: the client is not in a game yet, and a
		// reply already on its way ends the binding first.
		b.moving, b.attempt, b.waited, b.stale = true, 0, 0, dead
		a.retryLater(ctx, b)
		return
	}
	b.moving, b.attempt, b.waited = true, 0, 0
	a.sendPaused(b)
	// The first lookup waits one backoff step too: protoactor delivers the
	// Terminated of a member that left before it updates the identity
	// lookup's view, so an immediate lookup would still ask the departed
	// member and hang until the attempt timed out.
	b.stale = dead
	a.retryLater(ctx, b)
}

// sendPaused tells the client its game is paused while the session moves.
func (a *Actor) sendPaused(b *binding) {
	a.conn.Send(Frame{Type: events.TypeStateChange, Data: events.Encode(events.StateChange{
		GameID: b.sessionID, State: events.StatePaused, Reason: events.ReasonMoving,
	})})
}

// nextRetry is the wait before re-resolution attempt, and false once it
// would take the waits so far past the re-attach budget (a session's
// re-attach and a matchmaking ticket's re-queue share both knobs).
func (a *Actor) nextRetry(attempt int, waited time.Duration) (time.Duration, bool) {
	backoff, budget := a.deps.RetryBackoff, a.deps.ReattachBudget
	if backoff == nil {
		backoff = DefaultRetryBackoff
	}
	if budget <= 0 {
		budget = defaultReattachBudget
	}
	wait := backoff(attempt)
	return wait, waited+wait <= budget
}

// retryLater schedules the next re-resolution, or gives up once the budget
// of waits is spent.
func (a *Actor) retryLater(ctx actor.Context, b *binding) {
	wait, ok := a.nextRetry(b.attempt, b.waited)
	if !ok {
		a.giveUp(ctx, b)
		return
	}
	b.attempt++
	b.waited += wait
	scheduler.NewTimerScheduler(ctx).SendOnce(wait, ctx.Self(), &retryResolve{binding: b})
}

func (a *Actor) onRetryResolve(ctx actor.Context, m *retryResolve) {
	if b := a.current; b == m.binding && b.pid == nil {
		stale := b.stale
		b.stale = nil
		a.resolve(ctx, b, stale)
	}
}

// giveUp drops a session that could not be found again: the client gets an
// error and may resume the game later.
func (a *Actor) giveUp(ctx actor.Context, b *binding) {
	reattachTotal.WithLabelValues("unavailable").Inc()
	a.deps.Logger.Warn("session unavailable after its activation died", slog.String("session", b.sessionID),
		slog.Int("attempts", b.attempt), slog.Duration("waited", b.waited))
	a.unbind(ctx)
	id := int64(0)
	if !b.answered {
		id = b.openID // the client's request gets its answer
	}
	a.fail(id, events.CodeUnavailable, "the game is unavailable, try to resume it later")
	a.failPending(b)
}

// reattached consumes the ack that answers the internal re-attach: the
// session's new activation has the connection again. It also notes the
// reply to the request that opened the binding (which ends a move too,
// unless the reply came from the activation whose death overtook it).
func (a *Actor) reattached(ev *protos.ClientEvent) bool {
	b := a.current
	if b == nil || ev.SessionId != b.sessionID {
		return false
	}
	if !b.answered && isReply(ev) && ev.RequestId == b.openID {
		b.answered = true
		b.ticket.Answered()
		switch {
		case b.moving && b.pid == nil && !ev.Detach:
			// The dead activation's reply: the client is now in a game that
			// is moving. The move goes on, so the next activation gets the
			// connection back (deliver sends the internal re-attach), and
			// the client hears the pause after its answer.
			a.conn.Send(Frame{Type: ev.Type, ID: ev.RequestId, Data: ev.Data})
			a.sendPaused(b)
			return true
		case b.moving && !b.dropAck:
			b.moving = false
			reattachTotal.WithLabelValues("resumed").Inc()
		}
	}
	if !b.dropAck || ev.Type != events.TypeAck || ev.RequestId != 0 {
		return false
	}
	b.dropAck, b.moving = false, false
	reattachTotal.WithLabelValues("resumed").Inc()
	return true
}

// repliedAgain drops a second reply to a request that was sent again to a
// new activation after its first reply had overtaken the old one's end.
func (a *Actor) repliedAgain(ev *protos.ClientEvent) bool {
	b := a.current
	return b != nil && b.resent && b.answered && b.openID != 0 && ev.SessionId == b.sessionID &&
		ev.RequestId == b.openID && (ev.Type == events.TypeAck || ev.Type == events.TypeError)
}

// isReply reports whether ev can answer a client's request: an ack, an
// error, or the end of a game that is already over.
func isReply(ev *protos.ClientEvent) bool {
	switch ev.Type {
	case events.TypeAck, events.TypeError, events.TypeOver, events.TypeStateChange:
		return true
	}
	return false
}
