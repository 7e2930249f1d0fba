package chainwriter_test

import (
	"context"
	"fmt"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/chainwriter"
	"github.com/proofstell/proofstell/chain/chaintest"
	"github.com/proofstell/proofstell/chain/relay"
	"github.com/proofstell/proofstell/chain/starknet"
	"github.com/proofstell/proofstell/persistence"
)

// oneMintFee is the max fee the fixture's minter signs for one mint at
// feeScale 1 (the fake node's estimate is deterministic).
func oneMintFee(t *testing.T, f *fixture) *big.Int {
	t.Helper()
	tx, err := f.minter.Prepare(context.Background(), 0, relay.Work{Mints: []relay.Mint{{To: f.addrs[0], TokenID: "0x1"}}}, 1)
	require.NoError(t, err)
	fee, ok := new(big.Int).SetString(tx.MaxFee, 10)
	require.True(t, ok)
	return fee
}

func TestWriter_StuckTxReplacedWithHigherFee(t *testing.T) {
	// Not parallel: it reads the process-wide fee bump counter.
	f := newFixture(t, 1)
	f.node.SetFeeFloor(new(big.Int).Add(oneMintFee(t, f), big.NewInt(1))) // a fee spike: 1× waits, 1.5× is included
	bumps := testutil.ToFloat64(chainwriter.MetricFeeBumps.WithLabelValues("starknet"))
	w := f.start(t, f.lease(t, "node-a"), nil)
	w.wait("loaded")
	first := w.tick("recorded")
	w.wait("sent")
	w.tick("receipt")
	f.clk.Advance(chainwriter.DefaultStuckAfter - time.Second)
	w.tick("receipt")
	f.clk.Advance(time.Second)
	second := w.tick("replaced")
	w.wait("sent")
	require.NotEqual(t, first.Hash, second.Hash)
	done := w.tick("finished")
	require.Equal(t, second.Hash, done.Hash, "the replacement landed")
	f.requireMinted(t)
	_, hashes := f.statuses(t)
	require.Equal(t, second.Hash, hashes[0], "the request names the tx that landed")
	txs := f.node.Txs()
	require.Len(t, txs, 2)
	require.True(t, txs[0].Replaced, "the stuck tx was replaced in the mempool, never executed")
	require.Equal(t, 1, f.node.Minted())
	require.InDelta(t, 1, testutil.ToFloat64(chainwriter.MetricFeeBumps.WithLabelValues("starknet"))-bumps, 0.1)
	inflight, err := f.store.InFlightMintTxs(context.Background(), f.lease(t, "node-b"))
	require.NoError(t, err)
	require.Empty(t, inflight, "the replaced tx is superseded in the journal")
}

func TestWriter_StuckTxReplacementsAreBounded(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 1)
	f.node.SetFeeFloor(new(big.Int).Mul(oneMintFee(t, f), big.NewInt(100))) // no bump reaches it
	w := f.startWith(t, f.lease(t, "node-a"), nil, func(d *chainwriter.Deps) { d.MaxFeeBumps = 1 })
	w.wait("loaded")
	w.tick("sent", "recorded")
	f.clk.Advance(chainwriter.DefaultStuckAfter)
	w.tick("sent", "replaced")
	f.clk.Advance(chainwriter.DefaultStuckAfter)
	w.tick("receipt")
	require.Len(t, f.node.Txs(), 2, "one replacement, then it waits")
	f.node.SetFeeFloor(nil) // the spike passes
	w.tick("finished")
	f.requireMinted(t)
}

