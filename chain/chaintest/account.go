package chaintest

import (
	"crypto/rand"
	"fmt"
	"math/big"

	"github.com/NethermindEth/starknet.go/curve"
)

// Kind is an account contract flavour; they differ in signature layout and
// in how they reject a bad signature, which is what the verifier must handle.
type Kind int

// Account kinds.
const (
	// KindArgent has one owner key, takes [r, s] and reverts on a bad signature.
	KindArgent Kind = iota
	// KindBraavos has one key, takes [r, s] and returns 0 on a bad signature.
	KindBraavos
	// KindGuardian is an Argent account with a guardian: both owner and
	// guardian must sign, [r1, s1, r2, s2].
	KindGuardian
	// KindLegacy predates SRC-6 and answers 1 instead of 'VALID'.
	KindLegacy
)

// Account is a deployed account contract and its signers' private keys.
type Account struct {
	// Address is the normalized contract address.
	Address string
	Kind    Kind
	keys    []*big.Int
	pubs    []*big.Int
}

// newAccount generates the keys of kind and a random address.
func newAccount(kind Kind) (*Account, error) {
	signers := 1
	if kind == KindGuardian {
		signers = 2
	}
	a := &Account{Kind: kind}
	for range signers {
		priv, x, _, err := curve.GetRandomKeys()
		if err != nil {
			return nil, fmt.Errorf("generate stark key: %w", err)
		}
		a.keys, a.pubs = append(a.keys, priv), append(a.pubs, x)
	}
	addr, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 250))
	if err != nil {
		return nil, fmt.Errorf("generate address: %w", err)
	}
	a.Address = fmt.Sprintf("0x%064x", addr)
	return a, nil
}

// Sign signs hash ("0x" hex) with every signer of the account, in the
// layout its contract expects.
func (a *Account) Sign(hash string) ([]string, error) {
	h, ok := new(big.Int).SetString(trim0x(hash), 16)
	if !ok {
		return nil, fmt.Errorf("sign: hash %q is not hex", hash)
	}
	out := make([]string, 0, 2*len(a.keys))
	for _, k := range a.keys {
		r, s, err := curve.Sign(h, k)
		if err != nil {
			return nil, fmt.Errorf("sign: %w", err)
		}
		out = append(out, "0x"+r.Text(16), "0x"+s.Text(16))
	}
	return out, nil
}

// accepts reports whether sig over hash is valid for every signer.
func (a *Account) accepts(hash *big.Int, sig []*big.Int) bool {
	if len(sig) != 2*len(a.pubs) {
		return false
	}
	for i, pub := range a.pubs {
		ok, err := curve.Verify(hash, sig[2*i], sig[2*i+1], pub)
		if err != nil || !ok {
			return false
		}
	}
	return true
}

func trim0x(s string) string {
	if len(s) >= 2 && (s[:2] == "0x" || s[:2] == "0X") {
		return s[2:]
	}
	return s
}
