package starknet

import "errors"

// Sentinel errors returned (wrapped) by this package; callers test them with
// errors.Is and map them to client answers once, at the edge.
var (
	// ErrBadAddress: the address is not a StarkNet contract address.
	ErrBadAddress = errors.New("bad starknet address")
	// ErrBadSignature: the signature is not a list of 1..MaxSignatureFelts felts.
	ErrBadSignature = errors.New("malformed starknet signature")
	// ErrInvalidSignature: the account contract rejected the signature.
	ErrInvalidSignature = errors.New("invalid starknet signature")
	// ErrAccountNotDeployed: no contract exists at the address (RPC error
	// CONTRACT_NOT_FOUND); the player must deploy the wallet first.
	ErrAccountNotDeployed = errors.New("starknet account not deployed")
	// ErrUnavailable: the JSON-RPC node could not answer (down, timeout,
	// rate limited, malformed reply); the proof may succeed later.
	ErrUnavailable = errors.New("starknet node unavailable")
)
