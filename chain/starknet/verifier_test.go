package starknet_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/chain/chaintest"
	"github.com/proofstell/proofstell/chain/starknet"
)

const chainID = "SN_SEPOLIA"

var issued = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

// message is a sign-in message for address.
func message(address string) starknet.SignIn {
	return starknet.SignIn{Address: address, Nonce: "0x9f3c2b1a0d4e5f60718293a4b5c6d7e8",
		IssuedAt: issued, ExpiresAt: issued.Add(5 * time.Minute), Statement: "Sign in to ProofStell",
		Origin: "https://play.proofstell.example.com"}
}

// hashFor is the sign-in hash of address on chain.
func hashFor(t testing.TB, chain, address string) string {
	t.Helper()
	h, err := starknet.MessageHash(chain, message(address))
	require.NoError(t, err)
	return h
}

func TestVerifier_Verify(t *testing.T) {
	t.Parallel()
	node := chaintest.NewNode(t, chainID)
	v := starknet.NewVerifier(node.URL, nil)
	argent := node.NewAccount(t, chaintest.KindArgent)
	braavos := node.NewAccount(t, chaintest.KindBraavos)
	guardian := node.NewAccount(t, chaintest.KindGuardian)
	legacy := node.NewAccount(t, chaintest.KindLegacy)
	stranger := node.NewAccount(t, chaintest.KindArgent)
	undeployed := node.UndeployedAccount(t)

	tests := []struct {
		name    string
		account *chaintest.Account
		signer  *chaintest.Account // signs account's hash; nil: account itself
		chain   string             // chain id the signer hashed for; "": chainID
		edit    func([]string) []string
		want    error
	}{
		{name: "argent single signer", account: argent},
		{name: "braavos", account: braavos},
		{name: "guardian both signatures", account: guardian},
		{name: "legacy account answers 1", account: legacy},
		{name: "argent signed by another key", account: argent, signer: stranger, want: starknet.ErrInvalidSignature},
		{name: "braavos signed by another key", account: braavos, signer: stranger, want: starknet.ErrInvalidSignature},
		{name: "guardian owner only", account: guardian, edit: func(s []string) []string { return s[:2] },
			want: starknet.ErrInvalidSignature},
		{name: "guardian signatures swapped", account: guardian,
			edit: func(s []string) []string { return []string{s[2], s[3], s[0], s[1]} }, want: starknet.ErrInvalidSignature},
		{name: "signed for another chain id", account: argent, chain: "SN_MAIN", want: starknet.ErrInvalidSignature},
		{name: "undeployed account", account: undeployed, want: starknet.ErrAccountNotDeployed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			signer, chain := tt.signer, tt.chain
			if signer == nil {
				signer = tt.account
			}
			if chain == "" {
				chain = chainID
			}
			sig, err := signer.Sign(hashFor(t, chain, tt.account.Address))
			require.NoError(t, err)
			if tt.edit != nil {
				sig = tt.edit(sig)
			}
			err = v.Verify(context.Background(), tt.account.Address, hashFor(t, chainID, tt.account.Address), sig)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.want)
		})
	}
}

func TestVerifier_Faults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault chaintest.Fault
	}{
		{"node down", chaintest.FaultDown},
		{"node times out", chaintest.FaultTimeout},
		{"rate limited", chaintest.FaultRateLimited},
		{"wrong result shape", chaintest.FaultWrongResult},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			node := chaintest.NewNode(t, chainID)
			acct := node.NewAccount(t, chaintest.KindArgent)
			hash := hashFor(t, chainID, acct.Address)
			sig, err := acct.Sign(hash)
			require.NoError(t, err)
			v := starknet.NewVerifier(node.URL, nil)
			node.SetFault(tt.fault)
			ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			defer cancel()
			require.ErrorIs(t, v.Verify(ctx, acct.Address, hash, sig), starknet.ErrUnavailable)
			node.SetFault(chaintest.FaultNone)
			require.NoError(t, v.Verify(context.Background(), acct.Address, hash, sig), "node healed")
		})
	}
}

func TestVerifier_Ping(t *testing.T) {
	t.Parallel()
	node := chaintest.NewNode(t, chainID)
	v := starknet.NewVerifier(node.URL, nil)
	require.NoError(t, v.Ping(context.Background(), chainID))
	require.NoError(t, v.Ping(context.Background(), starknet.ChainIDFelt(chainID)))
	err := v.Ping(context.Background(), "SN_MAIN")
	require.ErrorIs(t, err, starknet.ErrNodeMismatch)
	require.ErrorContains(t, err, `chain id is "0x534e5f5345504f4c4941", STARKNET_CHAIN_ID wants "SN_MAIN"`)
	node.SetFault(chaintest.FaultDown)
	require.ErrorIs(t, v.Ping(context.Background(), chainID), starknet.ErrUnavailable)
}

func TestVerifier_Ping_SpecVersion(t *testing.T) {
	t.Parallel()
	for version, ok := range map[string]bool{"0.9.0": true, "0.9.1": true, "0.9.0-rc.2": true,
		"0.8.1": false, "0.10.0": false, "0.9": false, "0.90.0": false, "": false} {
		node := chaintest.NewNode(t, chainID)
		node.SetSpecVersion(version)
		err := starknet.NewVerifier(node.URL, nil).Ping(context.Background(), chainID)
		if ok {
			require.NoError(t, err, version)
			continue
		}
		require.ErrorIs(t, err, starknet.ErrNodeMismatch, version)
		require.ErrorContains(t, err, `JSON-RPC spec version is "`+version+`", want 0.9.x`)
	}
}

// The verifier's starknet_call matches the spec's FELT and ADDRESS
// patterns: the fake node refuses a zero-padded address as a
// schema-validating node does, and accounts are stored zero-padded.
func TestVerifier_SendsCanonicalFelts(t *testing.T) {
	t.Parallel()
	node := chaintest.NewNode(t, chainID)
	acct := node.NewAccount(t, chaintest.KindArgent)
	require.Len(t, acct.Address, 66, "stored zero-padded")
	hash := hashFor(t, chainID, acct.Address)
	sig, err := acct.Sign(hash)
	require.NoError(t, err)
	require.NoError(t, starknet.NewVerifier(node.URL, nil).Verify(context.Background(), acct.Address, hash, sig),
		"chaintest's TestNode_CallRefusesNonCanonicalFelts: a padded address would be refused")
}

// BenchmarkVerify measures sign-in verification throughput against the fake
// node over HTTP: message hash, JSON-RPC round trip and the account's ECDSA
// check. bench/ records it.
func BenchmarkVerify(b *testing.B) {
	node := chaintest.NewNode(b, chainID)
	v := starknet.NewVerifier(node.URL, nil)
	acct := node.NewAccount(b, chaintest.KindArgent)
	sig, err := acct.Sign(hashFor(b, chainID, acct.Address))
	require.NoError(b, err)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			hash, err := starknet.MessageHash(chainID, message(acct.Address))
			if err != nil {
				b.Fatal(err)
			}
			if err := v.Verify(context.Background(), acct.Address, hash, sig); err != nil {
				b.Fatal(err)
			}
		}
	})
}
