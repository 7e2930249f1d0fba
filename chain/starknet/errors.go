package starknet

import (
	"errors"

	"github.com/proofstell/proofstell/chain/relay"
)

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
	ErrUnavailable = relay.ErrUnavailable
	// ErrInvalidNonce: the node refused the transaction's nonce
	// (INVALID_TRANSACTION_NONCE, code 52): stale or ahead of the account's.
	ErrInvalidNonce = relay.ErrInvalidNonce
	// ErrRejected: the node refused the transaction permanently (bad
	// signature, validation failure, unsupported version); resending the
	// same bytes cannot help.
	ErrRejected = relay.ErrRejected
	// ErrTxNotFound: the node does not know the transaction hash (never
	// received, or dropped from its mempool); the caller may rebroadcast.
	ErrTxNotFound = relay.ErrTxNotFound
	// ErrFeeCapExceeded: the estimated fee alone is above the configured cap.
	ErrFeeCapExceeded = relay.ErrFeeCapExceeded
)
