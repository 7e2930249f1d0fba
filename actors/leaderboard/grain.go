package leaderboard

import (
	"fmt"
	"hash/fnv"
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/cluster"
	"github.com/asynkron/protoactor-go/scheduler"

	"github.com/proofstell/proofstell/actors/leaderboard/standings"
	"github.com/proofstell/proofstell/actors/runtime/ticks"
	"github.com/proofstell/proofstell/persistence"
)

// PublishTick makes the grain publish its top entries if they changed since
// the last publish. The grain schedules it every Config.PublishInterval;
// tests send it themselves. It does not keep a past period alive.
type PublishTick struct{}

// NotInfluenceReceiveTimeout lets idle past periods passivate despite ticks.
func (*PublishTick) NotInfluenceReceiveTimeout() {}

// RetryTick makes a grain whose rebuild failed try again. The grain
// schedules it with backoff; tests send it themselves.
type RetryTick struct{}

// NotInfluenceReceiveTimeout keeps retries from counting as activity.
func (*RetryTick) NotInfluenceReceiveTimeout() {}

// grain is one board period's rank index. All fields are owned by the
// mailbox; I/O goroutines only receive copies and answer by message.
type grain struct {
	deps     Deps
	behavior actor.Behavior
	log      *slog.Logger

	key   standings.Key
	index *standings.Index
	dirty bool
	// view shares index with this node's readers once serving; every write
	// to index goes through it (View.offer, View.replace).
	view *View

	// mark is the high-water mark of the stored standings the index holds.
	mark persistence.StandingMark

	stash   []stashed
	gen     int // identifies the rebuild in flight; older results are ignored
	backoff time.Duration
	reason  string // why the last rebuild failed, sent in QueryFailed

	cancelRebuild func()
	// cancelCatchUp is set while a catch-up read is in flight.
	cancelCatchUp   func()
	cancelRetry     scheduler.CancelFunc
	cancelTick      func()
	cancelCatchTick func()
}

// Props makes leaderboard grains (kind grains.KindLeaderboard).
func Props(deps Deps) *actor.Props {
	deps = deps.withDefaults()
	return actor.PropsFromProducer(func() actor.Actor { return newGrain(deps) })
}

func newGrain(deps Deps) *grain {
	g := &grain{deps: deps, log: deps.Logger, backoff: deps.RetryBackoff}
	g.behavior = actor.NewBehavior()
	g.behavior.Become(g.awaitingInit)
	return g
}

// Receive dispatches to the current phase.
func (g *grain) Receive(ctx actor.Context) { g.behavior.Receive(ctx) }

// awaitingInit: spawned, identity not yet known.
func (g *grain) awaitingInit(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *cluster.ClusterInit:
		g.onClusterInit(ctx, m)
	default:
		if !g.tryStash(ctx) {
			g.lifecycle(ctx)
		}
	}
}

// lifecycle handles what every phase treats alike.
func (g *grain) lifecycle(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		g.onStarted(ctx)
	case *actor.Stopping:
		g.onStopping(ctx)
	case *actor.Restarting:
		// The index is a cache of Postgres; a fresh activation rebuilds it,
		// and a restarted instance would never see ClusterInit again.
		ctx.Stop(ctx.Self())
	case *actor.Stopped, *PublishTick, *RetryTick, *CatchUpTick, *rebuilt, *caughtUp:
		// Ticks and results that do not apply to the current phase.
	case *localApply:
		// Only a serving grain publishes a view; keep the count true anyway.
		m.view.pending.Add(-1)
	case *actor.ReceiveTimeout:
		g.armIdle(ctx)
	default:
		g.log.Warn("leaderboard: unknown message", slog.String("type", typeName(ctx.Message())))
	}
}

func (g *grain) onStarted(ctx actor.Context) {
	root := ctx.ActorSystem().Root
	if every := g.deps.Config.PublishInterval; every > 0 {
		g.cancelTick = ticks.Every(root, every, every, ctx.Self(), &PublishTick{})
	}
	if every := g.deps.Config.CatchUpInterval; every > 0 {
		g.cancelCatchTick = ticks.Every(root, every, every, ctx.Self(), &CatchUpTick{})
	}
}

func (g *grain) onStopping(ctx actor.Context) {
	g.deps.Views.withdraw(g.key.Identity(), g.view)
	for _, cancel := range []func(){g.cancelTick, g.cancelCatchTick, g.cancelRetry, g.cancelRebuild, g.cancelCatchUp} {
		if cancel != nil {
			cancel()
		}
	}
	g.failStash(ctx, "leaderboard stopping")
}

func (g *grain) onClusterInit(ctx actor.Context, m *cluster.ClusterInit) {
	id := m.Identity.GetIdentity()
	key, err := ParseIdentity(id)
	if err != nil {
		g.log.Error("leaderboard: bad identity", slog.String("identity", id), slog.Any("err", err))
		g.failStash(ctx, "unknown leaderboard")
		g.behavior.Become(g.invalid)
		ctx.SetReceiveTimeout(g.deps.Config.IdleTimeout)
		return
	}
	g.key = key
	g.log = g.log.With(slog.String("mode", key.Mode), slog.String("board", string(key.Board)),
		slog.String("period", key.Period))
	g.armIdle(ctx)
	g.startRebuild(ctx)
}

// invalid: the identity names no board; every query fails until passivation.
func (g *grain) invalid(ctx actor.Context) {
	if g.refuse(ctx, ctx.Message(), ctx.Sender()) {
		return
	}
	if _, ok := ctx.Message().(*actor.ReceiveTimeout); ok {
		ctx.Stop(ctx.Self())
		return
	}
	g.lifecycle(ctx)
}

// current reports whether the grain holds the board's live period, the only
// one that publishes updates and never passivates.
func (g *grain) current() bool {
	return g.key.Board.PeriodKey(g.deps.Now()) == g.key.Period
}

// live reports whether the board publishes leaderboard:update: a timed
// board's current period, and every challenge's board (its period is the
// challenge id, never the current period of a clock; once the challenge
// ends no result reaches it, so it has nothing more to publish). A
// challenge's board still passivates when idle, as a past period does
// (armIdle), and rebuilds from Postgres on its next activation.
func (g *grain) live() bool {
	return g.key.Board == standings.Challenge || g.current()
}

// armIdle starts the passivation timer once the period is in the past.
// Setting the same timeout again is a no-op, so it is cheap per tick.
func (g *grain) armIdle(ctx actor.Context) {
	if !g.current() && g.deps.Config.IdleTimeout > 0 {
		ctx.SetReceiveTimeout(g.deps.Config.IdleTimeout)
	}
}

// onIdle passivates a past period that nobody asked about for IdleTimeout.
func (g *grain) onIdle(ctx actor.Context) {
	if g.current() {
		return
	}
	if g.view != nil && g.view.wasRead() { // read locally, without messages
		g.armIdle(ctx)
		return
	}
	g.log.Debug("leaderboard: passivating idle past period")
	ctx.Stop(ctx.Self())
}

// seedFor derives the skiplist seed from the identity, so a board's shape is
// reproducible across activations.
func seedFor(key standings.Key) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(key.Identity()))
	return h.Sum64()
}

func typeName(m any) string {
	if m == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%T", m)
}
