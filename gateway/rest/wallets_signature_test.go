package rest

import (
	"encoding/json"
	"math/big"
	"net/http"
	"strings"
	"testing"

	"github.com/stellar/go-stellar-sdk/keypair"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/chain/chaintest"
)

// feltPrime is the StarkNet field modulus, the first value no felt takes.
var feltPrime = func() *big.Int {
	p := new(big.Int).Lsh(big.NewInt(1), 251)
	p.Add(p, new(big.Int).Lsh(big.NewInt(17), 192))
	return p.Add(p, big.NewInt(1))
}()

// decimalFelts rewrites "0x" felts in decimal, as Argent X and
// stark.signatureToDecimalArray write them.
func decimalFelts(t *testing.T, hex []string) []string {
	t.Helper()
	out := make([]string, len(hex))
	for i, h := range hex {
		v, ok := new(big.Int).SetString(strings.TrimPrefix(h, "0x"), 16)
		require.True(t, ok, h)
		out[i] = v.String()
	}
	return out
}

// Every way wallets and starknet.js write a signature signs in.
func TestWallets_StarknetVerify_SignatureSpellings(t *testing.T) {
	t.Parallel()
	env := newWalletEnv(t)
	acct := env.node.NewAccount(t, chaintest.KindArgent)
	tests := []struct {
		name  string
		shape func(hex []string) any
	}{
		{"hex list", func(hex []string) any { return hex }},
		{"decimal list", func(hex []string) any { return decimalFelts(t, hex) }},
		{"capital 0X hex", func(hex []string) any { return []string{"0X" + hex[0][2:], strings.ToUpper(hex[1][2:2]) + hex[1]} }},
		{"r, s object in decimal with recovery", func(hex []string) any {
			d := decimalFelts(t, hex)
			return map[string]any{"r": d[0], "s": d[1], "recovery": 1}
		}},
		{"r, s object in hex", func(hex []string) any { return map[string]string{"r": hex[0], "s": hex[1]} }},
	}
	for _, tt := range tests {
		sig := signTyped(t, acct, acct.Address, env.starknetChallenge(t, acct.Address), nil)
		w := env.post(t, "/auth/wallet/starknet/verify", "", map[string]any{"address": acct.Address, "signature": tt.shape(sig)})
		require.Equal(t, http.StatusOK, w.Code, "%s: %s", tt.name, w.Body.String())
	}

	// Linking takes the same spellings.
	guest := signIn(t, env.h, "device-wallet-decimal-link")
	other := env.node.NewAccount(t, chaintest.KindBraavos)
	sig := signTyped(t, other, other.Address, env.starknetChallenge(t, other.Address), nil)
	w := env.post(t, "/players/me/wallets", guest.AccessToken,
		map[string]any{"chain": "starknet", "address": other.Address, "signature": decimalFelts(t, sig)})
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
}

// A signature that is not felts is a 422 naming the field, answered before
// the challenge is used: the wallet's real signature still signs in after.
func TestWallets_StarknetVerify_MalformedSignature(t *testing.T) {
	t.Parallel()
	env := newWalletEnv(t)
	acct := env.node.NewAccount(t, chaintest.KindArgent)
	sig := signTyped(t, acct, acct.Address, env.starknetChallenge(t, acct.Address), nil)
	prime := new(big.Int).Set(feltPrime)
	tests := map[string]any{
		"numbers":                  []int{1, 2},
		"empty list":               []string{},
		"17 felts":                 make17("0x1"),
		"empty felt":               []string{sig[0], ""},
		"bare 0x":                  []string{sig[0], "0x"},
		"negative decimal":         []string{sig[0], "-1"},
		"exponent":                 []string{sig[0], "1e5"},
		"hex without 0x":           []string{sig[0], "abc"},
		"65 hex digits":            []string{sig[0], "0x1" + strings.Repeat("0", 64)},
		"77 decimal digits":        []string{sig[0], "1" + strings.Repeat("0", 76)},
		"the prime in hex":         []string{sig[0], "0x" + prime.Text(16)},
		"the prime in decimal":     []string{sig[0], prime.String()},
		"above the prime in hex":   []string{sig[0], "0x" + strings.Repeat("f", 64)},
		"a string":                 sig[0],
		"r without s":              map[string]string{"r": sig[0]},
		"r, s and an unknown key":  map[string]string{"r": sig[0], "s": sig[1], "v": "1"},
		"r, s as numbers":          map[string]int{"r": 1, "s": 2},
		"null":                     nil,
		"list of r, s objects":     []map[string]string{{"r": sig[0], "s": sig[1]}},
		"decimal with a space":     []string{sig[0], " 12"},
		"hex with a sign":          []string{sig[0], "0x-1"},
		"unicode digits in felt":   []string{sig[0], "١٢"},
		"decimal felt of hex text": []string{sig[0], "12ab"},
	}
	for name, bad := range tests {
		w := env.post(t, "/auth/wallet/starknet/verify", "", map[string]any{"address": acct.Address, "signature": bad})
		requireError(t, w, http.StatusUnprocessableEntity, CodeValidationFailed)
		var body struct {
			Error struct {
				Details map[string]any `json:"details"`
			} `json:"error"`
		}
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &body), name)
		require.Equal(t, "signature", body.Error.Details["field"], name)
	}
	w := env.post(t, "/auth/wallet/starknet/verify", "", map[string]any{"address": acct.Address, "signature": sig})
	require.Equal(t, http.StatusOK, w.Code, "no malformed body used the challenge: %s", w.Body.String())
}

func make17(felt string) []string {
	out := make([]string, maxSignatureFelts+1)
	for i := range out {
		out[i] = felt
	}
	return out
}

// Both chains' messages name the configured public origin.
func TestWallets_MessagesNameTheOrigin(t *testing.T) {
	t.Parallel()
	env := newWalletEnv(t)
	acct := env.node.NewAccount(t, chaintest.KindArgent)
	var doc struct {
		Message map[string]any `json:"message"`
		Types   map[string][]map[string]string
	}
	require.NoError(t, json.Unmarshal(env.starknetChallenge(t, acct.Address), &doc))
	require.Equal(t, "https://proofstell.test", doc.Message["origin"])
	require.Contains(t, doc.Types["SignIn"], map[string]string{"name": "origin", "type": "string"})

	kp := keypair.MustRandom()
	msg := env.stellarChallenge(t, kp.Address())
	require.True(t, strings.HasPrefix(msg, "proofstell.test wants you to sign in"), msg)
	require.Contains(t, msg, "\nURI: https://proofstell.test\n")
}
