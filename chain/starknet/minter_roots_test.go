package starknet_test

import (
	"context"
	"math/big"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/chain/chaintest"
	"github.com/proofstell/proofstell/chain/relay"
	"github.com/proofstell/proofstell/chain/starknet"
)

func withLeaderboard(c *starknet.MinterConfig) { c.Leaderboard = chaintest.LeaderboardContract }

func TestMinter_SubmitRoot(t *testing.T) {
	t.Parallel()
	f := newRelayer(t, withLeaderboard)
	require.True(t, f.minter.SubmitsRoots())
	ctx := context.Background()
	root := relay.Root{Board: "daily", Period: "2026-11-24", Root: "0x0abc"}
	send := func(nonce uint64, r relay.Root) relay.Receipt {
		tx, err := f.minter.Prepare(ctx, nonce, relay.Work{Root: &r}, 1)
		require.NoError(t, err)
		require.NoError(t, f.minter.Send(ctx, tx))
		return f.receipt(t, tx)
	}
	require.Equal(t, relay.StatusAccepted, send(0, root).Status)
	got, ok := f.node.Root("daily", "2026-11-24")
	require.True(t, ok, "the contract holds the root under the decoded short strings")
	require.Equal(t, "0xabc", got)
	require.Equal(t, relay.StatusAccepted, send(1, root).Status, "the same root again is idempotent")
	other := root
	other.Root = "0xdef"
	_, err := f.minter.Prepare(ctx, 2, relay.Work{Root: &other}, 1)
	require.ErrorIs(t, err, relay.ErrWouldRevert, "another root: the estimate reverts, nothing is signed")
	require.ErrorContains(t, err, chaintest.RevertRootAlreadySet)
	got, _ = f.node.Root("daily", "2026-11-24")
	require.Equal(t, "0xabc", got, "a published root never changes")
}

func TestMinter_PrepareRefusesBadWork(t *testing.T) {
	t.Parallel()
	plain := newRelayer(t, nil)
	require.False(t, plain.minter.SubmitsRoots())
	f := newRelayer(t, withLeaderboard)
	p := f.player(t)
	root := &relay.Root{Board: "daily", Period: "2026-11-24", Root: "0x1"}
	tests := []struct {
		name   string
		minter *starknet.Minter
		work   relay.Work
	}{
		{"root without a leaderboard contract", plain.minter, relay.Work{Root: root}},
		{"mints and a root together", f.minter, relay.Work{Root: root, Mints: []relay.Mint{mint("b", p)}}},
		{"nothing", f.minter, relay.Work{}},
		{"board too long for a short string", f.minter, relay.Work{Root: &relay.Root{Board: "a-board-name-longer-than-31-bytes", Period: "p", Root: "0x1"}}},
		{"root not a felt", f.minter, relay.Work{Root: &relay.Root{Board: "daily", Period: "p", Root: "0xzz"}}},
		{"too many mints", f.minter, relay.Work{Mints: make([]relay.Mint, starknet.MaxMintsPerInvoke+1)}},
	}
	for _, tt := range tests {
		_, err := tt.minter.Prepare(context.Background(), 0, tt.work, 1)
		require.Error(t, err, tt.name)
	}
	require.Zero(t, f.node.Calls()+plain.node.Calls(), "refused before any node call")
}

func TestMinter_HigherFeeReplacesStuckTx(t *testing.T) {
	t.Parallel()
	f := newRelayer(t, nil)
	ctx := context.Background()
	p := f.player(t)
	work := relay.Work{Mints: []relay.Mint{mint("b", p)}}
	first, err := f.minter.Prepare(ctx, 0, work, 1)
	require.NoError(t, err)
	firstFee, _ := new(big.Int).SetString(first.MaxFee, 10)
	f.node.SetFeeFloor(new(big.Int).Add(firstFee, big.NewInt(1)))
	require.NoError(t, f.minter.Send(ctx, first))
	require.Equal(t, relay.StatusPending, f.receipt(t, first).Status, "below the floor it waits in the mempool")
	require.Zero(t, f.node.AccountNonce(f.relayer.Address), "a held tx consumes no nonce")

	same, err := f.minter.Prepare(ctx, 0, work, 1)
	require.NoError(t, err)
	require.Equal(t, first.Hash, same.Hash, "the same work at the same scale signs the same tx")
	bumped, err := f.minter.Prepare(ctx, 0, work, 2)
	require.NoError(t, err)
	bumpedFee, _ := new(big.Int).SetString(bumped.MaxFee, 10)
	require.Equal(t, 1, bumpedFee.Cmp(firstFee), "scale 2 pays more")
	require.NotEqual(t, first.Hash, bumped.Hash)
	require.NoError(t, f.minter.Send(ctx, bumped))
	require.Equal(t, relay.StatusAccepted, f.receipt(t, bumped).Status)
	_, err = f.minter.Receipt(ctx, first.Hash)
	require.ErrorIs(t, err, relay.ErrTxNotFound, "the replaced tx is gone")
	requireOwner(t, f.node, starknet.TokenID("b", p), p)
	require.Equal(t, 1, f.node.Minted())
}

func TestShortString(t *testing.T) {
	t.Parallel()
	f, err := starknet.ShortString("daily")
	require.NoError(t, err)
	require.Equal(t, "0x6461696c79", f.String(), "Cairo's 'daily' literal")
	for _, bad := range []string{"", "this-period-name-is-32-bytes-lon", "naïve", "tab\there"} {
		_, err := starknet.ShortString(bad)
		require.Error(t, err, "%q", bad)
	}
}
