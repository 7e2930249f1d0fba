package stellar_test

import (
	"math/big"
	"strings"
	"testing"

	"github.com/proofstell/proofstell/chain/stellar"
)

// FuzzTokenIDArg: token ids (read back from the store) never panic the
// encoder, and an accepted id is exactly the u128 its hex digits spell.
func FuzzTokenIDArg(f *testing.F) {
	for _, s := range []string{"0x0", "0x" + strings.Repeat("f", 32), "0x" + strings.Repeat("f", 33), "0x-1", "0x+5", "12", "0x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		v, err := stellar.TokenIDArg(id)
		if err != nil {
			return
		}
		digits := strings.TrimPrefix(id, "0x")
		want, ok := new(big.Int).SetString(digits, 16)
		if !ok || !strings.HasPrefix(id, "0x") || strings.Trim(digits, "0123456789abcdefABCDEF") != "" {
			t.Fatalf("accepted %q", id)
		}
		got := new(big.Int).Lsh(new(big.Int).SetUint64(uint64(v.U128.Hi)), 64)
		got.Or(got, new(big.Int).SetUint64(uint64(v.U128.Lo)))
		if got.Cmp(want) != 0 {
			t.Fatalf("%q encoded as %s", id, got)
		}
	})
}
