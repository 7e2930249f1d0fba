// Package walletchains fills the gateway's wallet sign-in interfaces
// (auth.StarknetSignIn, auth.StellarSignIn) with the real chain code. The
// gateway imports no chain/… package (depguard: gateway-imports-no-chain);
// this package is the one place that sees both sides, used by cmd's wiring
// and by the gateway tests that sign in against the real chain code.
package walletchains

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/proofstell/proofstell/chain/starknet"
	"github.com/proofstell/proofstell/chain/stellar"
	"github.com/proofstell/proofstell/gateway/auth"
)

var (
	_ auth.StarknetSignIn = starknetSignIn{}
	_ auth.StellarSignIn  = stellarSignIn{}
)

// Starknet is StarkNet sign-in for the chain chainID, verified through the
// account contract by verifier.
func Starknet(chainID string, verifier *starknet.Verifier) auth.StarknetSignIn {
	return starknetSignIn{chainID: chainID, verifier: verifier}
}

// Stellar is Stellar (SEP-53) sign-in on the network named by
// networkPassphrase.
func Stellar(networkPassphrase string) auth.StellarSignIn {
	return stellarSignIn{networkPassphrase: networkPassphrase}
}

// starknetSignIn is auth.StarknetSignIn over chain/starknet for one chain id.
type starknetSignIn struct {
	chainID  string
	verifier *starknet.Verifier
}

// NormalizeAddress implements auth.StarknetSignIn.
func (s starknetSignIn) NormalizeAddress(address string) (string, error) {
	return starknet.NormalizeAddress(address)
}

// NormalizeSignature implements auth.StarknetSignIn.
func (s starknetSignIn) NormalizeSignature(signature []string) ([]string, error) {
	return starknet.NormalizeSignature(signature)
}

// TypedData implements auth.StarknetSignIn.
func (s starknetSignIn) TypedData(m auth.SignIn) (json.RawMessage, error) {
	return starknet.TypedData(s.chainID, starknetMessage(m))
}

// Verify implements auth.StarknetSignIn: it hashes the message and asks the
// account contract, mapping starknet's errors onto auth's.
func (s starknetSignIn) Verify(ctx context.Context, m auth.SignIn, signature []string) error {
	hash, err := starknet.MessageHash(s.chainID, starknetMessage(m))
	if err != nil {
		return err
	}
	return starknetFailure(s.verifier.Verify(ctx, m.Address, hash, signature))
}

// starknetMessage is m as chain/starknet signs it.
func starknetMessage(m auth.SignIn) starknet.SignIn {
	return starknet.SignIn{Address: m.Address, Nonce: m.Nonce, IssuedAt: m.IssuedAt, ExpiresAt: m.ExpiresAt,
		Statement: m.Statement, Origin: m.Origin}
}

// starknetFailure maps the verifier's errors onto the prover's: a rejected
// or malformed signature, a missing account, or else an unavailable node.
func starknetFailure(err error) error {
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

// stellarSignIn is auth.StellarSignIn over chain/stellar for one network.
type stellarSignIn struct {
	networkPassphrase string
}

// NormalizeAddress implements auth.StellarSignIn.
func (s stellarSignIn) NormalizeAddress(address string) (string, error) {
	return stellar.NormalizeAddress(address)
}

// Message implements auth.StellarSignIn with SEP-53 text.
func (s stellarSignIn) Message(m auth.SignIn) string {
	return stellar.Message(stellar.Challenge{Address: m.Address, Domain: m.Domain, URI: m.Origin,
		NetworkPassphrase: s.networkPassphrase, Nonce: m.Nonce, IssuedAt: m.IssuedAt, ExpiresAt: m.ExpiresAt})
}

// Verify implements auth.StellarSignIn.
func (s stellarSignIn) Verify(m auth.SignIn, signatureB64 string) error {
	return stellar.Verify(m.Address, s.Message(m), signatureB64)
}
