package stellar_test

import (
	"encoding/hex"
	"errors"
	"math"
	"testing"

	"github.com/stellar/go-stellar-sdk/keypair"
	"github.com/stellar/go-stellar-sdk/network"
	"github.com/stellar/go-stellar-sdk/xdr"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/chain/chaintest"
	"github.com/proofstell/proofstell/chain/relay"
	"github.com/proofstell/proofstell/chain/stellar"
)

func TestRelayer_MintsOverRPC(t *testing.T) {
	t.Parallel()
	g := newRig(t)
	g.node.SetReceiptPolls(1)
	ctx := t.Context()
	seq := g.node.AccountSequence(g.account.Address())
	nonce, err := g.relayer.Nonce(ctx)
	require.NoError(t, err)
	require.Equal(t, uint64(seq)+1, nonce, "next sequence number")

	tx := g.prepareAt(t, nonce, tokenID(7), 1)
	require.Equal(t, nonce, tx.Nonce)
	raw, err := hex.DecodeString(tx.Hash)
	require.NoError(t, err)
	require.Len(t, raw, 32)
	env := envelope(t, tx)
	require.Equal(t, int64(nonce), int64(env.V1.Tx.SeqNum))
	require.Equal(t, int64(env.V1.Tx.Fee), maxFee(t, tx), "MaxFee is the envelope's fee")
	require.Len(t, env.V1.Tx.Operations[0].Body.InvokeHostFunctionOp.Auth, 1, "the minter's source-account auth")

	require.NoError(t, g.relayer.Send(ctx, tx))
	_, err = g.relayer.Receipt(ctx, tx.Hash)
	require.ErrorIs(t, err, relay.ErrTxNotFound, "not in a closed ledger yet")
	rc, err := g.relayer.Receipt(ctx, tx.Hash)
	require.NoError(t, err)
	require.Equal(t, relay.Receipt{Status: relay.StatusAccepted}, rc)

	owner, ok := g.node.OwnerOf(tokenID(7))
	require.True(t, ok)
	require.Equal(t, g.player, owner)
	require.Equal(t, seq+1, g.node.AccountSequence(g.account.Address()), "sequence consumed")
	txs := g.node.Txs()
	require.Len(t, txs, 1)
	require.Equal(t, tx.Hash, txs[0].Hash)
	next, err := g.relayer.Nonce(ctx)
	require.NoError(t, err)
	require.Equal(t, nonce+1, next)
}

func TestRelayer_SendIsIdempotent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		polls   int
		between bool // read the receipt between the sends (tx out of the queue)
	}{
		{"while queued: DUPLICATE", 5, false},
		{"after applied: txBAD_SEQ of a known hash", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newRig(t)
			g.node.SetReceiptPolls(tt.polls)
			tx := g.prepare(t, tokenID(1))
			require.NoError(t, g.relayer.Send(t.Context(), tx))
			if tt.between {
				rc, err := g.relayer.Receipt(t.Context(), tx.Hash)
				require.NoError(t, err)
				require.Equal(t, relay.StatusAccepted, rc.Status)
			}
			require.NoError(t, g.relayer.Send(t.Context(), tx))
			require.Equal(t, 1, g.node.Minted())
			require.Len(t, g.node.Txs(), 1)
		})
	}
}

