package chainwriter

import (
	"errors"
	"fmt"
	"slices"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/player"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/chain/relay"
	"github.com/proofstell/proofstell/persistence"
)

// TypeMintStatus is the client event telling a player where a mint stands.
const TypeMintStatus = events.TypeMintStatus

// MintStatus is the payload of a mint:status event.
type MintStatus struct {
	MintID string `json:"mintId"`
	Status string `json:"status"`
	TxHash string `json:"txHash"`
}

// onBatch sends a recorded batch; an empty queue or an error waits for the
// next tick.
func (a *Actor) onBatch(ctx actor.Context, m *batchDone) {
	a.busy = false
	switch {
	case m.err != nil:
		a.failed(ctx, "", m.err)
	case m.settled:
		for _, r := range m.requests {
			a.publish(r.PlayerID, MintStatus{MintID: r.ID, Status: string(r.Status), TxHash: r.TxHash})
			mintsTotal.WithLabelValues(string(a.deps.Queue), string(r.Status)).Inc()
		}
		a.step(Step{Kind: "settled"})
	case m.f == nil:
		a.step(Step{Kind: "idle"})
	default:
		a.inflight = append(a.inflight, m.f)
		hash := m.f.newest().Hash
		for _, r := range m.requests {
			a.publish(r.PlayerID, MintStatus{MintID: r.ID, Status: string(persistence.MintSubmitted), TxHash: hash})
		}
		a.step(Step{Kind: "recorded", Hash: hash})
		a.busy = true
		a.send(ctx, m.f)
	}
}

// onSend notes a sent tx. A flight the node never held is dropped on a bad
// nonce (its work goes back to the queue) or failed when rejected; a sent
// one is given up only once its nonce was seen taken NonceTakenChecks
// times in a row.
func (a *Actor) onSend(ctx actor.Context, m *sendDone) {
	a.busy = false
	f := m.f
	switch {
	case m.err == nil:
		f.sent, f.takenChecks = true, 0
		a.step(Step{Kind: "sent", Hash: m.tx.Hash})
	case !f.sent && errors.Is(m.err, relay.ErrInvalidNonce):
		a.step(Step{Kind: "send_failed", Hash: m.tx.Hash, Err: m.err})
		a.busy = true
		a.mark(ctx, f, m.tx.Hash, "dropped", persistence.MintPending, m.err.Error())
	case !f.sent && errors.Is(m.err, relay.ErrRejected):
		a.step(Step{Kind: "send_failed", Hash: m.tx.Hash, Err: m.err})
		a.busy = true
		a.mark(ctx, f, m.tx.Hash, "finished", persistence.MintFailed, m.err.Error())
	case errors.Is(m.err, relay.ErrRejected):
		// A replacement refused for good (say, underpriced): the stuck tx
		// it was to replace is still polled; do not resend it.
		f.newestRefused = m.tx.Hash == f.newest().Hash
		a.step(Step{Kind: "send_failed", Hash: m.tx.Hash, Err: m.err})
	case m.nonceTaken:
		f.takenChecks++
		a.step(Step{Kind: "send_failed", Hash: m.tx.Hash, Err: m.err})
		if f.takenChecks >= a.deps.NonceTakenChecks {
			a.busy = true
			a.mark(ctx, f, m.tx.Hash, "dropped", persistence.MintPending,
				fmt.Sprintf("nonce %d taken by another transaction", f.nonce))
		}
	default: // unavailable, or a replacement refused: the next tick polls again
		a.step(Step{Kind: "send_failed", Hash: m.tx.Hash, Err: m.err})
	}
}

