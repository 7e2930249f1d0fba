package starknet

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/NethermindEth/juno/core/felt"
)

// SpecVersion is the StarkNet JSON-RPC spec the node must speak: the
// relayer asks for the pre_confirmed block tag, which 0.9 introduced, and
// the fields we send follow its patterns. Any 0.9.x patch release will do.
const SpecVersion = "0.9"

// ErrNodeMismatch means the node answers, but not as the configuration needs (another
// spec version or another chain). Retrying does not help; the operator must
// point the node URL elsewhere or upgrade the node.
var ErrNodeMismatch = errors.New("starknet node does not match the configuration")

// Ping checks the node speaks spec SpecVersion (starknet_specVersion) and
// is on chainID (a short string such as SN_SEPOLIA, or its hex felt), so a
// node of the wrong version or network shows up at start and in readiness
// instead of as failed sign-ins and mints. A mismatch wraps ErrNodeMismatch
// and names the expected and actual values; a node that cannot be asked
// wraps ErrUnavailable.
func (v *Verifier) Ping(ctx context.Context, chainID string) error {
	ctx, cancel := context.WithTimeout(ctx, v.timeout)
	defer cancel()
	if err := v.checkSpecVersion(ctx); err != nil {
		return fmt.Errorf("ping starknet node: %w", err)
	}
	var got string
	if err := v.call(ctx, "starknet_chainId", []any{}, &got); err != nil {
		return fmt.Errorf("ping starknet node: %w", err)
	}
	want := ChainIDFelt(chainID)
	if !strings.EqualFold(got, want) && !strings.EqualFold(got, chainID) {
		return fmt.Errorf("ping starknet node: %w: chain id is %q, STARKNET_CHAIN_ID wants %q (%s)",
			ErrNodeMismatch, got, chainID, want)
	}
	return nil
}

// checkSpecVersion asks starknet_specVersion and compares its major.minor.
func (v *Verifier) checkSpecVersion(ctx context.Context) error {
	var got string
	if err := v.call(ctx, "starknet_specVersion", []any{}, &got); err != nil {
		return err
	}
	if !SpecVersionSupported(got) {
		return fmt.Errorf("%w: JSON-RPC spec version is %q, want %s.x", ErrNodeMismatch, got, SpecVersion)
	}
	return nil
}

// SpecVersionSupported reports whether a node's spec version (e.g. "0.9.0",
// "0.9.1-rc.1") is a SpecVersion release.
func SpecVersionSupported(version string) bool {
	rest, ok := strings.CutPrefix(version, SpecVersion+".")
	return ok && rest != "" && rest[0] >= '0' && rest[0] <= '9'
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
