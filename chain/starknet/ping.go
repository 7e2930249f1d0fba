package starknet

import (
	"context"
	"fmt"
	"math/big"
	"strings"

	"github.com/NethermindEth/juno/core/felt"
)

// Ping asks the node for its chain id and checks it is chainID (a short
// string such as SN_SEPOLIA, or its hex felt), so a node on the wrong network
// shows up in readiness instead of as failed sign-ins.
func (v *Verifier) Ping(ctx context.Context, chainID string) error {
	ctx, cancel := context.WithTimeout(ctx, v.timeout)
	defer cancel()
	var got string
	if err := v.call(ctx, "starknet_chainId", []any{}, &got); err != nil {
		return fmt.Errorf("ping starknet node: %w", err)
	}
	want := ChainIDFelt(chainID)
	if !strings.EqualFold(got, want) && !strings.EqualFold(got, chainID) {
		return fmt.Errorf("ping starknet node: chain id %q, configured %q (%s)", got, chainID, want)
	}
	return nil
}

// ChainIDFelt returns a chain id as the hex felt nodes report: a short
// string is encoded as its ASCII bytes, a hex value is kept.
func ChainIDFelt(chainID string) string {
	if strings.HasPrefix(chainID, "0x") {
		return strings.ToLower(chainID)
	}
	return "0x" + new(big.Int).SetBytes([]byte(chainID)).Text(16)
}

// maxShortString is the longest Cairo short string: 31 ASCII bytes fit a
// felt.
const maxShortString = 31

// ShortString encodes s as a Cairo short string felt (its ASCII bytes, big
// endian), as Cairo's 'daily' literals are; empty, non-ASCII and longer
// than 31 bytes are refused.
func ShortString(s string) (*felt.Felt, error) {
	if s == "" || len(s) > maxShortString {
		return nil, fmt.Errorf("short string %.40q: want 1..%d bytes", s, maxShortString)
	}
	for i := range len(s) {
		if s[i] < 0x20 || s[i] > 0x7e {
			return nil, fmt.Errorf("short string %.40q: not printable ASCII", s)
		}
	}
	return new(felt.Felt).SetBytes([]byte(s)), nil
}