// onPolled finalizes a landed alternative, replaces a stuck one,
// rebroadcasts one the node lost, or waits.
func (a *Actor) onPolled(ctx actor.Context, m *polled) {
	a.busy = false
	f := m.f
	lost, pending := 0, false
	newestLost := len(m.results) > 0 && errors.Is(m.results[0].err, relay.ErrTxNotFound) // polled newest first
	for _, r := range m.results {
		switch {
		case errors.Is(r.err, relay.ErrTxNotFound):
			lost++
		case r.err != nil:
		case r.receipt.Status == relay.StatusPending:
			pending = true
		default:
			a.busy = true
			a.settle(ctx, f, r.hash, r.receipt)
			return
		}
	}
	switch {
	case pending && newestLost && len(f.txs) > 1 && !f.newestRefused:
		// A replacement the node never got (its send failed) while the
		// stuck one still waits: send the replacement again.
		a.step(Step{Kind: "receipt", Hash: f.newest().Hash})
		a.busy = true
		a.send(ctx, f)
	case pending && a.stuck(f):
		a.busy = true
		a.replace(ctx, f)
	case pending:
		f.takenChecks = 0
		a.step(Step{Kind: "receipt", Hash: f.newest().Hash})
	case lost == len(f.txs):
		a.step(Step{Kind: "receipt_failed", Hash: f.newest().Hash, Err: relay.ErrTxNotFound})
		a.busy = true
		a.send(ctx, f) // the same signed bytes: idempotent
	default:
		a.step(Step{Kind: "receipt_failed", Hash: f.newest().Hash, Err: firstErr(m.results)})
	}
}

// stuck reports whether f's newest tx has waited too long and may still be
// replaced with a higher fee.
func (a *Actor) stuck(f *flight) bool {
	d := a.deps
	return f.sent && !f.capped && d.MaxFeeBumps > 0 && len(f.txs) <= d.MaxFeeBumps && d.Now().Sub(f.since) >= d.StuckAfter
}

// settle finalizes f by the receipt of hash, the alternative that landed.
func (a *Actor) settle(ctx actor.Context, f *flight, hash string, r relay.Receipt) {
	switch {
	case r.Status == relay.StatusAccepted, r.AlreadyMinted && len(f.work.Mints) == 1:
		a.mark(ctx, f, hash, "finished", persistence.MintAccepted, "")
	case r.AlreadyMinted && len(f.work.Mints) > 1:
		// No call of the multicall took effect: each mint goes again, alone,
		// and the one already done then counts as accepted.
		a.mark(ctx, f, hash, "split", persistence.MintPending, "retry alone: batch reverted: "+r.Reason)
	default:
		a.mark(ctx, f, hash, "finished", persistence.MintFailed, r.Reason)
	}
}

// onReplaced sends a recorded replacement; a failed one (fee cap, store)
// leaves the stuck tx to be polled.
func (a *Actor) onReplaced(ctx actor.Context, m *replaced) {
	a.busy = false
	f := m.f
	if m.err != nil {
		if errors.Is(m.err, relay.ErrFeeCapExceeded) || errors.Is(m.err, relay.ErrWouldRevert) {
			f.capped = true // no better replacement to be had: keep polling the stuck tx
		}
		a.failed(ctx, f.newest().Hash, m.err)
		return
	}
	f.txs, f.since, f.newestRefused = append(f.txs, m.tx), a.deps.Now(), false
	feeBumps.WithLabelValues(string(a.deps.Queue)).Inc()
	a.step(Step{Kind: "replaced", Hash: m.tx.Hash})
	a.busy = true
	a.send(ctx, f)
}

// onMark forgets a finalized flight and tells its players.
func (a *Actor) onMark(ctx actor.Context, m *markDone) {
	a.busy = false
	if m.err != nil {
		a.failed(ctx, m.hash, m.err)
		return
	}
	a.inflight = slices.DeleteFunc(a.inflight, func(f *flight) bool { return f == m.f })
	for _, r := range m.requests {
		a.publish(r.PlayerID, MintStatus{MintID: r.ID, Status: string(r.Status), TxHash: r.TxHash})
		mintsTotal.WithLabelValues(string(a.deps.Queue), string(r.Status)).Inc()
	}
	a.step(Step{Kind: m.kind, Hash: m.hash})
}

// publish sends mint:status to the player's sockets.
func (a *Actor) publish(playerID string, s MintStatus) {
	a.deps.Events.Publish(player.Topic(playerID), &protos.ClientEvent{Type: TypeMintStatus, Data: events.Encode(s)})
}

// firstErr is the first error among results.
func firstErr(results []pollResult) error {
	for _, r := range results {
		if r.err != nil {
			return r.err
		}
	}
	return nil
}
