package starknet_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/chain/chaintest"
	"github.com/proofstell/proofstell/chain/relay"
	"github.com/proofstell/proofstell/chain/starknet"
)

func TestMinter_DuplicateSendMintsOnce(t *testing.T) {
	t.Parallel()
	f := newRelayer(t, nil)
	p := f.player(t)
	tx := f.sendAt(t, 0, mint("b", p))
	require.NoError(t, f.minter.Send(context.Background(), tx), "resend is idempotent")
	require.Len(t, f.node.Txs(), 1)
	require.Equal(t, 1, f.node.Minted())
	require.Equal(t, uint64(1), f.node.AccountNonce(f.relayer.Address))
}

func TestMinter_Multicall(t *testing.T) {
	t.Parallel()
	f := newRelayer(t, nil)
	players := []string{f.player(t), f.player(t), f.player(t)}
	mints := []relay.Mint{mint("b", players[0]), mint("b", players[1]), mint("c", players[2])}
	tx := f.sendAt(t, 0, mints...)
	require.Equal(t, relay.StatusAccepted, f.receipt(t, tx).Status)
	for _, m := range mints {
		requireOwner(t, f.node, m.TokenID, m.To)
	}
	require.Len(t, f.node.Txs(), 1)
	require.Equal(t, 3, f.node.Txs()[0].Calls)
}

func TestMinter_AlreadyMinted(t *testing.T) {
	t.Parallel()
	f := newRelayer(t, nil)
	ctx := context.Background()
	p, q := f.player(t), f.player(t)
	first := mint("b", p)
	// Signed before the first mint lands, so their estimates pass: the state
	// changes between estimate and execution, as on a live chain.
	repeat, err := f.minter.Prepare(ctx, 1, relay.Work{Mints: []relay.Mint{first}}, 1)
	require.NoError(t, err)
	steal, err := f.minter.Prepare(ctx, 2, relay.Work{Mints: []relay.Mint{{To: q, TokenID: first.TokenID}}}, 1)
	require.NoError(t, err)
	f.sendAt(t, 0, first)

	require.NoError(t, f.minter.Send(ctx, repeat))
	again := f.receipt(t, repeat)
	require.Equal(t, relay.StatusReverted, again.Status)
	require.True(t, again.AlreadyMinted, "same owner: the caller counts it accepted")

	require.NoError(t, f.minter.Send(ctx, steal))
	stolen := f.receipt(t, steal)
	require.Equal(t, relay.StatusReverted, stolen.Status)
	require.False(t, stolen.AlreadyMinted, "another owner is a real revert")
	require.Contains(t, stolen.Reason, chaintest.RevertOwnedByAnother)
	requireOwner(t, f.node, first.TokenID, p)

	// Against the current state the estimate itself reverts: nothing signed.
	tests := []struct {
		name          string
		mints         []relay.Mint
		alreadyMinted bool
		reason        string
	}{
		{"same owner", []relay.Mint{first}, true, chaintest.RevertAlreadyMintedToOwner},
		{"another owner", []relay.Mint{{To: q, TokenID: first.TokenID}}, false, chaintest.RevertOwnedByAnother},
		{"one of a multicall", []relay.Mint{mint("fresh", q), first}, true, chaintest.RevertAlreadyMintedToOwner},
	}
	for _, tt := range tests {
		_, err := f.minter.Prepare(ctx, 3, relay.Work{Mints: tt.mints}, 1)
		require.ErrorIs(t, err, relay.ErrWouldRevert, tt.name)
		var re *relay.RevertError
		require.ErrorAs(t, err, &re, tt.name)
		require.Equal(t, tt.alreadyMinted, re.AlreadyMinted, tt.name)
		require.Contains(t, re.Reason, tt.reason, tt.name)
	}
	require.Len(t, f.node.Txs(), 3, "a reverting estimate sends nothing")

	f.node.SetTxFault(chaintest.TxFaultRevert)
	injected := f.receipt(t, f.sendAt(t, 3, mint("z", q)))
	require.Equal(t, relay.Receipt{Status: relay.StatusReverted, Reason: chaintest.RevertInjected}, injected)
	require.Equal(t, 1, f.node.Minted())
	require.Equal(t, uint64(4), f.node.AccountNonce(f.relayer.Address), "reverts consume the nonce")
}

