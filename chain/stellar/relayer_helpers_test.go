package stellar_test

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stellar/go-stellar-sdk/keypair"
	"github.com/stellar/go-stellar-sdk/network"
	"github.com/stellar/go-stellar-sdk/xdr"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/chain/chaintest"
	"github.com/proofstell/proofstell/chain/relay"
	"github.com/proofstell/proofstell/chain/stellar"
)

// rig is a fake Soroban node with a funded relayer account that is the
// badge contract's minter, and a player to mint to.
type rig struct {
	node    *chaintest.SorobanNode
	relayer *stellar.Relayer
	account *keypair.Full
	player  string
}

func newRig(t *testing.T, tune ...func(*stellar.RelayerConfig)) rig {
	t.Helper()
	node := chaintest.NewSorobanNode(t, network.TestNetworkPassphrase)
	account := keypair.MustRandom()
	node.FundAccount(account.Address())
	node.SetSorobanMinter(account.Address())
	cfg := stellar.RelayerConfig{URL: node.URL, NetworkPassphrase: network.TestNetworkPassphrase,
		SecretKey: account.Seed(), Contract: chaintest.SorobanBadgeContract,
		Client: &http.Client{Timeout: 300 * time.Millisecond}}
	for _, f := range tune {
		f(&cfg)
	}
	r, err := stellar.NewRelayer(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = r.Close() })
	return rig{node: node, relayer: r, account: account, player: keypair.MustRandom().Address()}
}

func tokenID(i int) string { return fmt.Sprintf("0x%032x", i) }

func mintOf(to, id string) relay.Work {
	return relay.Work{Mints: []relay.Mint{{To: to, TokenID: id}}}
}

// prepareAt signs a mint of id to the rig's player at nonce.
func (g rig) prepareAt(t *testing.T, nonce uint64, id string, feeScale float64) relay.Signed {
	t.Helper()
	tx, err := g.relayer.Prepare(t.Context(), nonce, mintOf(g.player, id), feeScale)
	require.NoError(t, err)
	return tx
}

// prepare signs a mint of id at the account's next sequence number.
func (g rig) prepare(t *testing.T, id string) relay.Signed {
	t.Helper()
	nonce, err := g.relayer.Nonce(t.Context())
	require.NoError(t, err)
	return g.prepareAt(t, nonce, id, 1)
}

// envelope decodes a signed payload.
func envelope(t *testing.T, tx relay.Signed) xdr.TransactionEnvelope {
	t.Helper()
	var env xdr.TransactionEnvelope
	require.NoError(t, xdr.SafeUnmarshalBase64(string(tx.Payload), &env))
	return env
}

func maxFee(t *testing.T, tx relay.Signed) int64 {
	t.Helper()
	v, err := strconv.ParseInt(tx.MaxFee, 10, 64)
	require.NoError(t, err)
	return v
}
