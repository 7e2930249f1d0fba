package starknet_test

import (
	"context"
	"encoding/json"
	"math/big"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/chain/chaintest"
	"github.com/proofstell/proofstell/chain/relay"
	"github.com/proofstell/proofstell/chain/starknet"
)

// relayerFixture is a node, its relayer account and a Minter signing for it.
type relayerFixture struct {
	node    *chaintest.Node
	relayer *chaintest.Account
	minter  *starknet.Minter
}

// newRelayer starts a node with a relayer account; edit adjusts the config.
func newRelayer(t testing.TB, edit func(*starknet.MinterConfig)) relayerFixture {
	t.Helper()
	node := chaintest.NewNode(t, chainID)
	relayer := node.NewAccount(t, chaintest.KindArgent)
	cfg := starknet.MinterConfig{URL: node.URL, ChainID: chainID, Account: relayer.Address,
		PrivateKey: relayer.PrivateKey(), Contract: chaintest.BadgeContract}
	if edit != nil {
		edit(&cfg)
	}
	m, err := starknet.NewMinter(cfg)
	require.NoError(t, err)
	return relayerFixture{node: node, relayer: relayer, minter: m}
}

// player returns a fresh player address.
func (f relayerFixture) player(t testing.TB) string {
	t.Helper()
	return f.node.UndeployedAccount(t).Address
}

// mint is the mint of badge to player.
func mint(badge, player string) relay.Mint {
	return relay.Mint{To: player, TokenID: starknet.TokenID(badge, player)}
}

// sendAt prepares and sends mints at nonce.
func (f relayerFixture) sendAt(t testing.TB, nonce uint64, mints ...relay.Mint) relay.Signed {
	t.Helper()
	tx, err := f.minter.Prepare(context.Background(), nonce, relay.Work{Mints: mints}, 1)
	require.NoError(t, err)
	require.NoError(t, f.minter.Send(context.Background(), tx))
	return tx
}

// receipt reads tx's receipt.
func (f relayerFixture) receipt(t testing.TB, tx relay.Signed) relay.Receipt {
	t.Helper()
	r, err := f.minter.Receipt(context.Background(), tx.Hash)
	require.NoError(t, err)
	return r
}

// requireOwner checks the node's badge contract holds tokenID for owner.
func requireOwner(t testing.TB, node *chaintest.Node, tokenID, owner string) {
	t.Helper()
	got, ok := node.OwnerOf(tokenID)
	require.True(t, ok, "token %s not minted", tokenID)
	require.Equal(t, owner, got)
}

// boundsOf decodes a signed payload's resource bounds as integers.
func boundsOf(t testing.TB, tx relay.Signed) map[string][2]int64 {
	t.Helper()
	var p struct {
		RB map[string]struct {
			Amount string `json:"max_amount"`
			Price  string `json:"max_price_per_unit"`
		} `json:"resource_bounds"`
	}
	require.NoError(t, json.Unmarshal(tx.Payload, &p))
	out := map[string][2]int64{}
	for k, v := range p.RB {
		a, ok1 := new(big.Int).SetString(v.Amount[2:], 16)
		pr, ok2 := new(big.Int).SetString(v.Price[2:], 16)
		require.True(t, ok1 && ok2)
		out[k] = [2]int64{a.Int64(), pr.Int64()}
	}
	return out
}
