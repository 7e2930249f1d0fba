package chaintest

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"

	protocol "github.com/stellar/go-stellar-sdk/protocols/rpc"
	"github.com/stellar/go-stellar-sdk/xdr"
)

// sorobanProtocolVersion is the ledger protocol the node reports.
const sorobanProtocolVersion = 23

// sorobanGenesisTime is the close time (unix) of the genesis ledger; each
// ledger closes 5 s after the previous one.
const sorobanGenesisTime = 1_767_225_600

// dispatch runs one method; params are named (an object), as Soroban RPC
// clients send them.
func (n *SorobanNode) dispatch(req rpcRequest) (any, *rpcError) {
	if n.currentFault() == FaultWrongResult {
		return "0xdeadbeef", nil
	}
	switch req.Method {
	case protocol.GetHealthMethodName:
		return n.health()
	case protocol.GetNetworkMethodName:
		return protocol.GetNetworkResponse{Passphrase: n.passphrase, ProtocolVersion: sorobanProtocolVersion}, nil
	case protocol.GetLatestLedgerMethodName:
		return n.latestLedger(), nil
	case protocol.GetLedgerEntriesMethodName:
		return n.ledgerEntries(req.Params)
	case protocol.SimulateTransactionMethodName:
		return n.simulate(req.Params)
	case protocol.SendTransactionMethodName:
		return n.sendTransaction(req.Params)
	case protocol.GetTransactionMethodName:
		return n.getTransaction(req.Params)
	default:
		return nil, &rpcError{Code: codeMethodNotFound, Message: "Method not found"}
	}
}

// sorobanParams decodes object params into v.
func sorobanParams(params json.RawMessage, v any) *rpcError {
	if len(params) == 0 || json.Unmarshal(params, v) != nil {
		return &rpcError{Code: codeInvalidParams, Message: "Invalid params"}
	}
	return nil
}

func sorobanInvalidParams(msg string) *rpcError {
	return &rpcError{Code: codeInvalidParams, Message: msg}
}

// latestLedger describes the latest closed ledger.
func (n *SorobanNode) latestLedger() protocol.GetLatestLedgerResponse {
	n.mu.Lock()
	defer n.mu.Unlock()
	return protocol.GetLatestLedgerResponse{Hash: sorobanLedgerHash(n.ledger), ProtocolVersion: sorobanProtocolVersion,
		Sequence: n.ledger, LedgerCloseTime: sorobanCloseTime(n.ledger)}
}

// sorobanLedgerHash is a stable fake hash of a ledger sequence.
func sorobanLedgerHash(seq uint32) string {
	h := sha256.Sum256(binary.BigEndian.AppendUint32(nil, seq))
	return hex.EncodeToString(h[:])
}

func sorobanCloseTime(seq uint32) int64 {
	return sorobanGenesisTime + 5*int64(seq-sorobanGenesisLedger)
}

// ledgerEntries answers the account entries among keys (base64 LedgerKey);
// keys the node does not hold are left out, as the real RPC does.
func (n *SorobanNode) ledgerEntries(params json.RawMessage) (any, *rpcError) {
	var req protocol.GetLedgerEntriesRequest
	if e := sorobanParams(params, &req); e != nil {
		return nil, e
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	out := protocol.GetLedgerEntriesResponse{Entries: []protocol.LedgerEntryResult{}, LatestLedger: n.ledger}
	for _, k := range req.Keys {
		var key xdr.LedgerKey
		if xdr.SafeUnmarshalBase64(k, &key) != nil {
			return nil, sorobanInvalidParams("cannot unmarshal key value " + k)
		}
		if key.Type != xdr.LedgerEntryTypeAccount || key.Account == nil {
			continue
		}
		seq, ok := n.accounts[key.Account.AccountId.Address()]
		if !ok {
			continue
		}
		data, err := xdr.MarshalBase64(sorobanAccountEntry(key.Account.AccountId, seq))
		if err != nil {
			return nil, &rpcError{Code: -32603, Message: "Internal error"}
		}
		out.Entries = append(out.Entries, protocol.LedgerEntryResult{KeyXDR: k, DataXDR: data, LastModifiedLedger: n.ledger})
	}
	return out, nil
}

// sorobanAccountEntry is an account with 10,000 XLM and its master key as only
// signer.
func sorobanAccountEntry(id xdr.AccountId, seq int64) xdr.LedgerEntryData {
	return xdr.LedgerEntryData{Type: xdr.LedgerEntryTypeAccount, Account: &xdr.AccountEntry{
		AccountId: id, Balance: 100_000_000_000, SeqNum: xdr.SequenceNumber(seq), Thresholds: xdr.Thresholds{1, 0, 0, 0}}}
}