func TestWriter_NonceTakenByAnotherSender_WorkRequeued(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 2)
	w := f.start(t, f.lease(t, "node-a"), nil)
	w.wait("loaded")
	f.node.SetTxFault(chaintest.TxFaultDrop) // the node answers, then forgets our tx
	first := w.tick("recorded")
	w.wait("sent")
	f.node.SetTxFault(chaintest.TxFaultNone)
	ctx := context.Background()
	rival, err := f.minter.Prepare(ctx, 0, relay.Work{Mints: []relay.Mint{{To: f.addrs[0], TokenID: "0x77"}}}, 1)
	require.NoError(t, err)
	require.NoError(t, f.minter.Send(ctx, rival), "another sender of the account takes nonce 0")

	for range chainwriter.DefaultNonceTakenChecks - 1 {
		s := w.tick("send_failed", "receipt_failed")
		require.ErrorIs(t, s.Err, relay.ErrInvalidNonce)
		st, _ := f.statuses(t)
		require.Equal(t, persistence.MintSubmitted, st[0], "one look is not enough to give up")
	}
	dropped := w.tick("dropped", "receipt_failed", "send_failed")
	require.Equal(t, first.Hash, dropped.Hash)
	st, _ := f.statuses(t)
	require.Equal(t, []persistence.MintStatus{persistence.MintPending, persistence.MintPending}, st, "back in the queue")
	again := w.tick("recorded")
	require.NotEqual(t, first.Hash, again.Hash)
	w.wait("sent")
	w.tick("finished")
	f.requireMinted(t)
}

func TestWriter_MulticallAlreadyMinted_SplitAndRetriedAlone(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		onSend    bool  // the token appears between estimate and execution (else before the batch)
		wantCalls []int // the writer's txs' call counts
	}{
		{name: "the estimate reverts: split unsent", wantCalls: []int{1, 1}},
		{name: "the multicall reverts on chain: split", onSend: true, wantCalls: []int{3, 1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, 3)
			ctx := context.Background()
			var chain relay.Relayer
			if tt.onSend {
				chain = &premintOnSend{Minter: f.minter, t: t, f: f, idx: []int{1}}
			} else {
				premint(ctx, t, f, 1)
			}
			w := f.start(t, f.lease(t, "node-a"), chain)
			w.wait("loaded")
			if tt.onSend {
				w.tick("sent", "recorded")
				w.tick("split")
			} else {
				w.tick("settled")
			}
			st, _ := f.statuses(t)
			require.Equal(t, []persistence.MintStatus{persistence.MintPending, persistence.MintPending, persistence.MintPending}, st,
				"no mint of the reverted multicall took effect")
			w.tick("sent", "recorded") // the first alone
			w.tick("finished")
			w.tick("settled") // the second, already minted, alone: accepted without a tx
			w.tick("sent", "recorded")
			w.tick("finished")
			w.tick("idle")
			f.requireMinted(t)
			var calls []int
			for _, tx := range f.writerTxs() {
				calls = append(calls, tx.Calls)
			}
			require.Equal(t, tt.wantCalls, calls, "after the revert each mint went alone")
		})
	}
}

func TestWriter_SubmitsPeriodRoots(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		preRoot    string // a root already on chain for the period
		wantStatus persistence.RootStatus
	}{
		{name: "submitted and accepted", wantStatus: persistence.RootAccepted},
		{name: "the same root already there", preRoot: "0xabc", wantStatus: persistence.RootAccepted},
		{name: "another root already there: settled unsent", preRoot: "0xdef", wantStatus: persistence.RootFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, 1)
			ctx := context.Background()
			sched, err := f.store.AcquireLease(ctx, persistence.SchedulerLease, "sched", leaseTTL)
			require.NoError(t, err)
			saved, err := f.store.SavePeriodRoot(ctx,
				persistence.PeriodRoot{Mode: "classic", Board: "daily", Period: "2026-11-24", Root: "0xabc", LeafCount: 1},
				[]persistence.PeriodStanding{{Rank: 1, PlayerID: f.players[0].ID, Score: 30, AchievedAt: f.clk.Now()}},
				sched.Holder, sched.Epoch)
			require.NoError(t, err)
			require.True(t, saved)
			if tt.preRoot != "" {
				pre, err := f.minter.Prepare(ctx, 0, relay.Work{Root: &relay.Root{Board: "daily", Period: "2026-11-24", Root: tt.preRoot}}, 1)
				require.NoError(t, err)
				require.NoError(t, f.minter.Send(ctx, pre))
			}

			w := f.start(t, f.lease(t, "node-a"), nil)
			w.wait("loaded")
			var hash string
			if tt.wantStatus == persistence.RootFailed {
				w.tick("settled")
			} else {
				hash = w.tick("recorded").Hash
				w.wait("sent")
				w.tick("finished")
			}
			r, err := f.store.PeriodRoot(ctx, persistence.BoardKey{Mode: "classic", Board: "daily", Period: "2026-11-24"})
			require.NoError(t, err)
			require.Equal(t, tt.wantStatus, r.Status)
			require.Equal(t, hash, r.TxHash)
			onChain, ok := f.node.Root("daily", "2026-11-24")
			require.True(t, ok)
			require.Equal(t, map[bool]string{true: tt.preRoot, false: "0xabc"}[tt.preRoot != ""], onChain)

			w.tick("sent", "recorded") // then the mint queue
			w.tick("finished")
			f.requireMinted(t)
			w.tick("idle")
		})
	}
}

