package chaintest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"

	"github.com/stellar/go-stellar-sdk/keypair"
	"github.com/stellar/go-stellar-sdk/network"
	protocol "github.com/stellar/go-stellar-sdk/protocols/rpc"
	"github.com/stellar/go-stellar-sdk/xdr"
)

// sendTransaction statuses of stellar-core's transaction queue.
const (
	sorobanStatusPending       = "PENDING"
	sorobanStatusDuplicate     = "DUPLICATE"
	sorobanStatusTryAgainLater = "TRY_AGAIN_LATER"
	sorobanStatusError         = "ERROR"
)

// sorobanEnvelope is a decoded one-operation InvokeHostFunction
// transaction.
type sorobanEnvelope struct {
	env     xdr.TransactionEnvelope
	tx      xdr.Transaction
	hf      xdr.HostFunction
	auth    []xdr.SorobanAuthorizationEntry
	source  string // the transaction's source account
	invoker string // the operation's source (defaults to the transaction's)
}

// decodeSorobanEnvelope reads a base64 v1 envelope with one InvokeHostFunction.
func decodeSorobanEnvelope(b64 string) (sorobanEnvelope, *rpcError) {
	var d sorobanEnvelope
	if xdr.SafeUnmarshalBase64(b64, &d.env) != nil {
		return d, sorobanInvalidParams("cannot unmarshal transaction envelope")
	}
	if d.env.Type != xdr.EnvelopeTypeEnvelopeTypeTx || d.env.V1 == nil {
		return d, sorobanInvalidParams("only v1 transaction envelopes are supported")
	}
	d.tx = d.env.V1.Tx
	if len(d.tx.Operations) != 1 {
		return d, sorobanInvalidParams("a Soroban transaction has exactly one operation")
	}
	op := d.tx.Operations[0]
	ihf, ok := op.Body.GetInvokeHostFunctionOp()
	if !ok {
		return d, sorobanInvalidParams("the operation is not InvokeHostFunction")
	}
	d.hf, d.auth = ihf.HostFunction, ihf.Auth
	src := d.tx.SourceAccount.ToAccountId()
	d.source, d.invoker = src.Address(), src.Address()
	if op.SourceAccount != nil {
		opSrc := op.SourceAccount.ToAccountId()
		d.invoker = opSrc.Address()
	}
	return d, nil
}

