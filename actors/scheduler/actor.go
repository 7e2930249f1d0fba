package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/leaderboard"
	"github.com/proofstell/proofstell/actors/leaderboard/standings"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/runtime/ticks"
	"github.com/proofstell/proofstell/persistence"
)

// TypePeriodClosed is the client event announcing that a leaderboard period
// has ended and its standings are final.
const TypePeriodClosed = events.TypePeriodClosed

// PeriodClosed is the payload of a leaderboard:period-closed event.
type PeriodClosed struct {
	Board string `json:"board"`
	// Mode is the ranked mode whose board closed.
	Mode   string `json:"mode"`
	Period string `json:"period"`
}

// Tick makes the scheduler look at the clock. Its own timer sends it every
// TickInterval; tests send it after moving their clock.
type Tick struct{}

// closeKey names one period of one board of one ranked mode.
type closeKey = standings.Key

// periodClosed carries a ClosePeriod verdict back into the mailbox.
type periodClosed struct {
	key    closeKey
	closed bool
	err    error
	// freeze is the verdict of freezing the period (zero when freezing is
	// off or the close failed).
	freeze frozen
}

// Actor is the scheduler job of one leadership of the scheduler lease.
type Actor struct {
	deps  Deps
	lease persistence.Lease
	// modes are the ranked modes whose boards close, as last listed.
	modes []string
	// seen is, per mode, the clock at the last tick that looked at its
	// periods; a mode missing from it (first tick, newly ranked) re-checks
	// its last ended periods.
	seen map[string]time.Time
	// listing is set while a listing of the modes is in flight.
	listing bool
	// pending are periods seen ended but not yet confirmed closed; the value
	// is true while a close call is in flight.
	pending     map[closeKey]bool
	cancelTicks func()
	// lastSweep is when the last lobby sweep started (zero: sweep at the
	// next tick); sweeping is set while one is in flight.
	lastSweep time.Time
	sweeping  bool
	// challenges is the state of the challenge jobs (challenges.go).
	challenges challengeJobs
}

// Props builds the scheduler for one leadership: every close it writes is
// fenced by lease's epoch. Use it as the singleton runner's job.
func Props(deps Deps, lease persistence.Lease) *actor.Props {
	deps = deps.withDefaults()
	return actor.PropsFromProducer(func() actor.Actor {
		a := &Actor{deps: deps, lease: lease, pending: map[closeKey]bool{}, seen: map[string]time.Time{}}
		if deps.Modes == nil {
			a.modes = []string{standings.DefaultMode}
		}
		return a
	})
}

// Receive dispatches one message.
func (a *Actor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		a.startTicks(ctx)
	case *actor.Stopping, *actor.Restarting:
		a.stopTicks()
	case *Tick:
		a.onTick(ctx)
	case *periodClosed:
		a.onPeriodClosed(ctx, m)
	case *lobbiesSwept:
		a.onLobbiesSwept(m)
	case *modesListed:
		a.onModesListed(ctx, m)
	case *challengeRun:
		a.onChallengeRun(ctx, m)
	case actor.SystemMessage, actor.AutoReceiveMessage:
	default:
		a.deps.Logger.Warn("scheduler: unknown message", slog.String("type", fmt.Sprintf("%T", m)))
	}
}

// onTick finds the periods of the known ranked modes that ended since the
// last tick (on a mode's first tick: the last period of each board, in case
// the previous leader died before closing it), closes every one not
// already being closed, and lists the modes again so that a mode made
// ranked or added since is closed from its reply on.
func (a *Actor) onTick(ctx actor.Context) {
	now := a.deps.Now()
	a.scan(a.modes, now)
	a.closePending(ctx, now)
	a.listModes(ctx, now)
	a.sweepLobbiesIfDue(ctx, now)
	a.runChallengeJobs(ctx, now)
}

