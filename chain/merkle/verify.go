package merkle

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/NethermindEth/juno/core/felt"
)

// maxFeltHexDigits bounds parsed input: a felt never needs more than 64 digits.
const maxFeltHexDigits = 64

// Verify reports whether proof links leaf, encoded with version, to root,
// doing exactly what the Cairo contract does, so the server can self-check
// what it publishes. Malformed hex anywhere or an unknown version makes the
// proof invalid rather than an error.
func Verify(version LeafVersion, root string, leaf Leaf, proof []string) bool {
	want, err := ParseFelt(root)
	if err != nil || !version.Valid() {
		return false
	}
	computed := hashLeaf(version, leaf)
	for _, s := range proof {
		sibling, err := ParseFelt(s)
		if err != nil {
			return false
		}
		computed = hashPair(&computed, sibling)
	}
	return computed.Equal(want)
}

// ParseFelt reads the "0x" hex form this package emits, refusing decimal,
// over-long and out-of-field values so two spellings never mean one node.
func ParseFelt(s string) (*felt.Felt, error) {
	digits, ok := strings.CutPrefix(s, "0x")
	if !ok || digits == "" || len(digits) > maxFeltHexDigits {
		return nil, fmt.Errorf("parse felt %q: want 0x followed by 1-%d hex digits", s, maxFeltHexDigits)
	}
	for _, c := range digits {
		if !isHexDigit(c) {
			return nil, fmt.Errorf("parse felt %q: bad hex digit %q", s, c)
		}
	}
	v, ok := new(big.Int).SetString(digits, 16)
	if !ok || v.Cmp(fieldPrime) >= 0 {
		return nil, fmt.Errorf("parse felt %q: not below the field prime", s)
	}
	return new(felt.Felt).SetBigInt(v), nil
}

// fieldPrime is StarkNet's p = 2^251 + 17·2^192 + 1. Parsing with math/big
// (felt.SetString also takes decimal) and bounding here keeps one spelling
// per value and a plain error message.
var fieldPrime = func() *big.Int {
	p := new(big.Int).Lsh(big.NewInt(1), 251)
	p.Add(p, new(big.Int).Lsh(big.NewInt(17), 192))
	return p.Add(p, big.NewInt(1))
}()

func isHexDigit(c rune) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}
