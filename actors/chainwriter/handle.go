package chainwriter

import (
	"errors"
	"slices"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/player"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/chain/starknet"
	"github.com/proofstell/proofstell/persistence"
)

// TypeMintStatus is the client event telling a player where a mint stands.
const TypeMintStatus = "mint:status"

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
	case len(m.requests) == 0:
		a.step(Step{Kind: "idle"})
	default:
		f := &flight{tx: m.tx, requests: len(m.requests)}
		a.inflight = append(a.inflight, f)
		for _, r := range m.requests {
			a.publish(r.PlayerID, MintStatus{MintID: r.ID, Status: string(persistence.MintSubmitted), TxHash: m.tx.Hash})
		}
		a.step(Step{Kind: "recorded", Hash: m.tx.Hash})
		a.busy = true
		a.send(ctx, f)
	}
}

// onSend notes a sent tx; a tx the node refused before ever holding it is
// dropped (bad nonce: its requests go back to the queue) or failed.
func (a *Actor) onSend(ctx actor.Context, m *sendDone) {
	a.busy = false
	switch {
	case m.err == nil:
		m.f.sent = true
		a.step(Step{Kind: "sent", Hash: m.f.tx.Hash})
	case !m.f.sent && errors.Is(m.err, starknet.ErrInvalidNonce):
		a.step(Step{Kind: "send_failed", Hash: m.f.tx.Hash, Err: m.err})
		a.busy = true
		a.mark(ctx, m.f, persistence.MintPending, m.err.Error())
	case !m.f.sent && errors.Is(m.err, starknet.ErrRejected):
		a.step(Step{Kind: "send_failed", Hash: m.f.tx.Hash, Err: m.err})
		a.busy = true
		a.mark(ctx, m.f, persistence.MintFailed, m.err.Error())
	default: // unavailable: the next tick polls, then rebroadcasts if unknown
		a.step(Step{Kind: "send_failed", Hash: m.f.tx.Hash, Err: m.err})
	}
}

// onReceipt finalizes a landed tx or rebroadcasts one the node lost.
func (a *Actor) onReceipt(ctx actor.Context, m *receiptDone) {
	a.busy = false
	r := m.receipt
	switch {
	case errors.Is(m.err, starknet.ErrTxNotFound):
		a.step(Step{Kind: "receipt_failed", Hash: m.f.tx.Hash, Err: m.err})
		a.busy = true
		a.send(ctx, m.f) // the same signed bytes: idempotent
	case m.err != nil:
		a.step(Step{Kind: "receipt_failed", Hash: m.f.tx.Hash, Err: m.err})
	case r.Status == starknet.StatusAccepted, r.Status == starknet.StatusReverted && r.AlreadyMinted && m.f.requests == 1:
		a.busy = true
		a.mark(ctx, m.f, persistence.MintAccepted, "")
	case r.Status == starknet.StatusReverted:
		a.busy = true
		a.mark(ctx, m.f, persistence.MintFailed, r.Reason)
	default:
		a.step(Step{Kind: "receipt", Hash: m.f.tx.Hash})
	}
}

// onMark forgets a finalized tx and tells its players.
func (a *Actor) onMark(ctx actor.Context, m *markDone) {
	a.busy = false
	if m.err != nil {
		a.failed(ctx, m.f.tx.Hash, m.err)
		return
	}
	a.inflight = slices.DeleteFunc(a.inflight, func(f *flight) bool { return f == m.f })
	for _, r := range m.requests {
		a.publish(r.PlayerID, MintStatus{MintID: r.ID, Status: string(r.Status), TxHash: r.TxHash})
	}
	mintsTotal.WithLabelValues(string(m.status)).Add(float64(len(m.requests)))
	kind := "finished"
	if m.status == persistence.MintPending {
		kind = "dropped"
	}
	a.step(Step{Kind: kind, Hash: m.f.tx.Hash})
}

// publish sends mint:status to the player's sockets.
func (a *Actor) publish(playerID string, s MintStatus) {
	a.deps.Events.Publish(player.Topic(playerID), &protos.ClientEvent{Type: TypeMintStatus, Data: events.Encode(s)})
}
