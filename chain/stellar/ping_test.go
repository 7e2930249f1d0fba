package stellar_test

import (
	"context"
	"testing"

	"github.com/stellar/go-stellar-sdk/network"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/chain/chaintest"
	"github.com/proofstell/proofstell/chain/relay"
	"github.com/proofstell/proofstell/chain/stellar"
)

func TestNodeCheck_Ping(t *testing.T) {
	t.Parallel()
	node := chaintest.NewSorobanNode(t, network.TestNetworkPassphrase)
	check := stellar.NewNodeCheck(node.URL, network.TestNetworkPassphrase, nil)
	t.Cleanup(func() { _ = check.Close() })
	require.NoError(t, check.Ping(context.Background()))

	node.SetUnhealthy(true)
	err := check.Ping(context.Background())
	require.ErrorIs(t, err, relay.ErrUnavailable)
	require.ErrorContains(t, err, "getHealth")
	require.ErrorContains(t, err, "since last known ledger closed is too high")
	node.SetUnhealthy(false)
	require.NoError(t, check.Ping(context.Background()), "healed")

	node.SetFault(chaintest.FaultDown)
	require.ErrorIs(t, check.Ping(context.Background()), relay.ErrUnavailable)
}

func TestNodeCheck_Ping_OtherNetwork(t *testing.T) {
	t.Parallel()
	node := chaintest.NewSorobanNode(t, network.PublicNetworkPassphrase)
	check := stellar.NewNodeCheck(node.URL, network.TestNetworkPassphrase, nil)
	t.Cleanup(func() { _ = check.Close() })
	err := check.Ping(context.Background())
	require.ErrorIs(t, err, stellar.ErrNodeMismatch)
	require.ErrorContains(t, err, `getNetwork passphrase is "Public Global Stellar Network ; September 2015", `+
		`STELLAR_NETWORK_PASSPHRASE is "Test SDF Network ; September 2015"`)
}
