package postgres_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/testclock"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// queueMints creates n pending StarkNet mint requests, oldest first.
func queueMints(t *testing.T, s *postgres.Store, advance func(time.Duration) time.Time, n int) []string {
	t.Helper()
	b, err := s.CreateBadge(ctxT(t), persistence.SystemActor("test"), newBadge("cw"))
	require.NoError(t, err)
	ids := make([]string, 0, n)
	for i := range n {
		p, _, err := s.SignInWallet(ctxT(t), persistence.ChainStarknet, starkAddr(100+i))
		require.NoError(t, err)
		advance(time.Second)
		_, err = s.AwardBadge(ctxT(t), p.ID, b.ID, persistence.SourceAdmin)
		require.NoError(t, err)
		ms, err := s.PlayerMints(ctxT(t), p.ID)
		require.NoError(t, err)
		ids = append(ids, ms[0].ID)
	}
	return ids
}

// newJournal is a store with n pending StarkNet mint requests and the
// chain writer lease held by "n1".
func newJournal(t *testing.T, n int) (*postgres.Store, *testclock.Clock, []string, persistence.Lease) {
	t.Helper()
	s, clk, _ := newStore(t)
	ids := queueMints(t, s, clk.Advance, n)
	lease, err := s.AcquireLease(ctxT(t), persistence.ChainWriterLease, "n1", time.Minute)
	require.NoError(t, err)
	return s, clk, ids, lease
}

func TestStore_ChainWriter_Journal(t *testing.T) {
	t.Parallel()
	s, _, ids, lease := newJournal(t, 3)
	ctx := ctxT(t)

	got, err := s.PendingMints(ctx, persistence.ChainStarknet, 2)
	require.NoError(t, err)
	require.Equal(t, ids[:2], []string{got[0].ID, got[1].ID}, "oldest first, limited")
	st, err := s.MintQueueStats(ctx, persistence.ChainStarknet)
	require.NoError(t, err)
	require.Equal(t, 3, st.Depth)
	require.Equal(t, got[0].CreatedAt, st.Oldest, "the queue's age runs from its oldest request")

	tx := persistence.MintTx{Hash: "0xabc", Nonce: 7, MaxFee: "10", Payload: []byte(`{"a": 1}`)}
	require.NoError(t, s.RecordSigned(ctx, lease, tx, work(ids[:2])))
	err = s.RecordSigned(ctx, lease, persistence.MintTx{Hash: "0xdef", Payload: []byte(`{}`)}, work(ids[1:]))
	require.ErrorIs(t, err, persistence.ErrConflict, "a submitted request cannot be recorded again")

	inflight, err := s.InFlightMintTxs(ctx, lease)
	require.NoError(t, err)
	require.Len(t, inflight, 1)
	require.Equal(t, []byte(`{"a": 1}`), inflight[0].Payload, "payload kept byte for byte")
	require.Equal(t, uint64(7), inflight[0].Nonce)
	require.Equal(t, ids[:2], requestIDs(inflight[0]))
	require.Nil(t, inflight[0].Root)

	dropped, err := s.MarkMintTxDropped(ctx, lease, "0xabc", "bad nonce")
	require.NoError(t, err)
	require.Len(t, dropped, 2)
	require.Equal(t, persistence.MintPending, dropped[0].Status)
	require.Empty(t, dropped[0].TxHash)
	require.NoError(t, s.RecordSigned(ctx, lease, tx, work(ids[:2])), "the same bytes re-signed after a drop")

	acc, err := s.MarkMintTxAccepted(ctx, lease, "0xabc")
	require.NoError(t, err)
	require.Len(t, acc, 2)
	require.Equal(t, persistence.MintAccepted, acc[0].Status)
	again, err := s.MarkMintTxAccepted(ctx, lease, "0xabc")
	require.NoError(t, err)
	require.Empty(t, again, "repeating a mark is harmless")
	inflight, err = s.InFlightMintTxs(ctx, lease)
	require.NoError(t, err)
	require.Empty(t, inflight)

	require.NoError(t, s.RecordSigned(ctx, lease, persistence.MintTx{Hash: "0x1", Payload: []byte(`{}`)}, work(ids[2:])))
	failed, err := s.MarkMintTxFailed(ctx, lease, "0x1", "boom")
	require.NoError(t, err)
	require.Equal(t, persistence.MintFailed, failed[0].Status)
	require.Equal(t, "boom", failed[0].Reason)
	require.ErrorIs(t, s.RecordSigned(ctx, lease, persistence.MintTx{Hash: "0x1", Payload: []byte(`{}`)}, work(ids[2:])),
		persistence.ErrConflict, "a final tx is never recorded again")
	require.ElementsMatch(t, []string{"mint:" + ids[0] + ":accepted", "mint:" + ids[1] + ":accepted",
		"mint:" + ids[2] + ":failed"}, mintNoticeKeys(t, s),
		"each final status is announced once, in its transaction; a drop back to pending is not")
}

