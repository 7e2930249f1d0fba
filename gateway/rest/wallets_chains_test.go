package rest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/proofstell/proofstell/chain/starknet"
	"github.com/proofstell/proofstell/chain/stellar"
	"github.com/proofstell/proofstell/gateway/auth"
)

// The wallet tests sign in against the real chain code, as the binary
// does. The gateway itself imports no chain package; these twins of cmd's
// adapters (cmd/proofstell/chainports.go) fill its interfaces, which a test
// may do because only non-test gateway files are held to the layering.

var (
	_ auth.StarknetSignIn = testStarknet{}
	_ auth.StellarSignIn  = testStellar{}
)

// testStarknet is auth.StarknetSignIn over chain/starknet.
type testStarknet struct {
	chainID  string
	verifier *starknet.Verifier
}

func (s testStarknet) NormalizeAddress(address string) (string, error) {
	return starknet.NormalizeAddress(address)
}

func (s testStarknet) NormalizeSignature(signature []string) ([]string, error) {
	return starknet.NormalizeSignature(signature)
}

func (s testStarknet) TypedData(m auth.SignIn) (json.RawMessage, error) {
	return starknet.TypedData(s.chainID, testStarknetMessage(m))
}

func (s testStarknet) Verify(ctx context.Context, m auth.SignIn, signature []string) error {
	hash, err := starknet.MessageHash(s.chainID, testStarknetMessage(m))
	if err != nil {
		return err
	}
	err = s.verifier.Verify(ctx, m.Address, hash, signature)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, starknet.ErrInvalidSignature), errors.Is(err, starknet.ErrBadSignature):
		return fmt.Errorf("%w: %w", auth.ErrInvalidSignature, err)
	case errors.Is(err, starknet.ErrAccountNotDeployed):
		return fmt.Errorf("%w: %w", auth.ErrAccountNotDeployed, err)
	default:
		return fmt.Errorf("%w: %w", auth.ErrChainUnavailable, err)
	}
}

func testStarknetMessage(m auth.SignIn) starknet.SignIn {
	return starknet.SignIn{Address: m.Address, Nonce: m.Nonce, IssuedAt: m.IssuedAt, ExpiresAt: m.ExpiresAt,
		Statement: m.Statement}
}

// testStellar is auth.StellarSignIn over chain/stellar.
type testStellar struct {
	networkPassphrase string
}

func (s testStellar) NormalizeAddress(address string) (string, error) {
	return stellar.NormalizeAddress(address)
}

func (s testStellar) Message(m auth.SignIn) string {
	return stellar.Message(stellar.Challenge{Address: m.Address, Domain: m.Domain,
		NetworkPassphrase: s.networkPassphrase, Nonce: m.Nonce, IssuedAt: m.IssuedAt, ExpiresAt: m.ExpiresAt})
}

func (s testStellar) Verify(m auth.SignIn, signatureB64 string) error {
	return stellar.Verify(m.Address, s.Message(m), signatureB64)
}
