package starknet

import (
	"fmt"
	"math/big"
	"strings"
)

// addressBound is 2^251: contract addresses live below it.
var addressBound = new(big.Int).Lsh(big.NewInt(1), 251)

// MaxSignatureFelts bounds a signature: guardian and multisig accounts use a
// few pairs, never dozens; a longer list is refused before any RPC call.
const MaxSignatureFelts = 16

// NormalizeAddress returns the canonical form of a contract address:
// lowercase, "0x" and 64 hex digits. Wallets show addresses with and without
// leading zeros; keying ownership by one form makes both the same wallet.
func NormalizeAddress(s string) (string, error) {
	v, err := parseFelt(s, addressBound)
	if err != nil || v.Sign() == 0 {
		return "", fmt.Errorf("address %.80q: %w", s, ErrBadAddress)
	}
	return fmt.Sprintf("0x%064x", v), nil
}

// NormalizeSignature validates a signature and returns its felts in
// canonical hex form. Each felt is "0x" hex or decimal, as wallets and
// starknet.js write them (wallets differ; stark.signatureToDecimalArray
// answers decimal, stark.formatSignature hex), and below the field prime.
func NormalizeSignature(sig []string) ([]string, error) {
	if len(sig) == 0 || len(sig) > MaxSignatureFelts {
		return nil, fmt.Errorf("%d felts: %w", len(sig), ErrBadSignature)
	}
	out := make([]string, len(sig))
	for i, s := range sig {
		v, err := parseSignatureFelt(s)
		if err != nil {
			return nil, fmt.Errorf("felt %d: %w: %w", i, ErrBadSignature, err)
		}
		out[i] = Felt(v)
	}
	return out, nil
}

// Felt writes v as the StarkNet JSON-RPC spec's FELT: "0x" and lowercase
// hex without leading zeros (pattern ^0x(0|[a-fA-F1-9]{1}[a-fA-F0-9]{0,62})$).
// Every felt sent to a node goes through it: a zero-padded one is refused by
// nodes that check the pattern.
func Felt(v *big.Int) string { return "0x" + v.Text(16) }

// WireAddress is a normalized address as the spec's ADDRESS pattern wants
// it on the wire (no leading zeros); NormalizeAddress keeps the padded form
// for storage and comparison.
func WireAddress(normalized string) (string, error) {
	v, err := parseFelt(normalized, addressBound)
	if err != nil {
		return "", fmt.Errorf("address %.80q: %w", normalized, ErrBadAddress)
	}
	return Felt(v), nil
}

// maxDecimalFelt is the longest decimal felt: the prime has 76 digits.
const maxDecimalFelt = 76

// parseSignatureFelt reads one signature felt, "0x" hex or decimal.
func parseSignatureFelt(s string) (*big.Int, error) {
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		return parseFelt(s, feltPrime)
	}
	if s == "" || len(s) > maxDecimalFelt || strings.Trim(s, "0123456789") != "" {
		return nil, fmt.Errorf("felt %.80q: want 0x hex or 1..%d decimal digits", s, maxDecimalFelt)
	}
	v, _ := new(big.Int).SetString(s, 10) // digits only: always parses
	if v.Cmp(feltPrime) >= 0 {
		return nil, fmt.Errorf("felt %.80q: not below the field prime", s)
	}
	return v, nil
}

// feltPrime is the StarkNet field modulus 2^251 + 17·2^192 + 1.
var feltPrime = func() *big.Int {
	p := new(big.Int).Lsh(big.NewInt(1), 251)
	p.Add(p, new(big.Int).Lsh(big.NewInt(17), 192))
	return p.Add(p, big.NewInt(1))
}()

// parseFelt reads a "0x" hex number below bound.
func parseFelt(s string, bound *big.Int) (*big.Int, error) {
	hex, ok := strings.CutPrefix(strings.ToLower(s), "0x")
	if !ok || hex == "" || len(hex) > 64 {
		return nil, fmt.Errorf("felt %.80q: want 0x and 1..64 hex digits", s)
	}
	v, ok := new(big.Int).SetString(hex, 16)
	if !ok || v.Sign() < 0 || v.Cmp(bound) >= 0 {
		return nil, fmt.Errorf("felt %.80q: not a hex number below the bound", s)
	}
	return v, nil
}