// mintNoticeKeys claims the notify.mint.status rows and returns their keys.
func mintNoticeKeys(t *testing.T, s *postgres.Store) []string {
	t.Helper()
	items, err := s.ClaimOutbox(ctxT(t), persistence.TopicNotifyMint, 100, time.Minute)
	require.NoError(t, err)
	keys := []string{}
	for _, it := range items {
		keys = append(keys, it.Key)
	}
	return keys
}

func TestStore_ChainWriter_Fenced(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	ids := queueMints(t, s, clk.Advance, 1)
	ctx := ctxT(t)
	old, err := s.AcquireLease(ctx, persistence.ChainWriterLease, "n1", time.Minute)
	require.NoError(t, err)
	tx := persistence.MintTx{Hash: "0xabc", Payload: []byte(`{}`)}
	require.NoError(t, s.RecordSigned(ctx, old, tx, work(ids)))
	clk.Advance(2 * time.Minute)
	cur, err := s.AcquireLease(ctx, persistence.ChainWriterLease, "n2", time.Minute)
	require.NoError(t, err)
	_, err = s.MarkMintTxAccepted(ctx, old, "0xabc")
	require.ErrorIs(t, err, persistence.ErrStaleEpoch)
	require.ErrorIs(t, s.RecordSigned(ctx, old, persistence.MintTx{Hash: "0xdef", Payload: []byte(`{}`)}, work(ids)),
		persistence.ErrStaleEpoch)
	inflight, err := s.InFlightMintTxs(ctx, cur)
	require.NoError(t, err)
	require.Len(t, inflight, 1, "the new leader finds the old leader's tx")
	require.Equal(t, old.Epoch, inflight[0].Epoch)
}

// work is the TxWork of requests ids.
func work(ids []string) persistence.TxWork { return persistence.TxWork{RequestIDs: ids} }

// requestIDs lists the requests a tx carries.
func requestIDs(tx persistence.MintTx) []string {
	out := make([]string, len(tx.Mints))
	for i, m := range tx.Mints {
		out[i] = m.RequestID
	}
	return out
}

func TestStore_ChainWriter_ReplacementAtTheSameNonce(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		lands string // which alternative lands: "old" or "new"
	}{
		{"the replacement lands", "new"},
		{"the stuck tx lands after all", "old"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, clk, ids, lease := newJournal(t, 2)
			ctx := ctxT(t)
			require.NoError(t, s.RecordSigned(ctx, lease, persistence.MintTx{Hash: "0xa1", Nonce: 4, Payload: []byte(`1`)}, work(ids)))
			require.ErrorIs(t, s.RecordReplacement(ctx, lease, "0xa1", persistence.MintTx{Hash: "0xa2", Nonce: 5, Payload: []byte(`2`)}),
				persistence.ErrConflict, "a replacement keeps the nonce")
			clk.Advance(time.Second)
			require.NoError(t, s.RecordReplacement(ctx, lease, "0xa1", persistence.MintTx{Hash: "0xa2", Nonce: 4, Payload: []byte(`2`)}))

			inflight, err := s.InFlightMintTxs(ctx, lease)
			require.NoError(t, err)
			require.Len(t, inflight, 2, "both alternatives may land")
			require.Equal(t, []string{"0xa1", "0xa2"}, []string{inflight[0].Hash, inflight[1].Hash}, "oldest first")
			require.Empty(t, inflight[0].Mints)
			require.Equal(t, ids, requestIDs(inflight[1]), "the work names the newest")
			require.NotEmpty(t, inflight[1].Mints[0].Recipient)
			require.Regexp(t, `^0x[0-9a-f]{32}$`, inflight[1].Mints[0].TokenID)

			landed := map[string]string{"old": "0xa1", "new": "0xa2"}[tt.lands]
			acc, err := s.MarkMintTxAccepted(ctx, lease, landed)
			require.NoError(t, err)
			require.Len(t, acc, 2, "the work follows whichever alternative landed")
			for _, r := range acc {
				require.Equal(t, persistence.MintAccepted, r.Status)
				require.Equal(t, landed, r.TxHash)
			}
			inflight, err = s.InFlightMintTxs(ctx, lease)
			require.NoError(t, err)
			require.Empty(t, inflight, "the other alternative is superseded")
		})
	}
}

