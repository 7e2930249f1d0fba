package stellar

import (
	"context"
	"errors"
	"fmt"
	"strings"

	protocol "github.com/stellar/go-stellar-sdk/protocols/rpc"
	"github.com/stellar/go-stellar-sdk/xdr"

	"github.com/proofstell/proofstell/chain/relay"
)

// sendTransaction statuses (stellar-core's tx queue answers).
const (
	sendPending       = "PENDING"
	sendDuplicate     = "DUPLICATE"
	sendTryAgainLater = "TRY_AGAIN_LATER"
	sendError         = "ERROR"
)

// Send broadcasts tx's exact envelope. It is idempotent: PENDING and
// DUPLICATE (the node holds it) are success, and so is txBAD_SEQ for a
// transaction the node already applied (core forgets applied hashes and
// judges a resend by its now-consumed sequence number). Errors:
// relay.ErrInvalidNonce (txBAD_SEQ), relay.ErrRejected (any other ERROR),
// relay.ErrUnavailable (TRY_AGAIN_LATER, transport).
func (r *Relayer) Send(ctx context.Context, tx relay.Signed) error {
	resp, err := r.rpc.SendTransaction(ctx, protocol.SendTransactionRequest{Transaction: string(tx.Payload)})
	if err != nil {
		return fmt.Errorf("send %s: %w", tx.Hash, rpcFailure(err))
	}
	if resp.Hash != "" && !strings.EqualFold(resp.Hash, tx.Hash) {
		return fmt.Errorf("send %s: %w: node answered hash %.80q", tx.Hash, relay.ErrRejected, resp.Hash)
	}
	switch resp.Status {
	case sendPending, sendDuplicate:
		return nil
	case sendTryAgainLater:
		return fmt.Errorf("send %s: %w: try again later", tx.Hash, relay.ErrUnavailable)
	case sendError:
		return r.sendFailure(ctx, tx.Hash, resp.ErrorResultXDR)
	default:
		return fmt.Errorf("send %s: %w: status %.40q", tx.Hash, relay.ErrUnavailable, resp.Status)
	}
}

// sendFailure classifies an ERROR answer by its TransactionResult code.
func (r *Relayer) sendFailure(ctx context.Context, hash, resultXDR string) error {
	var res xdr.TransactionResult
	if err := xdr.SafeUnmarshalBase64(resultXDR, &res); err != nil {
		return fmt.Errorf("send %s: %w: unreadable error result", hash, relay.ErrRejected)
	}
	code := res.Result.Code
	if code != xdr.TransactionResultCodeTxBadSeq {
		return fmt.Errorf("send %s: %w: %s", hash, relay.ErrRejected, resultCodeText(code))
	}
	rc, err := r.Receipt(ctx, hash)
	switch {
	case err == nil && rc.Status != relay.StatusPending:
		return nil // applied already: this resend is a duplicate
	case err != nil && !errors.Is(err, relay.ErrTxNotFound):
		return fmt.Errorf("send %s: txBAD_SEQ, then: %w", hash, err)
	}
	return fmt.Errorf("send %s: %w: txBAD_SEQ", hash, relay.ErrInvalidNonce)
}

// Receipt reports where hash stands. Soroban RPC answers NOT_FOUND until
// the transaction is in a closed ledger, so a pending transaction is
// relay.ErrTxNotFound too; SUCCESS is accepted, FAILED reverted with the
// host error from the diagnostic events as reason.
func (r *Relayer) Receipt(ctx context.Context, hash string) (relay.Receipt, error) {
	resp, err := r.rpc.GetTransaction(ctx, protocol.GetTransactionRequest{Hash: hash})
	if err != nil {
		return relay.Receipt{}, fmt.Errorf("receipt %s: %w", hash, rpcFailure(err))
	}
	switch resp.Status {
	case protocol.TransactionStatusNotFound:
		return relay.Receipt{}, fmt.Errorf("receipt %s: %w", hash, relay.ErrTxNotFound)
	case protocol.TransactionStatusSuccess:
		return relay.Receipt{Status: relay.StatusAccepted}, nil
	case protocol.TransactionStatusFailed:
		return r.failed(resp), nil
	default:
		return relay.Receipt{}, fmt.Errorf("receipt %s: %w: status %.40q", hash, relay.ErrUnavailable, resp.Status)
	}
}

// failed reads a FAILED transaction's reason: its result codes and, when
// the node kept diagnostic events, the host error.
func (r *Relayer) failed(resp protocol.GetTransactionResponse) relay.Receipt {
	reason := "transaction failed"
	var res xdr.TransactionResult
	if xdr.SafeUnmarshalBase64(resp.ResultXDR, &res) == nil {
		reason = resultText(res)
	}
	rc := relay.Receipt{Status: relay.StatusReverted, Reason: reason}
	if e, ok := hostError(resp.DiagnosticEventsXDR, r.contract); ok {
		rc.Reason += ": " + scErrorText(e)
		rc.AlreadyMinted = alreadyMinted(e)
	}
	return rc
}

// resultText is a result's transaction code and, for txFAILED, its
// operation's InvokeHostFunction code.
func resultText(res xdr.TransactionResult) string {
	text := resultCodeText(res.Result.Code)
	if res.Result.Results == nil || len(*res.Result.Results) == 0 {
		return text
	}
	op := (*res.Result.Results)[0]
	if op.Tr != nil && op.Tr.InvokeHostFunctionResult != nil {
		text += ": " + strings.TrimPrefix(op.Tr.InvokeHostFunctionResult.Code.String(), "InvokeHostFunctionResultCode")
	}
	return text
}

// resultCodeText spells a result code as stellar-core does (txBAD_SEQ).
func resultCodeText(c xdr.TransactionResultCode) string {
	name := strings.TrimPrefix(c.String(), "TransactionResultCodeTx")
	var b strings.Builder
	b.WriteString("tx")
	for i, ch := range name {
		if i > 0 && ch >= 'A' && ch <= 'Z' {
			b.WriteByte('_')
		}
		b.WriteString(strings.ToUpper(string(ch)))
	}
	return b.String()
}