func TestMinter_ReceiptPendingThenAccepted(t *testing.T) {
	t.Parallel()
	f := newRelayer(t, nil)
	f.node.SetReceiptPolls(3)
	tx := f.sendAt(t, 0, mint("b", f.player(t)))
	// Each Receipt polls twice (receipt, then status) while pending.
	require.Equal(t, relay.StatusPending, f.receipt(t, tx).Status)
	require.Equal(t, relay.StatusAccepted, f.receipt(t, tx).Status)
}

func TestMinter_DroppedTxNotFoundThenRebroadcast(t *testing.T) {
	t.Parallel()
	f := newRelayer(t, nil)
	f.node.SetTxFault(chaintest.TxFaultDrop)
	p := f.player(t)
	tx := f.sendAt(t, 0, mint("b", p))
	_, err := f.minter.Receipt(context.Background(), tx.Hash)
	require.ErrorIs(t, err, starknet.ErrTxNotFound)
	require.Zero(t, f.node.Minted())

	f.node.SetTxFault(chaintest.TxFaultNone)
	require.NoError(t, f.minter.Send(context.Background(), tx), "same bytes rebroadcast")
	require.Equal(t, relay.StatusAccepted, f.receipt(t, tx).Status)
	requireOwner(t, f.node, starknet.TokenID("b", p), p)
}

func TestMinter_NodeFaultsAreUnavailable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault chaintest.Fault
	}{
		{"node down", chaintest.FaultDown},
		{"timeout", chaintest.FaultTimeout},
		{"rate limited", chaintest.FaultRateLimited},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newRelayer(t, nil)
			tx, err := f.minter.Prepare(context.Background(), 0, relay.Work{Mints: []relay.Mint{mint("b", f.player(t))}}, 1)
			require.NoError(t, err)
			f.node.SetFault(tt.fault)
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			_, err = f.minter.Nonce(ctx)
			require.ErrorIs(t, err, starknet.ErrUnavailable)
			_, err = f.minter.Prepare(ctx, 0, relay.Work{Mints: []relay.Mint{mint("b", f.player(t))}}, 1)
			require.ErrorIs(t, err, starknet.ErrUnavailable)
			require.ErrorIs(t, f.minter.Send(ctx, tx), starknet.ErrUnavailable)
			_, err = f.minter.Receipt(ctx, tx.Hash)
			require.ErrorIs(t, err, starknet.ErrUnavailable)
			require.Zero(t, f.node.Minted())

			f.node.SetFault(chaintest.FaultNone)
			require.NoError(t, f.minter.Send(context.Background(), tx), "the persisted tx drains after")
			require.Equal(t, 1, f.node.Minted())
		})
	}
}

func TestTokenID(t *testing.T) {
	t.Parallel()
	require.Equal(t, "0x0e76d8dd3250392b6b66ebf1e437eed8", starknet.TokenID("first-game", "player-1"),
		"low 128 bits of sha256(\"first-game:player-1\")")
	require.Equal(t, starknet.TokenID("a", "b"), starknet.TokenID("a", "b"))
	require.NotEqual(t, starknet.TokenID("a", "b"), starknet.TokenID("b", "a"))
	require.Len(t, starknet.TokenID("x", "y"), 34)
}

func TestNewMinter_RejectsBadConfig(t *testing.T) {
	t.Parallel()
	good := starknet.MinterConfig{URL: "http://x", ChainID: chainID, Account: "0x1", PrivateKey: "0x2", Contract: "0x3"}
	tests := []struct {
		name string
		edit func(*starknet.MinterConfig)
	}{
		{"bad account", func(c *starknet.MinterConfig) { c.Account = "nope" }},
		{"bad contract", func(c *starknet.MinterConfig) { c.Contract = "" }},
		{"bad key", func(c *starknet.MinterConfig) { c.PrivateKey = "secret-key-material" }},
		{"multiplier below 1", func(c *starknet.MinterConfig) { c.FeeMultiplier = 0.5 }},
	}
	_, err := starknet.NewMinter(good)
	require.NoError(t, err)
	for _, tt := range tests {
		cfg := good
		tt.edit(&cfg)
		_, err := starknet.NewMinter(cfg)
		require.Error(t, err, tt.name)
		require.NotContains(t, err.Error(), "secret-key-material", "private key never echoed")
	}
}