func TestWriter_RootsAndMintsTakeTurns(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 2)
	ctx := context.Background()
	sched, err := f.store.AcquireLease(ctx, persistence.SchedulerLease, "sched", leaseTTL)
	require.NoError(t, err)
	for _, period := range []string{"2026-11-23", "2026-11-24"} {
		f.clk.Advance(time.Second)
		_, err := f.store.SavePeriodRoot(ctx, persistence.PeriodRoot{Mode: "classic", Board: "daily", Period: period, Root: "0x1", LeafCount: 1},
			[]persistence.PeriodStanding{{Rank: 1, PlayerID: f.players[0].ID, Score: 1, AchievedAt: f.clk.Now()}},
			sched.Holder, sched.Epoch)
		require.NoError(t, err)
	}
	w := f.startWith(t, f.lease(t, "node-a"), nil, func(d *chainwriter.Deps) { d.BatchSize = 1 })
	w.wait("loaded")
	for range 4 {
		w.tick("sent", "recorded")
		w.tick("finished")
	}
	var kinds []string
	for _, tx := range f.node.Txs() {
		kinds = append(kinds, map[bool]string{true: "root", false: "mint"}[tx.Root])
	}
	require.Equal(t, []string{"root", "mint", "root", "mint"}, kinds)
	f.requireMinted(t)
}

// loseFirstSendOf fails the first Send of every tx after the first one it
// sees with ErrUnavailable: a replacement lost on its way to the node.
type loseFirstSendOf struct {
	*starknet.Minter
	mu   sync.Mutex
	seen map[string]bool
}

func (l *loseFirstSendOf) Send(ctx context.Context, tx relay.Signed) error {
	l.mu.Lock()
	first := !l.seen[tx.Hash]
	l.seen[tx.Hash] = true
	lose := first && len(l.seen) > 1
	l.mu.Unlock()
	if lose {
		return fmt.Errorf("send %s: %w", tx.Hash, relay.ErrUnavailable)
	}
	return l.Minter.Send(ctx, tx)
}

func TestWriter_LostReplacementIsSentAgain(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 1)
	f.node.SetFeeFloor(new(big.Int).Add(oneMintFee(t, f), big.NewInt(1)))
	w := f.start(t, f.lease(t, "node-a"), &loseFirstSendOf{Minter: f.minter, seen: map[string]bool{}})
	w.wait("loaded")
	w.tick("sent", "recorded")
	f.clk.Advance(chainwriter.DefaultStuckAfter)
	replacement := w.tick("replaced")
	require.ErrorIs(t, w.wait("send_failed").Err, relay.ErrUnavailable)
	again := w.tick("sent", "receipt")
	require.Equal(t, replacement.Hash, again.Hash, "the replacement, not a new signature")
	done := w.tick("finished")
	require.Equal(t, replacement.Hash, done.Hash)
	f.requireMinted(t)
}

