package chainwriter

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/proofstell/proofstell/chain/starknet"
	"github.com/proofstell/proofstell/persistence"
)

// loadedTx is one in-flight transaction found at start.
type loadedTx struct {
	invoke   starknet.SignedInvoke
	requests int
}

// loaded carries the in-flight transactions back into the mailbox.
type loaded struct {
	txs []loadedTx
	err error
}

// batchDone carries a signed and recorded batch (or why there is none).
type batchDone struct {
	tx       starknet.SignedInvoke
	requests []persistence.MintRequest
	err      error
}

// sendDone carries the verdict of a Send.
type sendDone struct {
	f   *flight
	err error
}

// receiptDone carries a receipt poll.
type receiptDone struct {
	f       *flight
	receipt starknet.Receipt
	err     error
}

// markDone carries the requests a final transaction moved.
type markDone struct {
	f        *flight
	status   persistence.MintStatus
	requests []persistence.MintRequest
	err      error
}

// run calls fn in a goroutine with an I/O context and mails its result.
func (a *Actor) run(ctx actor.Context, fn func(io context.Context) any) {
	self, root, deps := ctx.Self(), ctx.ActorSystem().Root, a.deps
	go func() {
		io, cancel := context.WithTimeout(deps.Base, deps.IOTimeout)
		defer cancel()
		root.Send(self, fn(io))
	}()
}

// load reads the lease's in-flight transactions.
func (a *Actor) load(ctx actor.Context) {
	store, lease := a.deps.Store, a.lease
	a.run(ctx, func(io context.Context) any {
		txs, err := store.InFlightMintTxs(io, lease)
		out := make([]loadedTx, 0, len(txs))
		for _, t := range txs {
			inv := starknet.SignedInvoke{Hash: t.Hash, Nonce: t.Nonce, MaxFee: t.MaxFee, Payload: json.RawMessage(t.Payload)}
			out = append(out, loadedTx{invoke: inv, requests: len(t.RequestIDs)})
		}
		return &loaded{txs: out, err: err}
	})
}

// startBatch reads the nonce, takes pending requests, signs one multicall
// and records it; nothing is sent yet.
func (a *Actor) startBatch(ctx actor.Context) {
	d, lease := a.deps, a.lease
	a.run(ctx, func(io context.Context) any {
		if n, err := d.Store.PendingMintCount(io, persistence.ChainStarknet); err == nil {
			queueDepth.Set(float64(n))
		}
		reqs, err := d.Store.PendingMints(io, persistence.ChainStarknet, d.BatchSize)
		if err != nil || len(reqs) == 0 {
			return &batchDone{err: err}
		}
		nonce, err := timed("nonce", d.Now, func() (uint64, error) { return d.Chain.Nonce(io) })
		if err != nil {
			return &batchDone{err: err}
		}
		mints, ids := make([]starknet.Mint, len(reqs)), make([]string, len(reqs))
		for i, r := range reqs {
			mints[i], ids[i] = starknet.Mint{To: r.Recipient, TokenID: r.TokenID}, r.ID
		}
		tx, err := timed("prepare", d.Now, func() (starknet.SignedInvoke, error) { return d.Chain.Prepare(io, nonce, mints) })
		if err != nil {
			return &batchDone{err: err}
		}
		rec := persistence.MintTx{Hash: tx.Hash, Nonce: tx.Nonce, MaxFee: tx.MaxFee, Payload: tx.Payload}
		if err := d.Store.RecordSigned(io, lease, rec, ids); err != nil {
			return &batchDone{err: fmt.Errorf("record %s: %w", tx.Hash, err)}
		}
		return &batchDone{tx: tx, requests: reqs}
	})
}

// send broadcasts f's exact bytes.
func (a *Actor) send(ctx actor.Context, f *flight) {
	d := a.deps
	a.run(ctx, func(io context.Context) any {
		_, err := timed("send", d.Now, func() (struct{}, error) { return struct{}{}, d.Chain.Send(io, f.tx) })
		return &sendDone{f: f, err: err}
	})
}

// pollReceipt asks the node where f stands.
func (a *Actor) pollReceipt(ctx actor.Context, f *flight) {
	d := a.deps
	a.run(ctx, func(io context.Context) any {
		r, err := timed("receipt", d.Now, func() (starknet.Receipt, error) { return d.Chain.Receipt(io, f.tx.Hash) })
		return &receiptDone{f: f, receipt: r, err: err}
	})
}

// mark finalizes f in the store.
func (a *Actor) mark(ctx actor.Context, f *flight, status persistence.MintStatus, reason string) {
	store, lease := a.deps.Store, a.lease
	a.run(ctx, func(io context.Context) any {
		var reqs []persistence.MintRequest
		var err error
		switch status {
		case persistence.MintAccepted:
			reqs, err = store.MarkMintTxAccepted(io, lease, f.tx.Hash)
		case persistence.MintFailed:
			reqs, err = store.MarkMintTxFailed(io, lease, f.tx.Hash, reason)
		default:
			reqs, err = store.MarkMintTxDropped(io, lease, f.tx.Hash, reason)
		}
		return &markDone{f: f, status: status, requests: reqs, err: err}
	})
}