func TestStore_ChainWriter_SplitAndDropKeepRequestsPending(t *testing.T) {
	t.Parallel()
	s, _, ids, lease := newJournal(t, 2)
	ctx := ctxT(t)
	require.NoError(t, s.RecordSigned(ctx, lease, persistence.MintTx{Hash: "0xb1", Nonce: 1, Payload: []byte(`1`)}, work(ids)))
	split, err := s.MarkMintTxSplit(ctx, lease, "0xb1", "retry alone: already minted")
	require.NoError(t, err)
	require.Len(t, split, 2)
	pending, err := s.PendingMints(ctx, persistence.ChainStarknet, 10)
	require.NoError(t, err)
	require.Len(t, pending, 2)
	require.Equal(t, "retry alone: already minted", pending[0].Reason, "the writer sends them one by one")
	require.Empty(t, pending[0].TxHash)

	require.NoError(t, s.RecordSigned(ctx, lease, persistence.MintTx{Hash: "0xb2", Nonce: 2, Payload: []byte(`2`)}, work(ids[:1])))
	dropped, err := s.MarkMintTxDropped(ctx, lease, "0xb2", "nonce taken")
	require.NoError(t, err)
	require.Len(t, dropped, 1)
	require.Equal(t, persistence.MintPending, dropped[0].Status)
	require.Equal(t, "retry alone: already minted", dropped[0].Reason, "a drop keeps the request's reason")
}

func TestStore_ChainWriter_RootSubmission(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	ctx := ctxT(t)
	sched, err := s.AcquireLease(ctx, persistence.SchedulerLease, "n1", time.Minute)
	require.NoError(t, err)
	for _, period := range []string{"2026-11-23", "2026-11-24"} {
		clk.Advance(time.Second)
		saved, err := s.SavePeriodRoot(ctx, persistence.PeriodRoot{Mode: "classic", Board: "daily", Period: period, Root: "0xabc", LeafCount: 1},
			[]persistence.PeriodStanding{{Rank: 1, PlayerID: "7b1c1f0e-5d51-4c1e-9f5a-3f9d2f0c1a11", Score: 9, AchievedAt: clk.Now()}},
			sched.Holder, sched.Epoch)
		require.NoError(t, err)
		require.True(t, saved)
	}
	roots, err := s.PendingRoots(ctx, 1)
	require.NoError(t, err)
	require.Len(t, roots, 1)
	require.Equal(t, "2026-11-23", roots[0].Period, "oldest first")

	lease, err := s.AcquireLease(ctx, persistence.ChainWriterLease, "w1", time.Minute)
	require.NoError(t, err)
	ref := &persistence.RootRef{Mode: "classic", Board: "daily", Period: "2026-11-23"}
	require.Error(t, s.RecordSigned(ctx, lease, persistence.MintTx{Hash: "0xc0", Payload: []byte(`0`)},
		persistence.TxWork{Root: ref, RequestIDs: []string{"x"}}), "a tx carries requests or a root")
	require.NoError(t, s.RecordSigned(ctx, lease, persistence.MintTx{Hash: "0xc1", Nonce: 3, Payload: []byte(`1`)}, persistence.TxWork{Root: ref}))
	require.ErrorIs(t, s.RecordSigned(ctx, lease, persistence.MintTx{Hash: "0xc2", Nonce: 3, Payload: []byte(`2`)}, persistence.TxWork{Root: ref}),
		persistence.ErrConflict, "a submitted root is not recorded twice")
	r, err := s.PeriodRoot(ctx, persistence.BoardKey{Mode: "classic", Board: "daily", Period: "2026-11-23"})
	require.NoError(t, err)
	require.Equal(t, persistence.RootSubmitted, r.Status)
	require.Equal(t, "0xc1", r.TxHash)

	inflight, err := s.InFlightMintTxs(ctx, lease)
	require.NoError(t, err)
	require.Len(t, inflight, 1)
	require.NotNil(t, inflight[0].Root)
	require.Equal(t, "0xabc", inflight[0].Root.Root)
	require.Empty(t, inflight[0].Mints)

	_, err = s.MarkMintTxDropped(ctx, lease, "0xc1", "bad nonce")
	require.NoError(t, err)
	r, err = s.PeriodRoot(ctx, persistence.BoardKey{Mode: "classic", Board: "daily", Period: "2026-11-23"})
	require.NoError(t, err)
	require.Equal(t, persistence.RootPending, r.Status, "a dropped submission waits again")
	require.Empty(t, r.TxHash)

	require.NoError(t, s.RecordSigned(ctx, lease, persistence.MintTx{Hash: "0xc3", Nonce: 3, Payload: []byte(`3`)}, persistence.TxWork{Root: ref}))
	_, err = s.MarkMintTxAccepted(ctx, lease, "0xc3")
	require.NoError(t, err)
	r, err = s.PeriodRoot(ctx, persistence.BoardKey{Mode: "classic", Board: "daily", Period: "2026-11-23"})
	require.NoError(t, err)
	require.Equal(t, persistence.RootAccepted, r.Status)
	require.Equal(t, "0xc3", r.TxHash)
	roots, err = s.PendingRoots(ctx, 10)
	require.NoError(t, err)
	require.Len(t, roots, 1, "only the other period waits")
}

