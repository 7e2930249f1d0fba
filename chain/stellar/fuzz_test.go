package stellar_test

import (
	"testing"

	"github.com/stellar/go-stellar-sdk/keypair"

	"github.com/proofstell/proofstell/chain/stellar"
)

// FuzzVerify: addresses, messages and signatures from clients never panic
// the verifier, and nothing but a real signature by the address's key over
// the message passes.
func FuzzVerify(f *testing.F) {
	kp, err := keypair.Random()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(kp.Address(), "ProofStell sign-in", "AAAA")
	f.Add("GABC", "", "not base64!")
	f.Add("", "x", "")
	f.Fuzz(func(t *testing.T, address, message, signature string) {
		if err := stellar.Verify(address, message, signature); err == nil && address == kp.Address() {
			t.Fatalf("a signature nobody made verified for %s", address)
		}
	})
}
