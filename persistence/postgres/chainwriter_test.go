package postgres_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// queueMints creates n pending StarkNet mint requests, oldest first.
func queueMints(t *testing.T, s *postgres.Store, advance func(time.Duration) time.Time, n int) []string {
	t.Helper()
	b, err := s.CreateBadge(ctxT(t), newBadge("cw"))
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

func TestStore_ChainWriter_Journal(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	ids := queueMints(t, s, clk.Advance, 3)
	ctx := ctxT(t)
	lease, err := s.AcquireLease(ctx, persistence.ChainWriterLease, "n1", time.Minute)
	require.NoError(t, err)

	got, err := s.PendingMints(ctx, persistence.ChainStarknet, 2)
	require.NoError(t, err)
	require.Equal(t, ids[:2], []string{got[0].ID, got[1].ID}, "oldest first, limited")
	n, err := s.PendingMintCount(ctx, persistence.ChainStarknet)
	require.NoError(t, err)
	require.Equal(t, 3, n)

	tx := persistence.MintTx{Hash: "0xabc", Nonce: 7, MaxFee: "10", Payload: []byte(`{"a": 1}`)}
	require.NoError(t, s.RecordSigned(ctx, lease, tx, ids[:2]))
	err = s.RecordSigned(ctx, lease, persistence.MintTx{Hash: "0xdef", Payload: []byte(`{}`)}, ids[1:])
	require.ErrorIs(t, err, persistence.ErrConflict, "a submitted request cannot be recorded again")

	inflight, err := s.InFlightMintTxs(ctx, lease)
	require.NoError(t, err)
	require.Len(t, inflight, 1)
	require.Equal(t, []byte(`{"a": 1}`), inflight[0].Payload, "payload kept byte for byte")
	require.Equal(t, uint64(7), inflight[0].Nonce)
	require.Equal(t, ids[:2], inflight[0].RequestIDs)

	dropped, err := s.MarkMintTxDropped(ctx, lease, "0xabc", "bad nonce")
	require.NoError(t, err)
	require.Len(t, dropped, 2)
	require.Equal(t, persistence.MintPending, dropped[0].Status)
	require.Empty(t, dropped[0].TxHash)
	require.NoError(t, s.RecordSigned(ctx, lease, tx, ids[:2]), "the same bytes re-signed after a drop")

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

	require.NoError(t, s.RecordSigned(ctx, lease, persistence.MintTx{Hash: "0x1", Payload: []byte(`{}`)}, ids[2:]))
	failed, err := s.MarkMintTxFailed(ctx, lease, "0x1", "boom")
	require.NoError(t, err)
	require.Equal(t, persistence.MintFailed, failed[0].Status)
	require.Equal(t, "boom", failed[0].Reason)
	require.ErrorIs(t, s.RecordSigned(ctx, lease, persistence.MintTx{Hash: "0x1", Payload: []byte(`{}`)}, ids[2:]),
		persistence.ErrConflict, "a final tx is never recorded again")
}

func TestStore_ChainWriter_Fenced(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	ids := queueMints(t, s, clk.Advance, 1)
	ctx := ctxT(t)
	old, err := s.AcquireLease(ctx, persistence.ChainWriterLease, "n1", time.Minute)
	require.NoError(t, err)
	tx := persistence.MintTx{Hash: "0xabc", Payload: []byte(`{}`)}
	require.NoError(t, s.RecordSigned(ctx, old, tx, ids))
	clk.Advance(2 * time.Minute)
	cur, err := s.AcquireLease(ctx, persistence.ChainWriterLease, "n2", time.Minute)
	require.NoError(t, err)
	_, err = s.MarkMintTxAccepted(ctx, old, "0xabc")
	require.ErrorIs(t, err, persistence.ErrStaleEpoch)
	require.ErrorIs(t, s.RecordSigned(ctx, old, persistence.MintTx{Hash: "0xdef", Payload: []byte(`{}`)}, ids),
		persistence.ErrStaleEpoch)
	inflight, err := s.InFlightMintTxs(ctx, cur)
	require.NoError(t, err)
	require.Len(t, inflight, 1, "the new leader finds the old leader's tx")
	require.Equal(t, old.Epoch, inflight[0].Epoch)
}
