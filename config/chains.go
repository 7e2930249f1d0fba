package config

import (
	"encoding/hex"
	"slices"
	"strings"
)

// KnownStarknetChains are the chain ids STARKNET_CHAIN_ID accepts without
// STARKNET_CUSTOM_CHAIN: StarkNet's public networks. starknet-devnet reports
// SN_SEPOLIA by default, so it needs no escape; Katana (KATANA) and
// appchains do.
var KnownStarknetChains = []string{"SN_MAIN", "SN_SEPOLIA"}

// maxShortString is the longest Cairo short string: 31 ASCII bytes fit a
// felt.
const maxShortString = 31

// starknetChainID accepts a known chain by name or hex felt; with custom
// set, any Cairo short string or hex felt, since a typo of a known name
// would otherwise surface only as refused signatures.
func (p *problems) starknetChainID(name, v string, custom bool) {
	switch {
	case isHexFelt(v):
		if !custom && !slices.Contains(knownChainFelts(), strings.ToLower(v)) {
			p.add(name, "%q is not the hex felt of a known chain (%s); set STARKNET_CUSTOM_CHAIN=true for a devnet or appchain",
				v, strings.Join(KnownStarknetChains, ", "))
		}
	case !isShortString(v):
		p.add(name, "must be a chain name of 1..%d ASCII characters such as SN_SEPOLIA, or a hex felt, got %q", maxShortString, v)
	case !custom && !slices.Contains(KnownStarknetChains, v):
		p.add(name, "unknown chain %q: want %s; set STARKNET_CUSTOM_CHAIN=true for a devnet or appchain",
			v, strings.Join(KnownStarknetChains, " or "))
	}
}

// knownChainFelts returns KnownStarknetChains as lower-case hex felts, the
// form starknet_chainId answers with.
func knownChainFelts() []string {
	out := make([]string, 0, len(KnownStarknetChains))
	for _, c := range KnownStarknetChains {
		out = append(out, "0x"+hex.EncodeToString([]byte(c)))
	}
	return out
}

// isHexFelt reports whether s is 0x followed by 1..63 hex digits (a value
// below 2^252, the felt range used by chain ids).
func isHexFelt(s string) bool {
	digits, ok := strings.CutPrefix(strings.ToLower(s), "0x")
	if !ok || digits == "" || len(digits) > 63 {
		return false
	}
	return strings.Trim(digits, "0123456789abcdef") == ""
}

// isShortString reports whether s is a Cairo short string: 1..31 printable
// ASCII characters.
func isShortString(s string) bool {
	if s == "" || len(s) > maxShortString {
		return false
	}
	for _, r := range s {
		if r < ' ' || r > '~' {
			return false
		}
	}
	return true
}