func TestRelayer_SendErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(t *testing.T, g rig) relay.Signed
		want  error
	}{
		{"stale sequence fault", func(t *testing.T, g rig) relay.Signed {
			tx := g.prepare(t, tokenID(1))
			g.node.SetTxFault(chaintest.SorobanTxFaultStaleSequence)
			return tx
		}, relay.ErrInvalidNonce},
		{"sequence ahead of the account", func(t *testing.T, g rig) relay.Signed {
			return g.prepareAt(t, uint64(g.node.AccountSequence(g.account.Address()))+2, tokenID(1), 1)
		}, relay.ErrInvalidNonce},
		{"sequence already used", func(t *testing.T, g rig) relay.Signed {
			first := g.prepare(t, tokenID(1))
			second := g.prepareAt(t, first.Nonce, tokenID(2), 1)
			require.NoError(t, g.relayer.Send(t.Context(), first))
			return second
		}, relay.ErrInvalidNonce},
		{"signature tampered", func(t *testing.T, g rig) relay.Signed {
			tx := g.prepare(t, tokenID(1))
			env := envelope(t, tx)
			env.V1.Signatures[0].Signature[0] ^= 1
			return resigned(t, tx, env)
		}, relay.ErrRejected},
		{"signed by another key", func(t *testing.T, g rig) relay.Signed {
			tx := g.prepare(t, tokenID(1))
			env := envelope(t, tx)
			other := keypair.MustRandom()
			h, err := network.HashTransactionInEnvelope(env, network.TestNetworkPassphrase)
			require.NoError(t, err)
			sig, err := other.SignDecorated(h[:])
			require.NoError(t, err)
			sig.Hint = env.V1.Signatures[0].Hint // claims the relayer's key
			env.V1.Signatures[0] = sig
			return resigned(t, tx, env)
		}, relay.ErrRejected},
		{"try again later", func(t *testing.T, g rig) relay.Signed {
			tx := g.prepare(t, tokenID(1))
			g.node.SetTxFault(chaintest.SorobanTxFaultTryAgainLater)
			return tx
		}, relay.ErrUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newRig(t)
			tx := tt.setup(t, g)
			minted := g.node.Minted()
			require.ErrorIs(t, g.relayer.Send(t.Context(), tx), tt.want)
			require.Equal(t, minted, g.node.Minted())
		})
	}
}

// resigned re-encodes a modified envelope as tx's payload (same hash
// claimed, as a corrupted store would hold it).
func resigned(t *testing.T, tx relay.Signed, env xdr.TransactionEnvelope) relay.Signed {
	t.Helper()
	b64, err := xdr.MarshalBase64(env)
	require.NoError(t, err)
	tx.Payload = []byte(b64)
	return tx
}

func TestRelayer_WrongNetworkIsRejected(t *testing.T) {
	t.Parallel()
	g := newRig(t)
	other, err := stellar.NewRelayer(stellar.RelayerConfig{URL: g.node.URL, NetworkPassphrase: network.PublicNetworkPassphrase,
		SecretKey: g.account.Seed(), Contract: chaintest.SorobanBadgeContract})
	require.NoError(t, err)
	t.Cleanup(func() { _ = other.Close() })
	nonce, err := other.Nonce(t.Context())
	require.NoError(t, err)
	tx, err := other.Prepare(t.Context(), nonce, mintOf(g.player, tokenID(1)), 1)
	require.NoError(t, err)
	require.ErrorIs(t, other.Send(t.Context(), tx), relay.ErrRejected)
	require.Zero(t, g.node.Minted())
}

func TestRelayer_TransportFaults(t *testing.T) {
	t.Parallel()
	faults := []struct {
		name  string
		fault chaintest.Fault
	}{
		{"down", chaintest.FaultDown},
		{"rate limited", chaintest.FaultRateLimited},
		{"timeout", chaintest.FaultTimeout},
		{"malformed result", chaintest.FaultWrongResult},
	}
	for _, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			g := newRig(t)
			tx := g.prepare(t, tokenID(1))
			g.node.SetFault(f.fault)
			ctx := t.Context()
			_, err := g.relayer.Nonce(ctx)
			require.ErrorIs(t, err, relay.ErrUnavailable, "nonce")
			_, err = g.relayer.Prepare(ctx, tx.Nonce, mintOf(g.player, tokenID(2)), 1)
			require.ErrorIs(t, err, relay.ErrUnavailable, "prepare")
			require.ErrorIs(t, g.relayer.Send(ctx, tx), relay.ErrUnavailable, "send")
			_, err = g.relayer.Receipt(ctx, tx.Hash)
			require.ErrorIs(t, err, relay.ErrUnavailable, "receipt")
			g.node.SetFault(chaintest.FaultNone)
			require.NoError(t, g.relayer.Send(ctx, tx), "healed")
			require.Equal(t, 1, g.node.Minted())
		})
	}
}

