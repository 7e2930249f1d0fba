package starknet_test

import (
	"context"
	"encoding/json"
	"math/big"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/chain/chaintest"
	"github.com/proofstell/proofstell/chain/relay"
	"github.com/proofstell/proofstell/chain/starknet"
)

func TestMinter_MintAccepted(t *testing.T) {
	t.Parallel()
	f := newRelayer(t, nil)
	ctx := context.Background()
	nonce, err := f.minter.Nonce(ctx)
	require.NoError(t, err)
	require.Zero(t, nonce)
	p := f.player(t)
	tx := f.sendAt(t, nonce, mint("first-game", p))
	require.Equal(t, relay.Receipt{Status: relay.StatusAccepted}, f.receipt(t, tx))
	requireOwner(t, f.node, starknet.TokenID("first-game", p), p)
	nonce, err = f.minter.Nonce(ctx)
	require.NoError(t, err)
	require.Equal(t, uint64(1), nonce)
	require.Len(t, f.node.Txs(), 1)
	require.Equal(t, tx.Hash, f.node.Txs()[0].Hash, "node recomputed the same v3 hash")
}

func TestMinter_SignatureAndHashChecked(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		tamper func(f relayerFixture, tx *relay.Signed)
		edit   func(*starknet.MinterConfig, *chaintest.Account)
	}{
		{name: "signed by another key", edit: func(c *starknet.MinterConfig, other *chaintest.Account) {
			c.PrivateKey = other.PrivateKey()
		}},
		{name: "tip changed after signing", tamper: func(_ relayerFixture, tx *relay.Signed) {
			tx.Payload = json.RawMessage(strings.Replace(string(tx.Payload), `"tip":"0x0"`, `"tip":"0x1"`, 1))
		}},
		{name: "signed for another chain", edit: func(c *starknet.MinterConfig, _ *chaintest.Account) { c.ChainID = "SN_MAIN" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			node := chaintest.NewNode(t, chainID)
			relayer, other := node.NewAccount(t, chaintest.KindArgent), node.NewAccount(t, chaintest.KindArgent)
			cfg := starknet.MinterConfig{URL: node.URL, ChainID: chainID, Account: relayer.Address,
				PrivateKey: relayer.PrivateKey(), Contract: chaintest.BadgeContract}
			if tt.edit != nil {
				tt.edit(&cfg, other)
			}
			m, err := starknet.NewMinter(cfg)
			require.NoError(t, err)
			f := relayerFixture{node: node, relayer: relayer, minter: m}
			tx, err := m.Prepare(context.Background(), 0, relay.Work{Mints: []relay.Mint{mint("b", f.player(t))}}, 1)
			require.NoError(t, err)
			if tt.tamper != nil {
				tt.tamper(f, &tx)
			}
			require.ErrorIs(t, m.Send(context.Background(), tx), starknet.ErrRejected)
			require.Zero(t, node.Minted())
			require.Empty(t, node.Txs())
		})
	}
}

func TestMinter_NonceEnforced(t *testing.T) {
	t.Parallel()
	f := newRelayer(t, nil)
	f.sendAt(t, 0, mint("b", f.player(t)))
	for _, nonce := range []uint64{0, 5} {
		tx, err := f.minter.Prepare(context.Background(), nonce, relay.Work{Mints: []relay.Mint{mint("b", f.player(t))}}, 1)
		require.NoError(t, err)
		require.ErrorIs(t, f.minter.Send(context.Background(), tx), starknet.ErrInvalidNonce, "nonce %d", nonce)
	}
	f.node.SetTxFault(chaintest.TxFaultStaleNonce)
	tx, err := f.minter.Prepare(context.Background(), 1, relay.Work{Mints: []relay.Mint{mint("b", f.player(t))}}, 1)
	require.NoError(t, err)
	require.ErrorIs(t, f.minter.Send(context.Background(), tx), starknet.ErrInvalidNonce)
	require.Equal(t, 1, f.node.Minted())
}

func TestMinter_FeeMultiplierAndCap(t *testing.T) {
	t.Parallel()
	estimate := int64(chaintest.EstimatedOverallFee(1))
	tests := []struct {
		name    string
		mult    float64
		cap     int64
		want    map[string][2]int64 // nil: only check the cap
		wantErr error
	}{
		{name: "multiplied, no cap", mult: 1.5, want: map[string][2]int64{
			"l1_gas": {0, 2}, "l2_gas": {750_000, 5}, "l1_data_gas": {192, 3}}},
		{name: "default multiplier", want: map[string][2]int64{
			"l1_gas": {0, 2}, "l2_gas": {750_000, 5}, "l1_data_gas": {192, 3}}},
		{name: "exact estimate", mult: 1, want: map[string][2]int64{
			"l1_gas": {0, 1}, "l2_gas": {500_000, 3}, "l1_data_gas": {128, 2}}},
		{name: "capped", mult: 3, cap: 2_000_000},
		{name: "cap below estimate", mult: 1.5, cap: estimate - 1, wantErr: starknet.ErrFeeCapExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newRelayer(t, func(c *starknet.MinterConfig) {
				c.FeeMultiplier = tt.mult
				if tt.cap > 0 {
					c.MaxFee = big.NewInt(tt.cap)
				}
			})
			tx, err := f.minter.Prepare(context.Background(), 0, relay.Work{Mints: []relay.Mint{mint("b", f.player(t))}}, 1)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			b := boundsOf(t, tx)
			var sum int64
			for _, r := range b {
				sum += r[0] * r[1]
			}
			require.Equal(t, big.NewInt(sum).String(), tx.MaxFee)
			if tt.want != nil {
				require.Equal(t, tt.want, b)
			} else {
				require.LessOrEqual(t, sum, tt.cap)
				require.GreaterOrEqual(t, sum, estimate)
			}
			require.NoError(t, f.minter.Send(context.Background(), tx), "bounds are what the node signs over")
		})
	}
}
