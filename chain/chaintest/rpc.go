package chaintest

import (
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"

	"github.com/NethermindEth/starknet.go/utils"
)

// JSON-RPC and StarkNet error codes the node answers with.
const (
	codeParse            = -32700
	codeMethodNotFound   = -32601
	codeInvalidParams    = -32602
	codeContractNotFound = 20
	codeEntrypoint       = 21
	codeContractError    = 40
)

// validMagic is 'VALID' as a short string, SRC-6's success value.
const validMagic = "0x56414c4944"

var isValidSignature = utils.GetSelectorFromNameFelt("is_valid_signature")

type rpcRequest struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Method  string          `json:"method"`
	Params  json.RawMessage `json:"params"`
}

type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Data    any    `json:"data,omitempty"`
}

type rpcReply struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Result  any             `json:"result,omitempty"`
	Error   *rpcError       `json:"error,omitempty"`
}

type functionCall struct {
	ContractAddress    string   `json:"contract_address"`
	EntryPointSelector string   `json:"entry_point_selector"`
	Calldata           []string `json:"calldata"`
}

// dispatch runs one method.
func (n *Node) dispatch(req rpcRequest) (any, *rpcError) {
	switch req.Method {
	case "starknet_specVersion":
		return n.specVersion(), nil
	case "starknet_chainId":
		return "0x" + new(big.Int).SetBytes([]byte(n.chainID)).Text(16), nil
	case "starknet_getClassHashAt":
		return n.classHashAt(req.Params)
	case "starknet_call":
		if n.currentFault() == FaultWrongResult {
			return "0xdeadbeef", nil
		}
		return n.call(req.Params)
	default:
		return n.dispatchTx(req)
	}
}

// classHashAt answers whether a contract is deployed.
func (n *Node) classHashAt(params json.RawMessage) (any, *rpcError) {
	var p []json.RawMessage
	var addr string
	if json.Unmarshal(params, &p) != nil || len(p) != 2 || json.Unmarshal(p[1], &addr) != nil {
		return nil, &rpcError{Code: codeInvalidParams, Message: "Invalid params"}
	}
	a, ok := n.account(addr)
	if !ok {
		return nil, &rpcError{Code: codeContractNotFound, Message: "Contract not found"}
	}
	return fmt.Sprintf("0x%x", 0x1000+int(a.Kind)), nil
}

// call runs a read-only contract call at the latest block.
func (n *Node) call(params json.RawMessage) (any, *rpcError) {
	fc, ok := callParams(params)
	if !ok {
		return nil, &rpcError{Code: codeInvalidParams, Message: "Invalid params"}
	}
	if e := checkCallFelts(fc); e != nil {
		return nil, e
	}
	a, ok := n.account(fc.ContractAddress)
	if !ok {
		return nil, &rpcError{Code: codeContractNotFound, Message: "Contract not found"}
	}
	sel, ok := new(big.Int).SetString(trim0x(fc.EntryPointSelector), 16)
	if !ok || sel.Cmp(isValidSignature.BigInt(new(big.Int))) != 0 {
		return nil, &rpcError{Code: codeEntrypoint, Message: "Requested entrypoint does not exist in the contract"}
	}
	return a.isValidSignature(fc.Calldata)
}

// callParams reads [request, "latest"] or {"request", "block_id": "latest"}.
func callParams(params json.RawMessage) (functionCall, bool) {
	var fc functionCall
	var block string
	var arr []json.RawMessage
	if json.Unmarshal(params, &arr) == nil {
		if len(arr) != 2 || json.Unmarshal(arr[0], &fc) != nil || json.Unmarshal(arr[1], &block) != nil {
			return fc, false
		}
		return fc, block == "latest"
	}
	var obj struct {
		Request functionCall `json:"request"`
		BlockID string       `json:"block_id"`
	}
	if json.Unmarshal(params, &obj) != nil {
		return fc, false
	}
	return obj.Request, obj.BlockID == "latest"
}

// isValidSignature executes the account's entry point on calldata
// [hash, len, sig...], answering as the account's kind does.
func (a *Account) isValidSignature(calldata []string) (any, *rpcError) {
	felts, ok := parseFelts(calldata)
	if !ok || len(felts) < 2 || !felts[1].IsInt64() || felts[1].Int64() != int64(len(felts)-2) {
		return nil, revert("failed to deserialize param #2")
	}
	if a.accepts(felts[0], felts[2:]) {
		if a.Kind == KindLegacy {
			return []string{"0x1"}, nil
		}
		return []string{validMagic}, nil
	}
	if a.Kind == KindBraavos || a.Kind == KindLegacy {
		return []string{"0x0"}, nil
	}
	return nil, revert("argent/invalid-signature")
}

// revert is the CONTRACT_ERROR a failing call produces.
func revert(reason string) *rpcError {
	return &rpcError{Code: codeContractError, Message: "Contract error",
		Data: map[string]string{"revert_error": reason}}
}

func parseFelts(ss []string) ([]*big.Int, bool) {
	out := make([]*big.Int, len(ss))
	for i, s := range ss {
		v, ok := new(big.Int).SetString(trim0x(s), 16)
		if !ok {
			return nil, false
		}
		out[i] = v
	}
	return out, true
}

// specFelt is the v0.9.0 spec's FELT and ADDRESS pattern: "0x" and hex
// without leading zeros. Nodes validating the request against the schema
// refuse anything else, a zero-padded address included.
var specFelt = regexp.MustCompile(`^0x(0|[a-fA-F1-9]{1}[a-fA-F0-9]{0,62})$`)

// checkCallFelts refuses a call whose address, selector or calldata does not
// match specFelt, as a schema-validating node does.
func checkCallFelts(fc functionCall) *rpcError {
	fields := append([]string{fc.ContractAddress, fc.EntryPointSelector}, fc.Calldata...)
	for _, f := range fields {
		if !specFelt.MatchString(f) {
			return &rpcError{Code: codeInvalidParams, Message: "Invalid params",
				Data: fmt.Sprintf("%q does not match the FELT pattern %s", f, specFelt)}
		}
	}
	return nil
}