func TestRelayer_DroppedTransactionIsResent(t *testing.T) {
	t.Parallel()
	g := newRig(t)
	seq := g.node.AccountSequence(g.account.Address())
	tx := g.prepare(t, tokenID(3))
	g.node.SetTxFault(chaintest.SorobanTxFaultDrop)
	require.NoError(t, g.relayer.Send(t.Context(), tx), "PENDING, then forgotten")
	_, err := g.relayer.Receipt(t.Context(), tx.Hash)
	require.ErrorIs(t, err, relay.ErrTxNotFound)
	require.Equal(t, seq, g.node.AccountSequence(g.account.Address()), "sequence not consumed")

	g.node.SetTxFault(chaintest.SorobanTxFaultNone)
	require.NoError(t, g.relayer.Send(t.Context(), tx), "same payload again")
	require.NoError(t, g.relayer.Send(t.Context(), tx))
	rc, err := g.relayer.Receipt(t.Context(), tx.Hash)
	require.NoError(t, err)
	require.Equal(t, relay.StatusAccepted, rc.Status)
	require.Equal(t, 1, g.node.Minted())
	require.Len(t, g.node.Txs(), 2, "the dropped send and the one that landed")
}

func TestRelayer_Reverts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		rival         func(g rig) string // recipient of a mint landing first; "" for none
		fault         chaintest.SorobanTxFault
		reason        string
		alreadyMinted bool
	}{
		{"injected revert", nil, chaintest.SorobanTxFaultRevert, "Error(Budget, ExceededLimit)", false},
		{"already minted to the same owner", func(g rig) string { return g.player }, 0,
			"Error(Contract, #1): already minted to owner", true},
		{"owned by another", func(rig) string { return keypair.MustRandom().Address() }, 0,
			"Error(Contract, #2): token owned by another", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newRig(t)
			ctx := t.Context()
			nonce, err := g.relayer.Nonce(ctx)
			require.NoError(t, err)
			if tt.rival != nil { // both simulated before either lands
				first, err := g.relayer.Prepare(ctx, nonce, mintOf(tt.rival(g), tokenID(4)), 1)
				require.NoError(t, err)
				tx := g.prepareAt(t, nonce+1, tokenID(4), 1)
				require.NoError(t, g.relayer.Send(ctx, first))
				require.NoError(t, g.relayer.Send(ctx, tx))
				assertReverted(t, g, tx, tt.reason, tt.alreadyMinted)
				return
			}
			tx := g.prepareAt(t, nonce, tokenID(4), 1)
			g.node.SetTxFault(tt.fault)
			require.NoError(t, g.relayer.Send(ctx, tx))
			assertReverted(t, g, tx, tt.reason, tt.alreadyMinted)
			require.Zero(t, g.node.Minted())
			require.Equal(t, int64(tx.Nonce), g.node.AccountSequence(g.account.Address()), "sequence consumed")
		})
	}
}

func assertReverted(t *testing.T, g rig, tx relay.Signed, reason string, alreadyMinted bool) {
	t.Helper()
	rc, err := g.relayer.Receipt(t.Context(), tx.Hash)
	require.NoError(t, err)
	require.Equal(t, relay.StatusReverted, rc.Status)
	require.Contains(t, rc.Reason, "txFAILED")
	require.Contains(t, rc.Reason, reason)
	require.Equal(t, alreadyMinted, rc.AlreadyMinted)
}

func TestRelayer_PrepareRefusesAMintThatWouldRevert(t *testing.T) {
	t.Parallel()
	g := newRig(t)
	require.NoError(t, g.relayer.Send(t.Context(), g.prepare(t, tokenID(5))))
	nonce, err := g.relayer.Nonce(t.Context())
	require.NoError(t, err)
	tests := []struct {
		name          string
		to            string
		alreadyMinted bool
	}{
		{"same owner", g.player, true},
		{"another owner", keypair.MustRandom().Address(), false},
	}
	for _, tt := range tests {
		_, err := g.relayer.Prepare(t.Context(), nonce, mintOf(tt.to, tokenID(5)), 1)
		require.ErrorIs(t, err, stellar.ErrWouldRevert, tt.name)
		var sim *relay.RevertError
		require.True(t, errors.As(err, &sim), tt.name)
		require.Equal(t, tt.alreadyMinted, sim.AlreadyMinted, tt.name)
	}
}

