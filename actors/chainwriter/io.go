package chainwriter

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/proofstell/proofstell/chain/relay"
	"github.com/proofstell/proofstell/persistence"
)

// loaded carries the in-flight work back into the mailbox.
type loaded struct {
	flights []*flight
	err     error
}

// batchDone carries a signed and recorded batch (or why there is none).
// settled: the work was settled unsent (its simulation reverted); requests
// are then the requests it moved.
type batchDone struct {
	f        *flight // nil: nothing to do, settled, or err
	requests []persistence.MintRequest
	settled  bool
	err      error
}

// sendDone carries the verdict of a Send of tx. nonceTaken: the node
// refused tx's nonce and the account's nonce is past it.
type sendDone struct {
	f          *flight
	tx         relay.Signed
	err        error
	nonceTaken bool
}

// pollResult is one alternative's receipt.
type pollResult struct {
	hash    string
	receipt relay.Receipt
	err     error
}

// polled carries the receipts of every alternative of a flight.
type polled struct {
	f       *flight
	results []pollResult
}

// replaced carries a recorded higher-fee replacement of f's newest tx.
type replaced struct {
	f   *flight
	tx  relay.Signed
	err error
}

// markDone carries the requests a final transaction moved.
type markDone struct {
	f        *flight
	hash     string
	kind     string // finished, split or dropped
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

// load reads the lease's in-flight transactions and groups them by nonce.
func (a *Actor) load(ctx actor.Context) {
	store, lease, now := a.deps.Store, a.lease, a.deps.Now
	a.run(ctx, func(io context.Context) any {
		txs, err := store.InFlightMintTxs(io, lease)
		if err != nil {
			return &loaded{err: err}
		}
		var out []*flight
		for _, t := range txs {
			if len(out) == 0 || out[len(out)-1].nonce != t.Nonce {
				out = append(out, &flight{nonce: t.Nonce, sent: true, since: now()})
			}
			f := out[len(out)-1]
			f.txs = append(f.txs, relay.Signed{Hash: t.Hash, Nonce: t.Nonce, MaxFee: t.MaxFee, Payload: t.Payload})
			for _, m := range t.Mints {
				f.work.Mints = append(f.work.Mints, relay.Mint{To: m.Recipient, TokenID: m.TokenID})
			}
			if t.Root != nil {
				f.work.Root = chainRoot(*t.Root)
			}
		}
		return &loaded{flights: out}
	})
}

// startBatch takes the next work (a period root or a run of pending mint
// requests), reads the nonce, signs one transaction and records it;
// nothing is sent yet. Roots and mints take turns so neither starves the
// other.
func (a *Actor) startBatch(ctx actor.Context) {
	d, lease, rootFirst := a.deps, a.lease, a.rootTurn
	a.rootTurn = !a.rootTurn
	a.run(ctx, func(io context.Context) any {
		d.observeQueue(io)
		work, w, reqs, err := d.nextWork(io, rootFirst)
		if err != nil || (len(reqs) == 0 && work.Root == nil) {
			return &batchDone{err: err}
		}
		if work.Root != nil && !fitsChain(*work.Root) {
			// No transaction can carry it; it would block every root after it.
			_, err := d.Store.SettleUnsent(io, lease, w, persistence.MintFailed, errRootName.Error())
			return &batchDone{settled: true, err: err}
		}
		nonce, err := timed("nonce", d.Now, func() (uint64, error) { return d.Chain.Nonce(io) })
		if err != nil {
			return &batchDone{err: err}
		}
		tx, err := timed("prepare", d.Now, func() (relay.Signed, error) { return d.Chain.Prepare(io, nonce, work, 1) })
		var revert *relay.RevertError
		if errors.As(err, &revert) {
			status, reason := unsentOutcome(work, revert)
			moved, err := d.Store.SettleUnsent(io, lease, w, status, reason)
			return &batchDone{requests: moved, settled: true, err: err}
		}
		if err != nil {
			return &batchDone{err: err}
		}
		rec := persistence.MintTx{Hash: tx.Hash, Nonce: tx.Nonce, MaxFee: tx.MaxFee, Payload: tx.Payload}
		if err := d.Store.RecordSigned(io, lease, rec, w); err != nil {
			return &batchDone{err: err} // names the tx
		}
		f := &flight{nonce: nonce, work: work, txs: []relay.Signed{tx}, since: d.Now()}
		return &batchDone{f: f, requests: reqs}
	})
}

// unsentOutcome settles work whose simulation reverted, as a receipt's
// revert would be settled: a single mint already done is accepted; a
// multicall with one already done is split (each mint goes again, alone);
// anything else fails with the reason.
func unsentOutcome(work relay.Work, r *relay.RevertError) (persistence.MintStatus, string) {
	switch {
	case r.AlreadyMinted && len(work.Mints) == 1:
		return persistence.MintAccepted, ""
	case r.AlreadyMinted && len(work.Mints) > 1:
		return persistence.MintPending, "retry alone: batch would revert: " + r.Reason
	default:
		return persistence.MintFailed, r.Reason
	}
}

// nextWork picks what the next transaction carries, in the chain's words
// and in the store's: a pending root of any mode or board (when the relayer
// submits roots; first when rootFirst) or a run of pending requests. A
// request that came back from a split batch (it has a reason) goes alone; a
// batch stops before the first such request.
func (d Deps) nextWork(io context.Context, rootFirst bool) (relay.Work, persistence.TxWork, []persistence.MintRequest, error) {
	root := func() (relay.Work, persistence.TxWork, error) {
		if !d.Chain.SubmitsRoots() {
			return relay.Work{}, persistence.TxWork{}, nil
		}
		roots, err := d.Store.PendingRoots(io, 1)
		if err != nil || len(roots) == 0 {
			return relay.Work{}, persistence.TxWork{}, err
		}
		ref := persistence.RootRef(roots[0].Key())
		return relay.Work{Root: chainRoot(roots[0])}, persistence.TxWork{Root: &ref}, nil
	}
	if rootFirst {
		if work, w, err := root(); work.Root != nil || err != nil {
			return work, w, nil, err
		}
	}
	reqs, err := d.Store.PendingMints(io, d.Queue, d.BatchSize)
	if err != nil {
		return relay.Work{}, persistence.TxWork{}, nil, err
	}
	if len(reqs) == 0 {
		if rootFirst {
			return relay.Work{}, persistence.TxWork{}, nil, nil
		}
		work, w, err := root()
		return work, w, nil, err
	}
	n := 1
	if reqs[0].Reason == "" {
		for n < len(reqs) && reqs[n].Reason == "" {
			n++
		}
	}
	reqs = reqs[:n]
	var w relay.Work
	ids := make([]string, n)
	for i, r := range reqs {
		w.Mints, ids[i] = append(w.Mints, relay.Mint{To: r.Recipient, TokenID: r.TokenID}), r.ID
	}
	return w, persistence.TxWork{RequestIDs: ids}, reqs, nil
}

// observeQueue refreshes the queue gauges (best effort).
func (d Deps) observeQueue(io context.Context) {
	st, err := d.Store.MintQueueStats(io, d.Queue)
	if err != nil {
		return
	}
	queueDepth.WithLabelValues(string(d.Queue)).Set(float64(st.Depth))
	age := 0.0
	if !st.Oldest.IsZero() {
		age = max(0, d.Now().Sub(st.Oldest).Seconds())
	}
	queueAge.WithLabelValues(string(d.Queue)).Set(age)
}

// send broadcasts f's newest tx, byte for byte. When the node refuses its
// nonce it also reads the account nonce, to tell a nonce another
// transaction took from one the node merely does not expect yet.
func (a *Actor) send(ctx actor.Context, f *flight) {
	d, tx := a.deps, f.newest()
	a.run(ctx, func(io context.Context) any {
		_, err := timed("send", d.Now, func() (struct{}, error) { return struct{}{}, d.Chain.Send(io, tx) })
		done := &sendDone{f: f, tx: tx, err: err}
		if errors.Is(err, relay.ErrInvalidNonce) {
			if n, nerr := timed("nonce", d.Now, func() (uint64, error) { return d.Chain.Nonce(io) }); nerr == nil {
				done.nonceTaken = n > tx.Nonce
			}
		}
		return done
	})
}

// poll asks the node where each alternative of f stands, newest first.
func (a *Actor) poll(ctx actor.Context, f *flight) {
	d, txs := a.deps, append([]relay.Signed(nil), f.txs...)
	a.run(ctx, func(io context.Context) any {
		out := make([]pollResult, 0, len(txs))
		for i := len(txs) - 1; i >= 0; i-- {
			h := txs[i].Hash
			r, err := timed("receipt", d.Now, func() (relay.Receipt, error) { return d.Chain.Receipt(io, h) })
			out = append(out, pollResult{hash: h, receipt: r, err: err})
			if err == nil && r.Status != relay.StatusPending {
				break // final: the others cannot land
			}
		}
		return &polled{f: f, results: out}
	})
}

// replace signs f's work again at its nonce with a higher fee and records
// the replacement before anything is sent.
func (a *Actor) replace(ctx actor.Context, f *flight) {
	d, lease, old := a.deps, a.lease, f.newest()
	scale := math.Pow(d.FeeBump, float64(len(f.txs)))
	work, nonce := f.work, f.nonce
	a.run(ctx, func(io context.Context) any {
		tx, err := timed("prepare", d.Now, func() (relay.Signed, error) { return d.Chain.Prepare(io, nonce, work, scale) })
		if err != nil {
			return &replaced{f: f, err: err}
		}
		if !feeAbove(tx.MaxFee, old.MaxFee) { // the cap leaves no room: the same bid again
			return &replaced{f: f, err: fmt.Errorf("replace %s: fee %s not above %s: %w", old.Hash, tx.MaxFee, old.MaxFee,
				relay.ErrFeeCapExceeded)}
		}
		rec := persistence.MintTx{Hash: tx.Hash, Nonce: tx.Nonce, MaxFee: tx.MaxFee, Payload: tx.Payload}
		if err := d.Store.RecordReplacement(io, lease, old.Hash, rec); err != nil {
			return &replaced{f: f, err: err} // names both txs
		}
		return &replaced{f: f, tx: tx}
	})
}

// feeAbove reports whether decimal fee a is above b (unparsable: no).
func feeAbove(a, b string) bool {
	x, ok1 := new(big.Int).SetString(a, 10)
	y, ok2 := new(big.Int).SetString(b, 10)
	return ok1 && ok2 && x.Cmp(y) > 0
}

// mark finalizes f's work in the store as landed in hash (kind finished
// or split) or dropped.
func (a *Actor) mark(ctx actor.Context, f *flight, hash, kind string, status persistence.MintStatus, reason string) {
	store, lease := a.deps.Store, a.lease
	a.run(ctx, func(io context.Context) any {
		var reqs []persistence.MintRequest
		var err error
		switch {
		case kind == "dropped":
			reqs, err = store.MarkMintTxDropped(io, lease, hash, reason)
		case kind == "split":
			reqs, err = store.MarkMintTxSplit(io, lease, hash, reason)
		case status == persistence.MintAccepted:
			reqs, err = store.MarkMintTxAccepted(io, lease, hash)
		default:
			reqs, err = store.MarkMintTxFailed(io, lease, hash, reason)
		}
		return &markDone{f: f, hash: hash, kind: kind, requests: reqs, err: err}
	})
}
