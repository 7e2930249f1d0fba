package starknet_test

import (
	"strings"
	"testing"

	"github.com/proofstell/proofstell/chain/starknet"
)

// FuzzNormalizeAddress: client bytes never panic the parser, and whatever it
// accepts is in the one normalized form (0x + 64 lowercase hex digits) and
// normalizes to itself.
func FuzzNormalizeAddress(f *testing.F) {
	for _, seed := range []string{"0xabc", "0x0", "", "0X" + strings.Repeat("f", 64), "0x" + strings.Repeat("1", 65), "zz", "0x-1"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := starknet.NormalizeAddress(in)
		if err != nil {
			return
		}
		if len(out) != 66 || !strings.HasPrefix(out, "0x") || strings.ToLower(out) != out {
			t.Fatalf("NormalizeAddress(%q) = %q: not normalized", in, out)
		}
		if again, err := starknet.NormalizeAddress(out); err != nil || again != out {
			t.Fatalf("NormalizeAddress is not idempotent on %q: %q, %v", out, again, err)
		}
	})
}

// FuzzNormalizeSignature: any list of felts from a client is accepted in the
// normalized form or refused, never a panic.
func FuzzNormalizeSignature(f *testing.F) {
	f.Add("0x1", "0x2")
	f.Add("", "0x"+strings.Repeat("f", 70))
	f.Add("12", "-3")
	f.Fuzz(func(t *testing.T, a, b string) {
		out, err := starknet.NormalizeSignature([]string{a, b})
		if err == nil && len(out) != 2 {
			t.Fatalf("NormalizeSignature kept %d of 2 elements", len(out))
		}
	})
}
