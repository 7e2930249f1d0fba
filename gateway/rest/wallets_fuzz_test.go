package rest

import (
	"errors"
	"strings"
	"testing"
)

// fuzzWalletDecoder checks a body decoder never panics and either fails
// with an API error or returns a request within the documented bounds.
func fuzzWalletDecoder[T any](f *testing.F, seeds []string, decode func(body string) (T, error), check func(*testing.T, T)) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		req, err := decode(body)
		if err != nil {
			var ae *apiError
			if !errors.As(err, &ae) || ae.Status < 400 || ae.Status >= 500 {
				t.Fatalf("decode error is not a client error: %v", err)
			}
			return
		}
		check(t, req)
	})
}

func checkAddressBound(t *testing.T, addr string) {
	if addr == "" || len(addr) > maxWalletAddress {
		t.Fatalf("address out of bounds: %q", addr)
	}
}

func FuzzDecodeWalletChallenge(f *testing.F) {
	fuzzWalletDecoder(f, []string{`{"address":"0x1"}`, `{"address":""}`, `{"address":"G"}`, `{}`, `{"address":1}`, `{"x":1}`},
		func(b string) (walletChallengeRequest, error) { return decodeWalletChallenge(strings.NewReader(b)) },
		func(t *testing.T, r walletChallengeRequest) { checkAddressBound(t, r.Address) })
}

func FuzzDecodeStarknetVerify(f *testing.F) {
	fuzzWalletDecoder(f, []string{`{"address":"0x1","signature":["0x1","0x2"]}`, `{"address":"0x1","signature":[]}`,
		`{"address":"0x1","signature":"0x1"}`, `{"address":"0x1","signature":[1]}`, `[]`, `{"address":"0x1","signature":["123","0xab"]}`,
		`{"address":"0x1","signature":{"r":"1","s":"0x2","recovery":1}}`, `{"address":"0x1","signature":{"r":"1"}}`},
		func(b string) (starknetVerifyRequest, error) { return decodeStarknetVerify(strings.NewReader(b)) },
		func(t *testing.T, r starknetVerifyRequest) {
			checkAddressBound(t, r.Address)
			if len(r.Felts) == 0 || len(r.Felts) > maxSignatureFelts {
				t.Fatalf("signature length %d", len(r.Felts))
			}
			for _, f := range r.Felts {
				if !feltSpelling(f) {
					t.Fatalf("felt %q", f)
				}
			}
		})
}

func FuzzDecodeStellarVerify(f *testing.F) {
	fuzzWalletDecoder(f, []string{`{"address":"GABC","signature":"AAAA"}`, `{"address":"GABC","signature":["A"]}`, `{"signature":""}`},
		func(b string) (stellarVerifyRequest, error) { return decodeStellarVerify(strings.NewReader(b)) },
		func(t *testing.T, r stellarVerifyRequest) {
			checkAddressBound(t, r.Address)
			if r.Signature == "" || len(r.Signature) > maxSignatureString {
				t.Fatalf("signature %q", r.Signature)
			}
		})
}

func FuzzDecodeLinkWallet(f *testing.F) {
	fuzzWalletDecoder(f, []string{`{"chain":"starknet","address":"0x1","signature":["0x1"]}`,
		`{"chain":"stellar","address":"GA","signature":"AAAA"}`, `{"chain":"stellar","address":"GA","signature":["AAAA"]}`,
		`{"chain":"x","address":"GA","signature":"A"}`, `{"chain":"starknet","address":"0x1","signature":null}`},
		func(b string) (linkWalletRequest, error) { return decodeLinkWallet(strings.NewReader(b)) },
		func(t *testing.T, r linkWalletRequest) {
			checkAddressBound(t, r.Address)
			if !r.Chain.Valid() {
				t.Fatalf("chain %q accepted", r.Chain)
			}
			if (len(r.StarknetSignature) == 0) == (r.StellarSignature == "") {
				t.Fatalf("exactly one signature form must be set: %+v", r)
			}
		})
}
