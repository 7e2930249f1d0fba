package starknet

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/proofstell/proofstell/chain/relay"
)

// StarkNet JSON-RPC error codes of the transaction methods.
const (
	codeTxHashNotFound    = 29
	codeInvalidNonce      = 52
	codeDuplicateTx       = 59
	codeUnexpectedError   = 63
	revertAlreadyMintedTo = "already minted to owner"
)

// Send broadcasts a prepared transaction. It is idempotent: a node that
// already holds the hash (DUPLICATE_TX) counts as sent. Errors:
// ErrInvalidNonce, ErrRejected, ErrUnavailable (try again later).
func (m *Minter) Send(ctx context.Context, tx relay.Signed) error {
	var out struct {
		Hash string `json:"transaction_hash"`
	}
	err := postRPC(ctx, m.client, m.url, "starknet_addInvokeTransaction", []any{json.RawMessage(tx.Payload)}, &out)
	if code, ok := rpcCode(err); ok && code == codeDuplicateTx {
		return nil
	}
	if err != nil {
		return fmt.Errorf("send %s: %w", tx.Hash, classifySendError(err))
	}
	if !sameFelt(out.Hash, tx.Hash) {
		return fmt.Errorf("send %s: %w: node answered hash %.80q", tx.Hash, ErrRejected, out.Hash)
	}
	return nil
}

// classifySendError maps a node error onto the sentinels.
func classifySendError(err error) error {
	code, ok := rpcCode(err)
	switch {
	case !ok:
		return err // transport: already ErrUnavailable
	case code == codeInvalidNonce:
		return fmt.Errorf("%w: %w", ErrInvalidNonce, err)
	case code == codeUnexpectedError:
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	default:
		return fmt.Errorf("%w: %w", ErrRejected, err)
	}
}

// Nonce returns the relayer account's next nonce (pre-confirmed block).
func (m *Minter) Nonce(ctx context.Context) (uint64, error) {
	var out string
	err := postRPC(ctx, m.client, m.url, "starknet_getNonce", []any{"pre_confirmed", m.address.String()}, &out)
	if err != nil {
		return 0, fmt.Errorf("get nonce: %w", classifySendError(err))
	}
	n, err := strconv.ParseUint(strings.TrimPrefix(out, "0x"), 16, 64)
	if err != nil {
		return 0, fmt.Errorf("get nonce: %w: %.80q", ErrUnavailable, out)
	}
	return n, nil
}

// Receipt reports the status of hash: its receipt when final, pending while
// the node only holds it in its mempool. ErrTxNotFound: the node does not
// know hash (dropped or never received): rebroadcast the same relay.Signed.
func (m *Minter) Receipt(ctx context.Context, hash string) (relay.Receipt, error) {
	var rc struct {
		Execution string `json:"execution_status"`
		Finality  string `json:"finality_status"`
		Reason    string `json:"revert_reason"`
	}
	err := postRPC(ctx, m.client, m.url, "starknet_getTransactionReceipt", []any{hash}, &rc)
	if code, ok := rpcCode(err); ok && code == codeTxHashNotFound {
		return m.status(ctx, hash)
	}
	if err != nil {
		return relay.Receipt{}, fmt.Errorf("receipt %s: %w", hash, classifySendError(err))
	}
	return outcome(rc.Finality, rc.Execution, rc.Reason), nil
}

// status asks for the status of a transaction without receipt.
func (m *Minter) status(ctx context.Context, hash string) (relay.Receipt, error) {
	var st struct {
		Finality  string `json:"finality_status"`
		Execution string `json:"execution_status"`
		Reason    string `json:"failure_reason"`
	}
	err := postRPC(ctx, m.client, m.url, "starknet_getTransactionStatus", []any{hash}, &st)
	if code, ok := rpcCode(err); ok && code == codeTxHashNotFound {
		return relay.Receipt{}, fmt.Errorf("status %s: %w", hash, ErrTxNotFound)
	}
	if err != nil {
		return relay.Receipt{}, fmt.Errorf("status %s: %w", hash, classifySendError(err))
	}
	return outcome(st.Finality, st.Execution, st.Reason), nil
}

// outcome reads finality and execution statuses.
func outcome(finality, execution, reason string) relay.Receipt {
	if finality != "ACCEPTED_ON_L2" && finality != "ACCEPTED_ON_L1" {
		return relay.Receipt{Status: relay.StatusPending}
	}
	if execution == "REVERTED" {
		return relay.Receipt{Status: relay.StatusReverted, Reason: reason, AlreadyMinted: strings.Contains(reason, revertAlreadyMintedTo)}
	}
	return relay.Receipt{Status: relay.StatusAccepted}
}

// sameFelt compares two hex felts numerically.
func sameFelt(a, b string) bool {
	x, err1 := parseFelt(a, feltPrime)
	y, err2 := parseFelt(b, feltPrime)
	return err1 == nil && err2 == nil && x.Cmp(y) == 0
}