// simulate runs the mint in recording mode against the current state.
func (n *SorobanNode) simulate(params json.RawMessage) (any, *rpcError) {
	var req protocol.SimulateTransactionRequest
	if e := sorobanParams(params, &req); e != nil {
		return nil, e
	}
	d, e := decodeSorobanEnvelope(req.Transaction)
	if e != nil {
		return nil, e
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	resp := protocol.SimulateTransactionResponse{LatestLedger: n.ledger}
	m, herr := decodeSorobanMint(d.hf)
	if herr == nil && n.minter == "" {
		e := sorobanHostErr(xdr.ScErrorTypeSceStorage, xdr.ScErrorCodeScecMissingValue) // not initialized
		herr = &e
	}
	if herr == nil {
		herr = sorobanMintOutcome(n.owners, m)
	}
	if herr != nil {
		resp.Error = "HostError: " + sorobanErrorText(*herr) + "\n\nEvent log (newest first):\n   0: [Diagnostic Event] topics:[error, " +
			sorobanErrorText(*herr) + "]"
		resp.EventsXDR = []string{sorobanErrorEvent(*herr)}
		return resp, nil
	}
	auth, err := sorobanMintAuth(m, d.invoker, n.minter, int64(n.ledger))
	data := xdr.SorobanTransactionData{ResourceFee: xdr.Int64(SorobanResourceFee), Resources: xdr.SorobanResources{
		Footprint: sorobanFootprint(m), Instructions: 1_500_000, DiskReadBytes: 0, WriteBytes: 120}}
	dataB64, err1 := xdr.MarshalBase64(data)
	authB64, err2 := xdr.MarshalBase64(auth)
	void, err3 := xdr.MarshalBase64(xdr.ScVal{Type: xdr.ScValTypeScvVoid})
	if err != nil || err1 != nil || err2 != nil || err3 != nil {
		return nil, &rpcError{Code: -32603, Message: "Internal error"}
	}
	resp.TransactionDataXDR, resp.MinResourceFee = dataB64, SorobanResourceFee
	resp.Results = []protocol.SimulateHostFunctionResult{{AuthXDR: &[]string{authB64}, ReturnValueXDR: &void}}
	return resp, nil
}

// sendTransaction admits a transaction as stellar-core does: hash
// recomputed with the network passphrase, fee, sequence and signature
// checked, then applied in the next ledger.
func (n *SorobanNode) sendTransaction(params json.RawMessage) (any, *rpcError) {
	var req protocol.SendTransactionRequest
	if e := sorobanParams(params, &req); e != nil {
		return nil, e
	}
	d, e := decodeSorobanEnvelope(req.Transaction)
	if e != nil {
		return nil, e
	}
	hash, err := network.HashTransactionInEnvelope(d.env, n.passphrase)
	if err != nil {
		return nil, sorobanInvalidParams("cannot hash transaction")
	}
	h := hex.EncodeToString(hash[:])
	n.mu.Lock()
	defer n.mu.Unlock()
	resp := protocol.SendTransactionResponse{Hash: h, LatestLedger: n.ledger, LatestLedgerCloseTime: sorobanCloseTime(n.ledger)}
	switch n.txFault {
	case SorobanTxFaultTryAgainLater:
		resp.Status = sorobanStatusTryAgainLater
		return resp, nil
	case SorobanTxFaultStaleSequence:
		return sorobanTxError(resp, xdr.TransactionResultCodeTxBadSeq), nil
	}
	if tx, ok := n.txs[h]; ok && !tx.final { // still in the queue
		resp.Status = sorobanStatusDuplicate
		return resp, nil
	}
	if code, ok := n.admit(d, hash); !ok {
		return sorobanTxError(resp, code), nil
	}
	tx := &SorobanTx{Hash: h, Source: d.source, Sequence: int64(d.tx.SeqNum), Fee: int64(d.tx.Fee), envelope: req.Transaction}
	if n.txFault == SorobanTxFaultDrop {
		tx.Dropped = true
	} else {
		n.apply(d, tx)
		n.txs[h] = tx
	}
	n.seen = append(n.seen, *tx)
	resp.Status = sorobanStatusPending
	return resp, nil
}

// admit checks the source account, the fee, the sequence number and the
// signature; it returns the result code of the first failure.
func (n *SorobanNode) admit(d sorobanEnvelope, hash [32]byte) (xdr.TransactionResultCode, bool) {
	seq, ok := n.accounts[d.source]
	if !ok {
		return xdr.TransactionResultCodeTxNoAccount, false
	}
	data := d.tx.Ext.SorobanData
	if data == nil {
		return xdr.TransactionResultCodeTxMalformed, false
	}
	if int64(data.ResourceFee) < SorobanResourceFee || int64(d.tx.Fee) < int64(data.ResourceFee)+SorobanMinInclusionFee {
		return xdr.TransactionResultCodeTxInsufficientFee, false
	}
	if int64(d.tx.SeqNum) != seq+1 {
		return xdr.TransactionResultCodeTxBadSeq, false
	}
	if !sorobanSignedBy(d.env.V1.Signatures, d.source, hash) {
		return xdr.TransactionResultCodeTxBadAuth, false
	}
	return xdr.TransactionResultCodeTxSuccess, true
}

// sorobanSignedBy reports whether a signature with address's hint verifies hash
// under address's ed25519 key (its master key, weight 1 of threshold 0).
func sorobanSignedBy(sigs []xdr.DecoratedSignature, address string, hash [32]byte) bool {
	kp, err := keypair.ParseAddress(address)
	if err != nil {
		return false
	}
	hint := kp.Hint()
	for _, s := range sigs {
		if s.Hint == hint && kp.Verify(hash[:], s.Signature) == nil {
			return true
		}
	}
	return false
}

// apply consumes the sequence number, closes a ledger and executes the
// mint; a failure leaves the owners as they were.
func (n *SorobanNode) apply(d sorobanEnvelope, tx *SorobanTx) {
	n.accounts[d.source] = int64(d.tx.SeqNum)
	n.ledger++
	tx.Ledger = n.ledger
	herr := n.execute(d, tx)
	if herr != nil {
		tx.Failed, tx.Reason, tx.events = true, sorobanErrorText(*herr), []string{sorobanErrorEvent(*herr)}
	}
	tx.result = sorobanResultXDR(SorobanResourceFee+SorobanMinInclusionFee, herr)
}

// execute runs mint with the transaction's footprint and auth.
func (n *SorobanNode) execute(d sorobanEnvelope, tx *SorobanTx) *xdr.ScError {
	fail := func(t xdr.ScErrorType, c xdr.ScErrorCode) *xdr.ScError { e := sorobanHostErr(t, c); return &e }
	if n.txFault == SorobanTxFaultRevert {
		return fail(xdr.ScErrorTypeSceBudget, xdr.ScErrorCodeScecExceededLimit)
	}
	m, herr := decodeSorobanMint(d.hf)
	if herr != nil {
		return herr
	}
	tx.To, tx.TokenID = m.to, m.tokenID
	if !sorobanWrites(d.tx.Ext.SorobanData.Resources.Footprint, m) {
		return fail(xdr.ScErrorTypeSceStorage, xdr.ScErrorCodeScecExceededLimit)
	}
	if !sorobanAuthorized(m, d.invoker, n.minter, d.auth) {
		return fail(xdr.ScErrorTypeSceAuth, xdr.ScErrorCodeScecInvalidAction)
	}
	if e := sorobanMintOutcome(n.owners, m); e != nil {
		return e
	}
	n.owners[m.tokenID] = m.to
	return nil
}

// sorobanResultXDR is the TransactionResult of an applied transaction.
func sorobanResultXDR(fee int64, herr *xdr.ScError) string {
	ihf := xdr.InvokeHostFunctionResult{Code: xdr.InvokeHostFunctionResultCodeInvokeHostFunctionSuccess}
	code := xdr.TransactionResultCodeTxSuccess
	if herr != nil {
		code, ihf.Code = xdr.TransactionResultCodeTxFailed, xdr.InvokeHostFunctionResultCodeInvokeHostFunctionTrapped
	} else {
		h := xdr.Hash(sha256.Sum256([]byte("void")))
		ihf.Success = &h
	}
	ops := []xdr.OperationResult{{Code: xdr.OperationResultCodeOpInner, Tr: &xdr.OperationResultTr{
		Type: xdr.OperationTypeInvokeHostFunction, InvokeHostFunctionResult: &ihf}}}
	b64, _ := xdr.MarshalBase64(xdr.TransactionResult{FeeCharged: xdr.Int64(fee),
		Result: xdr.TransactionResultResult{Code: code, Results: &ops}})
	return b64
}

// sorobanTxError is sendTransaction's ERROR answer with code as its result.
func sorobanTxError(resp protocol.SendTransactionResponse, code xdr.TransactionResultCode) protocol.SendTransactionResponse {
	resp.Status = sorobanStatusError
	resp.ErrorResultXDR, _ = xdr.MarshalBase64(xdr.TransactionResult{FeeCharged: xdr.Int64(SorobanMinInclusionFee),
		Result: xdr.TransactionResultResult{Code: code}})
	return resp
}

// getTransaction answers NOT_FOUND until the node knows hash and it has
// been polled past SetReceiptPolls, then SUCCESS or FAILED with its
// envelope, result, meta and diagnostic events.
func (n *SorobanNode) getTransaction(params json.RawMessage) (any, *rpcError) {
	var req protocol.GetTransactionRequest
	if e := sorobanParams(params, &req); e != nil {
		return nil, e
	}
	if raw, err := hex.DecodeString(req.Hash); err != nil || len(raw) != 32 {
		return nil, sorobanInvalidParams("unexpected hash length")
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	resp := protocol.GetTransactionResponse{LatestLedger: n.ledger, LatestLedgerCloseTime: sorobanCloseTime(n.ledger),
		OldestLedger: sorobanGenesisLedger, OldestLedgerCloseTime: sorobanCloseTime(sorobanGenesisLedger)}
	resp.Status = protocol.TransactionStatusNotFound
	tx, ok := n.txs[strings.ToLower(req.Hash)]
	if !ok {
		return resp, nil
	}
	if !tx.final {
		if tx.polls++; tx.polls <= n.pollsToFinal {
			return resp, nil
		}
		tx.final = true
	}
	resp.Status = protocol.TransactionStatusSuccess
	if tx.Failed {
		resp.Status = protocol.TransactionStatusFailed
	}
	resp.TransactionHash, resp.ApplicationOrder, resp.Ledger = tx.Hash, 1, tx.Ledger
	resp.EnvelopeXDR, resp.ResultXDR, resp.ResultMetaXDR = tx.envelope, tx.result, sorobanResultMeta(tx)
	resp.DiagnosticEventsXDR, resp.LedgerCloseTime = tx.events, sorobanCloseTime(tx.Ledger)
	return resp, nil
}

// sorobanResultMeta is a protocol-23 TransactionMeta (v4): the return value on
// success, the diagnostic events on failure.
func sorobanResultMeta(tx *SorobanTx) string {
	v4 := xdr.TransactionMetaV4{SorobanMeta: &xdr.SorobanTransactionMetaV2{}}
	if !tx.Failed {
		v4.SorobanMeta.ReturnValue = &xdr.ScVal{Type: xdr.ScValTypeScvVoid}
	}
	for _, b64 := range tx.events {
		var ev xdr.DiagnosticEvent
		if xdr.SafeUnmarshalBase64(b64, &ev) == nil {
			v4.DiagnosticEvents = append(v4.DiagnosticEvents, ev)
		}
	}
	b64, _ := xdr.MarshalBase64(xdr.TransactionMeta{V: 4, V4: &v4})
	return b64
}
