package e2e

import (
	"testing"

	"github.com/proofstell/proofstell/chain/chaintest"
	"github.com/proofstell/proofstell/internal/nodetest"
)

// TestServer_StarknetSignIn_StarknetJS signs in with starknet.js itself
// (test/node/starknet-signin.test.mjs): Account.signMessage over the
// server's typed data, posted as starknet.js and wallets write signatures.
// The fake node's Argent account checks the ECDSA signature against its
// public key over the hash the server computes, so it passes only if the
// server's SNIP-12 hash is the ecosystem's. The origin is longer than 31
// bytes so the long-string (ByteArray) encoding of revision 1 is compared
// too; tampered messages are refused.
func TestServer_StarknetSignIn_StarknetJS(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server")
	}
	t.Parallel()
	node := chaintest.NewNode(t, "SN_SEPOLIA")
	account := node.NewAccount(t, chaintest.KindArgent)
	s := startServer(t, "STARKNET_RPC_URL="+node.URL, "STARKNET_CHAIN_ID=SN_SEPOLIA",
		"PUBLIC_URL=https://proofstell-e2e-sign-in.games.example.com")
	nodetest.Run(t, "starknet-signin.test.mjs", map[string]string{
		"PROOFSTELL_URL":           s.base,
		"STARKNET_RPC_URL":         node.URL,
		"STARKNET_ACCOUNT_ADDRESS": account.Address,
		"STARKNET_PRIVATE_KEY":     account.PrivateKey(),
	})
}
