package verify

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"os"
	"testing"
)

// FuzzVerify feeds Parse and Verify arbitrary bytes, as a replay URL may
// serve: they must answer (a report or an error), never panic or hang.
func FuzzVerify(f *testing.F) {
	honest, err := os.ReadFile("testdata/replay.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(honest)
	f.Add([]byte(`{"encoding":"proofstell/replay/v1","canonical":"","seed":"` +
		"0000000000000000000000000000000000000000000000000000000000000000" + `"}`))
	f.Fuzz(func(_ *testing.T, data []byte) {
		r, err := Parse(data)
		if err != nil {
			return
		}
		_, _ = Verify(r)
	})
}

// FuzzVerify_Judge reaches past the hash: it makes the canonical bytes and
// hash agree with whatever JSON the fuzzer writes, so the rules check and
// the judge see every shape of replay.
func FuzzVerify_Judge(f *testing.F) {
	honest, err := os.ReadFile("testdata/replay.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(honest)
	f.Fuzz(func(_ *testing.T, data []byte) {
		r, err := Parse(data)
		if err != nil {
			return
		}
		seed, err := hex.DecodeString(r.Seed)
		if err != nil || len(seed) != 32 {
			return
		}
		canonical := r.encode(seed)
		sum := sha256.Sum256(canonical)
		r.Canonical, r.ReplayHash = base64.StdEncoding.EncodeToString(canonical), hex.EncodeToString(sum[:])
		r.SeedCommitment = commitment(r.SessionID, seed)
		_, _ = Verify(r)
	})
}
