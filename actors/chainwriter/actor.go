package chainwriter

import (
	"errors"
	"fmt"
	"log/slog"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/scheduler"

	"github.com/proofstell/proofstell/chain/starknet"
	"github.com/proofstell/proofstell/persistence"
)

// Tick makes the job take its next step. Its own timer sends it every
// TickInterval; tests send it.
type Tick struct{}

// flight is a persisted transaction that may still land.
type flight struct {
	tx       starknet.SignedInvoke
	requests int
	// sent: the node has held it (a Send succeeded, or a previous leader's
	// tx that may have been sent). Only an unsent tx may be dropped.
	sent bool
}

// Actor is the chain writer job of one leadership of its lease.
type Actor struct {
	deps        Deps
	lease       persistence.Lease
	inflight    []*flight // lowest nonce first
	busy        bool      // an I/O step is outstanding
	ready       bool      // the in-flight txs have been loaded
	cancelTicks scheduler.CancelFunc
}

// Props builds the chain writer for one leadership: every write is fenced
// by lease. Use it as the singleton runner's job.
func Props(deps Deps, lease persistence.Lease) *actor.Props {
	deps = deps.withDefaults()
	return actor.PropsFromProducer(func() actor.Actor {
		return &Actor{deps: deps, lease: lease}
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
	case *receiptDone:
		a.onReceipt(ctx, m)
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
		a.cancelTicks = scheduler.NewTimerScheduler(ctx).SendRepeatedly(a.deps.TickInterval, a.deps.TickInterval, ctx.Self(), &Tick{})
	}
}

func (a *Actor) stopTicks() {
	if a.cancelTicks != nil {
		a.cancelTicks()
		a.cancelTicks = nil
	}
}

// onTick polls the oldest in-flight tx, or starts a new batch.
func (a *Actor) onTick(ctx actor.Context) {
	if a.busy {
		return
	}
	a.busy = true
	if !a.ready {
		a.load(ctx)
		return
	}
	if len(a.inflight) > 0 {
		a.pollReceipt(ctx, a.inflight[0])
		return
	}
	a.startBatch(ctx)
}

func (a *Actor) onLoaded(m *loaded) {
	a.busy = false
	if m.err != nil {
		a.step(Step{Kind: "error", Err: m.err}) // the next tick loads again
		return
	}
	a.ready = true
	for _, tx := range m.txs {
		a.inflight = append(a.inflight, &flight{tx: tx.invoke, requests: tx.requests, sent: true})
	}
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
		a.deps.Logger.Info("chain writer fenced by a newer leader", slog.Int64("epoch", a.lease.Epoch))
		a.step(Step{Kind: "fenced", Hash: hash, Err: err})
		a.stopTicks()
		ctx.Stop(ctx.Self())
		return
	}
	a.deps.Logger.Warn("chain writer step failed", slog.String("tx", hash), slog.Any("error", err))
	a.step(Step{Kind: "error", Hash: hash, Err: err})
}