// scan adds to pending the periods of modes' boards that ended since each
// mode was last scanned, up to now.
func (a *Actor) scan(modes []string, now time.Time) {
	for _, mode := range modes {
		last, known := a.seen[mode]
		for _, b := range closingBoards {
			from := last
			if !known {
				from = previousEnd(b, now)
			}
			for _, key := range endedBetween(b, from, now) {
				k := closeKey{Mode: mode, Board: b, Period: key}
				if _, ok := a.pending[k]; !ok {
					a.pending[k] = false
				}
			}
		}
		if now.After(last) {
			a.seen[mode] = now
		}
	}
}

// closePending starts a close of every pending period not in flight.
func (a *Actor) closePending(ctx actor.Context, now time.Time) {
	for k, inFlight := range a.pending {
		if !inFlight {
			a.pending[k] = true
			a.closePeriod(ctx, k, now)
		}
	}
}

// closePeriod writes the close off the mailbox and mails the verdict back.
func (a *Actor) closePeriod(ctx actor.Context, k closeKey, at time.Time) {
	self, root, deps, lease := ctx.Self(), ctx.ActorSystem().Root, a.deps, a.lease
	go func() {
		io, cancel := context.WithTimeout(deps.Base, deps.IOTimeout)
		defer cancel()
		closed, err := deps.Closer.ClosePeriod(io, boardKey(k), lease.Holder, lease.Epoch, at)
		m := &periodClosed{key: k, closed: closed, err: err}
		if err == nil && deps.freezing() {
			m.freeze = freezeAfterClose(deps, lease, k)
		}
		root.Send(self, m)
	}()
}

func (a *Actor) onPeriodClosed(ctx actor.Context, m *periodClosed) {
	switch {
	case errors.Is(m.err, persistence.ErrStaleEpoch):
		a.count(m.key, outcomeStale)
		a.fenced(ctx)
	case m.err != nil:
		a.count(m.key, outcomeError)
		a.pending[m.key] = false // retried on the next tick
		a.deps.Logger.Warn("close leaderboard period", a.attrs(m.key, slog.Any("error", m.err))...)
	case m.closed:
		a.announce(m.key)
		a.count(m.key, outcomeClosed)
		a.onFrozen(ctx, m.key, m.freeze)
	default:
		a.count(m.key, outcomeAlreadyClosed)
		a.onFrozen(ctx, m.key, m.freeze)
	}
}

// fenced stops a scheduler whose lease moved on: a newer leader owns the
// work, so this one must not even try further closes.
func (a *Actor) fenced(ctx actor.Context) {
	a.deps.Logger.Info("scheduler fenced by a newer leader", slog.Int64("epoch", a.lease.Epoch))
	a.stopTicks()
	a.pending = map[closeKey]bool{}
	ctx.Stop(ctx.Self())
}

// announce tells the board's subscribers, on every node, that the period is
// final. Only the call that actually closed the period announces it.
func (a *Actor) announce(k closeKey) {
	a.deps.Publisher.Publish(leaderboard.Topic(k), &protos.ClientEvent{
		Type: TypePeriodClosed,
		Data: events.Encode(PeriodClosed{Board: string(k.Board), Mode: k.Mode, Period: k.Period}),
	})
	a.deps.Logger.Info("leaderboard period closed", a.attrs(k)...)
}

func (a *Actor) count(k closeKey, outcome string) {
	a.deps.Metrics.Closes.WithLabelValues(k.Series(), outcome).Inc()
}

func (a *Actor) attrs(k closeKey, more ...any) []any {
	return append([]any{slog.String("mode", k.Mode), slog.String("board", string(k.Board)),
		slog.String("period", k.Period), slog.Int64("epoch", a.lease.Epoch)}, more...)
}

// boardKey is k in the stores' words.
func boardKey(k standings.Key) persistence.BoardKey {
	return persistence.BoardKey{Mode: k.Mode, Board: string(k.Board), Period: k.Period}
}

func (a *Actor) startTicks(ctx actor.Context) {
	if a.deps.TickInterval > 0 {
		a.cancelTicks = ticks.Every(ctx.ActorSystem().Root, 0, a.deps.TickInterval, ctx.Self(), &Tick{})
	}
}

func (a *Actor) stopTicks() {
	if a.cancelTicks != nil {
		a.cancelTicks()
		a.cancelTicks = nil
	}
}
