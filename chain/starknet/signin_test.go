package starknet_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/chain/starknet"
)

const addr = "0x0000000000000000000000000000000000000000000000000000000000abcdef"

func TestMessageHash_BindsEveryField(t *testing.T) {
	t.Parallel()
	base := hashFor(t, chainID, addr)
	require.Regexp(t, `^0x[0-9a-f]{1,64}$`, base)
	require.Equal(t, base, hashFor(t, chainID, addr), "deterministic")
	tests := []struct {
		name  string
		chain string
		edit  func(*starknet.SignIn)
	}{
		{"chain id", "SN_MAIN", func(*starknet.SignIn) {}},
		{"address", chainID, func(m *starknet.SignIn) { m.Address = "0x" + addr[3:] + "1" }},
		{"nonce", chainID, func(m *starknet.SignIn) { m.Nonce = "0x1" }},
		{"issued at", chainID, func(m *starknet.SignIn) { m.IssuedAt = m.IssuedAt.Add(1e9) }},
		{"expires at", chainID, func(m *starknet.SignIn) { m.ExpiresAt = m.ExpiresAt.Add(1e9) }},
		{"statement", chainID, func(m *starknet.SignIn) { m.Statement += "!" }},
		{"origin", chainID, func(m *starknet.SignIn) { m.Origin = "https://evil.example.com" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := message(addr)
			tt.edit(&m)
			h, err := starknet.MessageHash(tt.chain, m)
			require.NoError(t, err)
			require.NotEqual(t, base, h)
		})
	}
}

func TestTypedData_Revision1Document(t *testing.T) {
	t.Parallel()
	raw, err := starknet.TypedData(chainID, message(addr))
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(raw, &doc))
	require.Equal(t, "SignIn", doc["primaryType"])
	require.Equal(t, map[string]any{"name": "ProofStell", "version": "1", "chainId": chainID, "revision": "1"}, doc["domain"])
	msg := doc["message"].(map[string]any)
	require.Equal(t, addr, msg["address"])
	require.InDelta(t, float64(issued.Unix()), msg["issuedAt"], 0)
	require.Contains(t, doc["types"], "StarknetDomain")
}

func TestNormalizeAddress(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
	}{
		{"0xABCDEF", addr},
		{addr, addr},
		{"0x07ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "0x07ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"},
		{"abcdef", ""},
		{"0x", ""},
		{"0x0", ""},
		{"0x-1", ""},
		{"0xzz", ""},
		{"0x0800000000000000000000000000000000000000000000000000000000000000", ""},
		{"0x00000000000000000000000000000000000000000000000000000000000000001", ""},
	}
	for _, tt := range tests {
		got, err := starknet.NormalizeAddress(tt.in)
		if tt.want == "" {
			require.ErrorIs(t, err, starknet.ErrBadAddress, tt.in)
			continue
		}
		require.NoError(t, err, tt.in)
		require.Equal(t, tt.want, got)
	}
}

func TestNormalizeSignature(t *testing.T) {
	t.Parallel()
	got, err := starknet.NormalizeSignature([]string{"0xAB", "0x01", "255", "0X0"})
	require.NoError(t, err)
	require.Equal(t, []string{"0xab", "0x1", "0xff", "0x0"}, got, "hex and decimal, canonical hex out")
	prime := "3618502788666131213697322783095070105623107215331596699973092056135872020481"
	below, err := starknet.NormalizeSignature([]string{"3618502788666131213697322783095070105623107215331596699973092056135872020480"})
	require.NoError(t, err)
	require.Equal(t, []string{"0x800000000000011000000000000000000000000000000000000000000000000"}, below)
	for _, bad := range [][]string{nil, {"0x"}, {""}, {"-1"}, {"+1"}, {"1e3"}, {"12ab"}, {" 1"},
		make([]string, starknet.MaxSignatureFelts+1), {prime}, {"1" + prime},
		{"0x0800000000000011000000000000000000000000000000000000000000000001"}} {
		_, err := starknet.NormalizeSignature(bad)
		require.ErrorIs(t, err, starknet.ErrBadSignature, "%v", bad)
	}
}

func TestWireAddress_IsCanonical(t *testing.T) {
	t.Parallel()
	got, err := starknet.WireAddress(addr)
	require.NoError(t, err)
	require.Equal(t, "0xabcdef", got, "no leading zeros: the spec's ADDRESS pattern")
	_, err = starknet.WireAddress("nope")
	require.ErrorIs(t, err, starknet.ErrBadAddress)
}