func TestRelayer_Fees(t *testing.T) {
	t.Parallel()
	g := newRig(t)
	nonce, err := g.relayer.Nonce(t.Context())
	require.NoError(t, err)
	one := g.prepareAt(t, nonce, tokenID(6), 1)
	two := g.prepareAt(t, nonce, tokenID(6), 2)
	require.Greater(t, maxFee(t, two), maxFee(t, one), "feeScale 2 bids more")
	require.NotEqual(t, one.Hash, two.Hash)
	// Default multiplier 1.5: resource 80,000 × 1.5, inclusion 100 × 1.5 × scale.
	require.Equal(t, int64(120_150), maxFee(t, one))
	require.Equal(t, int64(120_300), maxFee(t, two))

	capped := newRig(t, func(c *stellar.RelayerConfig) { c.MaxFee = 120_200 })
	n, err := capped.relayer.Nonce(t.Context())
	require.NoError(t, err)
	capped.prepareAt(t, n, tokenID(6), 1)
	_, err = capped.relayer.Prepare(t.Context(), n, mintOf(capped.player, tokenID(6)), 2)
	require.ErrorIs(t, err, relay.ErrFeeCapExceeded)
	_, err = capped.relayer.Prepare(t.Context(), n, mintOf(capped.player, tokenID(6)), math.MaxUint32)
	require.ErrorIs(t, err, relay.ErrFeeCapExceeded)
}

func TestRelayer_NotTheMinter(t *testing.T) {
	t.Parallel()
	g := newRig(t)
	g.node.SetSorobanMinter(keypair.MustRandom().Address())
	_, err := g.relayer.Prepare(t.Context(), 1, mintOf(g.player, tokenID(1)), 1)
	require.ErrorContains(t, err, "not the badge contract's minter")
}

func TestRelayer_PrepareChecksWork(t *testing.T) {
	t.Parallel()
	g := newRig(t)
	player := g.player
	tests := []struct {
		name  string
		nonce uint64
		work  relay.Work
		scale float64
	}{
		{"root", 1, relay.Work{Root: &relay.Root{Board: "daily"}, Mints: mintOf(player, tokenID(1)).Mints}, 1},
		{"no mint", 1, relay.Work{}, 1},
		{"two mints", 1, relay.Work{Mints: []relay.Mint{{To: player, TokenID: tokenID(1)}, {To: player, TokenID: tokenID(2)}}}, 1},
		{"token id too long", 1, mintOf(player, "0x1"+tokenID(1)[2:]), 1},
		{"token id without 0x", 1, mintOf(player, "12"), 1},
		{"token id not hex", 1, mintOf(player, "0xzz"), 1},
		{"recipient not an account", 1, mintOf(chaintest.SorobanBadgeContract, tokenID(1)), 1},
		{"nonce zero", 0, mintOf(player, tokenID(1)), 1},
		{"nonce beyond int64", math.MaxUint64, mintOf(player, tokenID(1)), 1},
		{"fee scale below 1", 1, mintOf(player, tokenID(1)), 0.5},
		{"fee scale NaN", 1, mintOf(player, tokenID(1)), math.NaN()},
	}
	for _, tt := range tests {
		_, err := g.relayer.Prepare(t.Context(), tt.nonce, tt.work, tt.scale)
		require.Error(t, err, tt.name)
	}
	require.Zero(t, g.node.Calls(), "nothing reaches the node")
}

func TestRelayer_NonceOfUnfundedAccount(t *testing.T) {
	t.Parallel()
	g := newRig(t)
	r, err := stellar.NewRelayer(stellar.RelayerConfig{URL: g.node.URL, NetworkPassphrase: network.TestNetworkPassphrase,
		SecretKey: keypair.MustRandom().Seed(), Contract: chaintest.SorobanBadgeContract})
	require.NoError(t, err)
	t.Cleanup(func() { _ = r.Close() })
	_, err = r.Nonce(t.Context())
	require.ErrorIs(t, err, relay.ErrUnavailable)
}

func TestRelayer_SharesContractErrorCodesWithTheFake(t *testing.T) {
	t.Parallel()
	require.Equal(t, chaintest.SorobanErrAlreadyMintedToOwner, stellar.BadgeErrAlreadyMintedToOwner)
	require.Equal(t, chaintest.SorobanErrOwnedByAnother, stellar.BadgeErrOwnedByAnother)
}
