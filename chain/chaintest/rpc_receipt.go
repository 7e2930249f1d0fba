package chaintest

import (
	"encoding/json"

	"github.com/NethermindEth/starknet.go/rpc"
)

// estimateFee answers one estimate per transaction from its call count;
// signatures are not checked (relayers estimate unsigned, SKIP_VALIDATE).
// Like a node, it executes each transaction against the current state
// first: one that reverts answers TRANSACTION_EXECUTION_ERROR (41) with
// the revert reason, and no estimate.
func (n *Node) estimateFee(params json.RawMessage) (any, *rpcError) {
	p, ok := positional(params, "request", "simulation_flags", "block_id")
	var txs []rpc.InvokeTxnV3
	if !ok || json.Unmarshal(p[0], &txs) != nil || len(txs) == 0 {
		return nil, errInvalidParams
	}
	out := make([]feeEstimate, len(txs))
	for i, tx := range txs {
		calls, reason := parseMulticall(tx.Calldata)
		if reason != "" || len(calls) > maxEstimateCalls {
			return nil, &rpcError{Code: codeExecutionError, Message: "Transaction execution error", Data: reason}
		}
		if reason := n.ledger.simulate(calls); reason != "" {
			return nil, &rpcError{Code: codeExecutionError, Message: "Transaction execution error",
				Data: map[string]any{"transaction_index": i, "execution_error": reason}}
		}
		out[i] = estimateFor(len(calls))
	}
	return out, nil
}

// txHashParam reads [transaction_hash] as a feltKey.
func txHashParam(params json.RawMessage) (string, bool) {
	p, ok := positional(params, "transaction_hash")
	var h string
	if !ok || json.Unmarshal(p[0], &h) != nil {
		return "", false
	}
	return feltKey(h)
}

var errTxNotFound = &rpcError{Code: codeTxNotFound, Message: "Transaction hash not found"}

// txStatus answers RECEIVED until the transaction is final, then
// ACCEPTED_ON_L2 with its execution status.
func (n *Node) txStatus(params json.RawMessage) (any, *rpcError) {
	h, ok := txHashParam(params)
	if !ok {
		return nil, errInvalidParams
	}
	tx, final, found := n.ledger.poll(h)
	switch {
	case !found:
		return nil, errTxNotFound
	case !final:
		return map[string]string{"finality_status": "RECEIVED"}, nil
	}
	out := map[string]string{"finality_status": "ACCEPTED_ON_L2", "execution_status": "SUCCEEDED"}
	if tx.Reverted {
		out["execution_status"], out["failure_reason"] = "REVERTED", tx.Reason
	}
	return out, nil
}

// txReceipt answers TXN_HASH_NOT_FOUND until the transaction is final, as
// a node does for a transaction still in its mempool.
func (n *Node) txReceipt(params json.RawMessage) (any, *rpcError) {
	h, ok := txHashParam(params)
	if !ok {
		return nil, errInvalidParams
	}
	tx, final, found := n.ledger.poll(h)
	if !found || !final {
		return nil, errTxNotFound
	}
	r := map[string]any{
		"type": "INVOKE", "transaction_hash": tx.Hash, "finality_status": "ACCEPTED_ON_L2",
		"execution_status": "SUCCEEDED", "block_hash": "0x1", "block_number": 1,
		"actual_fee":    map[string]string{"amount": "0x0", "unit": feeUnit},
		"messages_sent": []any{}, "events": []any{},
	}
	if tx.Reverted {
		r["execution_status"], r["revert_reason"] = "REVERTED", tx.Reason
	}
	return r, nil
}
