package chainwriter

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/proofstell/proofstell/actors/runtime/ticks"
	"github.com/proofstell/proofstell/chain/relay"
	"github.com/proofstell/proofstell/persistence"
)

// Tick makes the job take its next step. Its own timer sends it every
// TickInterval; tests send it.
type Tick struct{}

// flight is the work of one nonce that may still land: the persisted
// transactions carrying it (a stuck one and its higher-fee replacements,
// oldest first; at most one can land).
type flight struct {
	nonce uint64
	work  relay.Work
	txs   []relay.Signed
	// sent: the node may have held one of txs (a Send succeeded, or a
	// previous leader's tx). Only an unsent flight may be dropped on a bad
	// nonce at once.
	sent bool
	// since is when the newest tx was recorded or found: the stuck timer.
	since time.Time
	// takenChecks counts consecutive polls that found every tx unknown and
	// the nonce consumed by another transaction.
	takenChecks int
	// capped: a replacement hit the fee cap (or would revert); do not try
	// again.
	capped bool
	// newestRefused: the node refused the newest tx for good; it is not
	// resent while an older one may still land.
	newestRefused bool
}

// newest is the transaction the work currently names.
func (f *flight) newest() relay.Signed { return f.txs[len(f.txs)-1] }

// Actor is the chain writer job of one leadership of its lease.
type Actor struct {
	deps        Deps
	lease       persistence.Lease
	inflight    []*flight // lowest nonce first
	busy        bool      // an I/O step is outstanding
	ready       bool      // the in-flight txs have been loaded
	rootTurn    bool      // the next batch looks at roots first
	cancelTicks func()
}

// Props builds the chain writer for one leadership: every write is fenced
// by lease. Use it as the singleton runner's job.
func Props(deps Deps, lease persistence.Lease) *actor.Props {
	deps = deps.withDefaults()
	return actor.PropsFromProducer(func() actor.Actor {
		return &Actor{deps: deps, lease: lease, rootTurn: true}
	})
}

// Receive dispatches one message.
func (a *Actor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		a.start(ctx)
	case *actor.Stopping, *actor.Restarting:
		a.stopTicks()
	case *Tick:
		a.onTick(ctx)
	case *loaded:
		a.onLoaded(m)
	case *batchDone:
		a.onBatch(ctx, m)
	case *sendDone:
		a.onSend(ctx, m)
	case *polled:
		a.onPolled(ctx, m)
	case *replaced:
		a.onReplaced(ctx, m)
	case *markDone:
		a.onMark(ctx, m)
	case actor.SystemMessage, actor.AutoReceiveMessage:
	default:
		a.deps.Logger.Warn("chainwriter: unknown message", slog.String("type", fmt.Sprintf("%T", m)))
	}
}

// start loads the in-flight transactions before anything else.
func (a *Actor) start(ctx actor.Context) {
	a.busy = true
	a.load(ctx)
	if a.deps.TickInterval > 0 {
		a.cancelTicks = ticks.Every(ctx.ActorSystem().Root, a.deps.TickInterval, a.deps.TickInterval, ctx.Self(), &Tick{})
	}
}

func (a *Actor) stopTicks() {
	if a.cancelTicks != nil {
		a.cancelTicks()
		a.cancelTicks = nil
	}
}

// onTick polls the lowest in-flight nonce, or starts a new batch.
func (a *Actor) onTick(ctx actor.Context) {
	if a.busy {
		return
	}
	a.busy = true
	switch {
	case !a.ready:
		a.load(ctx)
	case len(a.inflight) > 0:
		a.poll(ctx, a.inflight[0])
	default:
		a.startBatch(ctx)
	}
}

func (a *Actor) onLoaded(m *loaded) {
	a.busy = false
	if m.err != nil {
		a.step(Step{Kind: "error", Err: m.err}) // the next tick loads again
		return
	}
	a.ready = true
	a.inflight = m.flights
	a.step(Step{Kind: "loaded"})
}

// step reports s to the probe.
func (a *Actor) step(s Step) {
	if a.deps.Probe != nil {
		a.deps.Probe(s)
	}
}

// failed handles an I/O error: a stale epoch stops the job, anything else
// waits for the next tick.
func (a *Actor) failed(ctx actor.Context, hash string, err error) {
	if errors.Is(err, persistence.ErrStaleEpoch) {
		a.deps.Logger.Info("chain writer fenced by a newer leader", slog.String("chain", string(a.deps.Queue)),
			slog.Int64("epoch", a.lease.Epoch))
		a.step(Step{Kind: "fenced", Hash: hash, Err: err})
		a.stopTicks()
		ctx.Stop(ctx.Self())
		return
	}
	a.deps.Logger.Warn("chain writer step failed", slog.String("chain", string(a.deps.Queue)), slog.String("tx", hash),
		slog.Any("error", err))
	a.step(Step{Kind: "error", Hash: hash, Err: err})
}
