package chainwriter_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/player"
	"github.com/proofstell/proofstell/chain/chaintest"
	"github.com/proofstell/proofstell/chain/relay"
	"github.com/proofstell/proofstell/persistence"
)

func TestWriter_HappyPath_OneMulticall(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 3)
	w := f.start(t, f.lease(t, "node-a"), nil)
	w.wait("loaded")
	rec := w.tick("recorded")
	w.wait("sent")
	st, hashes := f.statuses(t)
	require.Equal(t, []persistence.MintStatus{persistence.MintSubmitted, persistence.MintSubmitted, persistence.MintSubmitted}, st)
	require.Equal(t, []string{rec.Hash, rec.Hash, rec.Hash}, hashes)
	w.tick("finished")
	f.requireMinted(t)
	txs := f.node.Txs()
	require.Len(t, txs, 1)
	require.Equal(t, 3, txs[0].Calls, "three mints in one multicall")
	require.Equal(t, rec.Hash, txs[0].Hash)
	w.tick("idle")
	require.Len(t, f.node.Txs(), 1)
	for _, p := range f.players {
		evs := f.events.of(player.Topic(p.ID))
		require.Len(t, evs, 2)
		require.Contains(t, evs[0], `"status":"submitted"`)
		require.Contains(t, evs[1], `"status":"accepted"`)
		require.Contains(t, evs[1], `"txHash":"`+rec.Hash+`"`)
	}
}

func TestWriter_NodeDown_QueueWaitsAndDrains(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault chaintest.Fault
	}{
		{name: "down", fault: chaintest.FaultDown},
		{name: "rate limited", fault: chaintest.FaultRateLimited},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, 3)
			w := f.start(t, f.lease(t, "node-a"), nil)
			w.wait("loaded")
			f.node.SetFault(tt.fault)
			for range 3 {
				w.tick("error")
				f.clk.Advance(2 * time.Minute) // minutes of outage
			}
			st, _ := f.statuses(t)
			require.Equal(t, []persistence.MintStatus{persistence.MintPending, persistence.MintPending, persistence.MintPending}, st)
			f.node.SetFault(chaintest.FaultNone)
			w.tick("sent", "recorded")
			f.node.SetFault(tt.fault) // down again while waiting for the receipt
			for range 3 {
				w.tick("receipt_failed")
				f.clk.Advance(2 * time.Minute)
			}
			f.node.SetFault(chaintest.FaultNone)
			w.tick("finished")
			f.requireMinted(t)
			require.Len(t, f.node.Txs(), 1, "nothing sent twice")
			w.tick("idle")
		})
	}
}

func TestWriter_KilledBetweenSendAndReceipt_NewLeaderFinishes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		txFault chaintest.TxFault // while leader A sends
		// bStep is what leader B's first tick does with the found tx.
		bStep string
	}{
		{name: "tx landed", txFault: chaintest.TxFaultNone, bStep: "finished"},
		{name: "tx dropped by the node: same bytes rebroadcast", txFault: chaintest.TxFaultDrop, bStep: "sent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, 2)
			a := f.start(t, f.lease(t, "node-a"), nil)
			a.wait("loaded")
			f.node.SetTxFault(tt.txFault)
			rec := a.tick("recorded")
			a.wait("sent")
			a.stop() // killed before any receipt
			f.node.SetTxFault(chaintest.TxFaultNone)

			lb := f.lease(t, "node-b")
			require.Greater(t, lb.Epoch, int64(1))
			b := f.start(t, lb, nil)
			b.wait("loaded")
			b.tick(tt.bStep, "receipt_failed")
			if tt.bStep != "finished" {
				b.tick("finished")
			}
			f.requireMinted(t)
			landed := 0
			for _, tx := range f.node.Txs() {
				require.Equal(t, rec.Hash, tx.Hash, "B never signed a new transaction")
				if !tx.Dropped {
					landed++
				}
			}
			require.Equal(t, 1, landed, "the node executed exactly one invoke")
			b.tick("idle")
		})
	}
}

// racingChain lets another sender take the writer's nonce right before its
// first send: a real nonce race on the node.
type racingChain struct {
	*fixture
	t     *testing.T
	raced bool
}

func (r *racingChain) Send(ctx context.Context, tx relay.Signed) error {
	if !r.raced {
		r.raced = true
		other := r.node.UndeployedAccount(r.t).Address
		rival, err := r.minter.Prepare(ctx, tx.Nonce, relay.Work{Mints: []relay.Mint{{To: other, TokenID: "0x1"}}}, 1)
		if err != nil {
			return err
		}
		if err := r.minter.Send(ctx, rival); err != nil {
			return err
		}
	}
	return r.minter.Send(ctx, tx)
}

func TestWriter_StaleNonce_RereadAndSucceed(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 2)
	chain := &racingChain{fixture: f, t: t}
	w := f.start(t, f.lease(t, "node-a"), minterWith{f.minter, chain})
	w.wait("loaded")
	first := w.tick("recorded")
	fail := w.wait("send_failed")
	require.ErrorContains(t, fail.Err, "nonce")
	w.wait("dropped")
	st, _ := f.statuses(t)
	require.Equal(t, []persistence.MintStatus{persistence.MintPending, persistence.MintPending}, st, "back in the queue")
	second := w.tick("recorded")
	require.NotEqual(t, first.Hash, second.Hash, "re-signed at the fresh nonce")
	w.wait("sent")
	w.tick("finished")
	f.requireMinted(t)
	require.Len(t, f.node.Txs(), 2, "the rival and our one invoke")
}

func TestWriter_StaleLeaderFenced(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 1)
	old := f.lease(t, "node-a")
	cur := f.lease(t, "node-b")
	require.Greater(t, cur.Epoch, old.Epoch)
	ctx := context.Background()
	reqs, err := f.store.PendingMints(ctx, persistence.ChainStarknet, 10)
	require.NoError(t, err)
	require.Len(t, reqs, 1)
	err = f.store.RecordSigned(ctx, old, persistence.MintTx{Hash: "0xabc", Payload: []byte(`{}`)},
		persistence.TxWork{RequestIDs: []string{reqs[0].ID}})
	require.ErrorIs(t, err, persistence.ErrStaleEpoch)
	st, _ := f.statuses(t)
	require.Equal(t, []persistence.MintStatus{persistence.MintPending}, st)

	w := f.start(t, old, nil)
	w.wait("loaded")
	s := w.tick("fenced", "recorded")
	require.ErrorIs(t, s.Err, persistence.ErrStaleEpoch)
	require.Empty(t, f.node.Txs(), "a fenced leader sends nothing")
	inflight, err := f.store.InFlightMintTxs(ctx, cur)
	require.NoError(t, err)
	require.Empty(t, inflight)
	require.True(t, strings.HasPrefix(reqs[0].TokenID, "0x"))
}
