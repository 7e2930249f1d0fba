package chaintest

import (
	"encoding/json"
	"fmt"
	"math/big"

	"github.com/NethermindEth/juno/core/felt"
	"github.com/NethermindEth/starknet.go/hash"
	"github.com/NethermindEth/starknet.go/rpc"
)

// StarkNet JSON-RPC error codes of the transaction methods (spec v0.8/v0.9).
const (
	codeTxNotFound        = 29
	codeExecutionError    = 41
	codeInvalidNonce      = 52
	codeValidationFailure = 55
	codeDuplicateTx       = 59
	codeUnsupportedTxVer  = 61
	// codeReplacementUnderpriced: a same-nonce replacement must pay more.
	codeReplacementUnderpriced = 64
)

// dispatchTx runs the relayer's methods.
func (n *Node) dispatchTx(req rpcRequest) (any, *rpcError) {
	switch req.Method {
	case "starknet_getNonce":
		return n.getNonce(req.Params)
	case "starknet_estimateFee":
		return n.estimateFee(req.Params)
	case "starknet_addInvokeTransaction":
		return n.addInvoke(req.Params)
	case "starknet_getTransactionStatus":
		return n.txStatus(req.Params)
	case "starknet_getTransactionReceipt":
		return n.txReceipt(req.Params)
	default:
		return nil, &rpcError{Code: codeMethodNotFound, Message: "Method not found"}
	}
}

var errInvalidParams = &rpcError{Code: codeInvalidParams, Message: "Invalid params"}

// positional reads params given as an array or as an object with names.
func positional(params json.RawMessage, names ...string) ([]json.RawMessage, bool) {
	var arr []json.RawMessage
	if json.Unmarshal(params, &arr) == nil {
		return arr, len(arr) == len(names)
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(params, &obj) != nil {
		return nil, false
	}
	out := make([]json.RawMessage, len(names))
	for i, name := range names {
		if out[i] = obj[name]; out[i] == nil {
			return nil, false
		}
	}
	return out, true
}

// getNonce answers the next nonce of a contract (any block tag).
func (n *Node) getNonce(params json.RawMessage) (any, *rpcError) {
	p, ok := positional(params, "block_id", "contract_address")
	var addr string
	if !ok || json.Unmarshal(p[1], &addr) != nil {
		return nil, errInvalidParams
	}
	a, found := n.account(addr)
	if !found {
		return nil, &rpcError{Code: codeContractNotFound, Message: "Contract not found"}
	}
	return fmt.Sprintf("0x%x", n.AccountNonce(a.Address)), nil
}

// addInvoke checks an INVOKE v3 transaction like a sequencer's gateway:
// version, hash recomputed from the fields, the sender's real signature,
// then nonce and execution.
func (n *Node) addInvoke(params json.RawMessage) (any, *rpcError) {
	p, ok := positional(params, "invoke_transaction")
	var tx rpc.InvokeTxnV3
	if !ok || json.Unmarshal(p[0], &tx) != nil || tx.SenderAddress == nil || tx.Nonce == nil {
		return nil, errInvalidParams
	}
	if tx.Type != rpc.TransactionTypeInvoke || tx.Version != rpc.TransactionV3 {
		return nil, &rpcError{Code: codeUnsupportedTxVer, Message: "The transaction version is not supported"}
	}
	h, err := hash.TransactionHashInvokeV3(&tx, n.chainFelt())
	if err != nil {
		return nil, errInvalidParams
	}
	a, found := n.account(tx.SenderAddress.String())
	if !found {
		return nil, &rpcError{Code: codeContractNotFound, Message: "Contract not found"}
	}
	if !a.accepts(h.BigInt(new(big.Int)), feltsToBig(tx.Signature)) {
		return nil, &rpcError{Code: codeValidationFailure, Message: "Account validation failed", Data: "invalid signature"}
	}
	calls, reason := parseMulticall(tx.Calldata)
	if reason != "" {
		return nil, &rpcError{Code: codeValidationFailure, Message: "Account validation failed", Data: reason}
	}
	maxFee, ok := boundsTotal(tx.ResourceBounds)
	if !ok {
		return nil, errInvalidParams
	}
	entry := &Tx{Hash: h.String(), Sender: a.Address, Nonce: tx.Nonce.Uint64(), Calls: len(calls), MaxFee: maxFee,
		Root: calls[0].root != nil, calls: calls}
	if e := n.ledger.submit(entry); e != nil {
		return nil, e
	}
	return map[string]string{"transaction_hash": h.String()}, nil
}

// chainFelt is the chain id as the felt transaction hashes commit to.
func (n *Node) chainFelt() *felt.Felt {
	return new(felt.Felt).SetBytes([]byte(n.chainID))
}

func feltsToBig(fs []*felt.Felt) []*big.Int {
	out := make([]*big.Int, len(fs))
	for i, f := range fs {
		out[i] = f.BigInt(new(big.Int))
	}
	return out
}

// boundsTotal is Σ max_amount·max_price_per_unit over the resources: the
// most the transaction may pay.
func boundsTotal(b *rpc.ResourceBoundsMapping) (*big.Int, bool) {
	if b == nil {
		return nil, false
	}
	total := new(big.Int)
	for _, r := range []rpc.ResourceBounds{b.L1Gas, b.L1DataGas, b.L2Gas} {
		amount, err1 := r.MaxAmount.ToUint64()
		price, err2 := r.MaxPricePerUnit.ToBigInt()
		if err1 != nil || err2 != nil {
			return nil, false
		}
		total.Add(total, new(big.Int).Mul(new(big.Int).SetUint64(amount), price))
	}
	return total, true
}