func TestStore_ChainWriter_SettleUnsent(t *testing.T) {
	t.Parallel()
	s, clk, ids, lease := newJournal(t, 3)
	ctx := ctxT(t)
	done, err := s.SettleUnsent(ctx, lease, work(ids[:1]), persistence.MintAccepted, "")
	require.NoError(t, err)
	require.Len(t, done, 1)
	require.Equal(t, persistence.MintAccepted, done[0].Status)
	require.Empty(t, done[0].TxHash, "settled without a transaction")
	split, err := s.SettleUnsent(ctx, lease, work(ids[1:]), persistence.MintPending, "retry alone: x")
	require.NoError(t, err)
	require.Len(t, split, 2)
	again, err := s.SettleUnsent(ctx, lease, work(ids[:1]), persistence.MintFailed, "late")
	require.NoError(t, err)
	require.Empty(t, again, "only pending requests move")
	require.Equal(t, []string{"mint:" + ids[0] + ":accepted"}, mintNoticeKeys(t, s))
	pending, err := s.PendingMints(ctx, persistence.ChainStarknet, 10)
	require.NoError(t, err)
	require.Len(t, pending, 2)
	require.Equal(t, "retry alone: x", pending[0].Reason)

	clk.Advance(2 * time.Minute)
	_, err = s.AcquireLease(ctx, persistence.ChainWriterLease, "n2", time.Minute)
	require.NoError(t, err)
	_, err = s.SettleUnsent(ctx, lease, work(ids[1:]), persistence.MintFailed, "stale")
	require.ErrorIs(t, err, persistence.ErrStaleEpoch)
}

// TestStore_ChainWriter_RootsOfModes: two modes' roots of the same board
// period are separate work: submitting, replacing and settling one leaves
// the other pending, and an in-flight root comes back with its mode.
func TestStore_ChainWriter_RootsOfModes(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	ctx := ctxT(t)
	sched, err := s.AcquireLease(ctx, persistence.SchedulerLease, "n1", time.Minute)
	require.NoError(t, err)
	for _, mode := range []string{"classic", "frenzy"} {
		clk.Advance(time.Second)
		_, err := s.SavePeriodRoot(ctx, persistence.PeriodRoot{Mode: mode, Board: "daily", Period: "2026-11-23", Root: "0x" + mode[:1],
			LeafCount: 1}, []persistence.PeriodStanding{{Rank: 1, PlayerID: "7b1c1f0e-5d51-4c1e-9f5a-3f9d2f0c1a11", Score: 9,
			AchievedAt: clk.Now()}}, sched.Holder, sched.Epoch)
		require.NoError(t, err)
	}
	lease, err := s.AcquireLease(ctx, persistence.ChainWriterLease, "w1", time.Minute)
	require.NoError(t, err)
	frenzy := persistence.BoardKey{Mode: "frenzy", Board: "daily", Period: "2026-11-23"}
	ref := persistence.RootRef(frenzy)
	require.NoError(t, s.RecordSigned(ctx, lease, persistence.MintTx{Hash: "0xf1", Nonce: 1, Payload: []byte(`1`)},
		persistence.TxWork{Root: &ref}))
	require.NoError(t, s.RecordReplacement(ctx, lease, "0xf1", persistence.MintTx{Hash: "0xf2", Nonce: 1, Payload: []byte(`2`)}))
	inflight, err := s.InFlightMintTxs(ctx, lease)
	require.NoError(t, err)
	require.Len(t, inflight, 2)
	for _, tx := range inflight {
		require.NotNil(t, tx.Root)
		require.Equal(t, frenzy, tx.Root.Key())
		require.Equal(t, "0xf", tx.Root.Root)
	}
	pending, err := s.PendingRoots(ctx, 10)
	require.NoError(t, err)
	require.Len(t, pending, 1)
	require.Equal(t, "classic", pending[0].Mode)

	_, err = s.MarkMintTxAccepted(ctx, lease, "0xf2")
	require.NoError(t, err)
	got, err := s.PeriodRoot(ctx, frenzy)
	require.NoError(t, err)
	require.Equal(t, persistence.RootAccepted, got.Status)
	classicRef := persistence.RootRef{Mode: "classic", Board: "daily", Period: "2026-11-23"}
	_, err = s.SettleUnsent(ctx, lease, persistence.TxWork{Root: &classicRef}, persistence.MintFailed, "no")
	require.NoError(t, err)
	classic, err := s.PeriodRoot(ctx, classicRef.Key())
	require.NoError(t, err)
	require.Equal(t, persistence.RootFailed, classic.Status)
	got, err = s.PeriodRoot(ctx, frenzy)
	require.NoError(t, err)
	require.Equal(t, persistence.RootAccepted, got.Status, "settling classic's root leaves frenzy's alone")
}