func TestWriter_ReplacementAtTheFeeCapIsNotRetried(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 1)
	fee := oneMintFee(t, f)
	capped, err := starknet.NewMinter(starknet.MinterConfig{URL: f.node.URL, ChainID: chainID, Account: f.account,
		PrivateKey: f.relayerKey, Contract: chaintest.BadgeContract, MaxFee: fee})
	require.NoError(t, err)
	f.node.SetFeeFloor(new(big.Int).Add(fee, big.NewInt(1)))
	w := f.start(t, f.lease(t, "node-a"), capped)
	w.wait("loaded")
	w.tick("sent", "recorded")
	f.clk.Advance(chainwriter.DefaultStuckAfter)
	require.ErrorIs(t, w.tick("error").Err, relay.ErrFeeCapExceeded, "no room above the cap")
	f.clk.Advance(chainwriter.DefaultStuckAfter)
	w.tick("receipt") // polled, not re-priced again
	require.Len(t, f.node.Txs(), 1)
	f.node.SetFeeFloor(nil)
	w.tick("finished")
	f.requireMinted(t)
}

// drain ticks w until it is idle: every root and mint goes on chain or is
// settled unsent.
func (w *writer) drain() {
	w.t.Helper()
	for range 20 {
		w.f.system.Root.Send(w.pid, &chainwriter.Tick{})
		select {
		case s := <-w.steps:
			switch s.Kind {
			case "idle":
				return
			case "recorded":
				w.wait("sent")
			case "finished", "settled":
			default:
				require.FailNow(w.t, "unexpected step", "%+v", s)
			}
		case <-time.After(waitFor):
			require.FailNow(w.t, "no step")
		}
	}
	require.FailNow(w.t, "the writer never went idle")
}

// TestWriter_SubmitsEveryModesRoots: the roots of another mode's period and
// of challenge boards go on chain under the key's series ("frenzy/daily",
// "challenge", "frenzy/challenge"), beside classic's root of the same
// period, each accepted on its own; a board name no short string can hold
// fails unsent instead of blocking the roots behind it.
func TestWriter_SubmitsEveryModesRoots(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 1)
	ctx := context.Background()
	sched, err := f.store.AcquireLease(ctx, persistence.SchedulerLease, "sched", leaseTTL)
	require.NoError(t, err)
	longMode := "a-mode-name-of-23-bytes"
	roots := []persistence.PeriodRoot{
		{Mode: longMode, Board: "challenge", Period: "c-long", Root: "0x5"},
		{Mode: "classic", Board: "daily", Period: "2026-11-24", Root: "0x1"},
		{Mode: "frenzy", Board: "daily", Period: "2026-11-24", Root: "0x2"},
		{Mode: "classic", Board: "challenge", Period: "daily-2026-11-24", Root: "0x3"},
		{Mode: "frenzy", Board: "challenge", Period: "weekend-frenzy", Root: "0x4"},
	}
	for _, r := range roots {
		f.clk.Advance(time.Second)
		r.LeafCount = 1
		saved, err := f.store.SavePeriodRoot(ctx, r,
			[]persistence.PeriodStanding{{Rank: 1, PlayerID: f.players[0].ID, Score: 7, AchievedAt: f.clk.Now()}},
			sched.Holder, sched.Epoch)
		require.NoError(t, err)
		require.True(t, saved)
	}

	w := f.start(t, f.lease(t, "node-a"), nil)
	w.wait("loaded")
	w.drain()

	for _, tc := range []struct{ board, period, root string }{
		{"daily", "2026-11-24", "0x1"}, {"frenzy/daily", "2026-11-24", "0x2"},
		{"challenge", "daily-2026-11-24", "0x3"}, {"frenzy/challenge", "weekend-frenzy", "0x4"},
	} {
		onChain, ok := f.node.Root(tc.board, tc.period)
		require.True(t, ok, "%s/%s on chain", tc.board, tc.period)
		require.Equal(t, tc.root, onChain)
	}
	for _, r := range roots[1:] {
		got, err := f.store.PeriodRoot(ctx, r.Key())
		require.NoError(t, err)
		require.Equal(t, persistence.RootAccepted, got.Status, r.Key().String())
		require.NotEmpty(t, got.TxHash)
	}
	long, err := f.store.PeriodRoot(ctx, roots[0].Key())
	require.NoError(t, err)
	require.Equal(t, persistence.RootFailed, long.Status)
	require.Contains(t, long.Reason, "31 bytes")
	_, ok := f.node.Root(longMode+"/challenge", "c-long")
	require.False(t, ok)
	f.requireMinted(t)
}
