package stellar

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"

	protocol "github.com/stellar/go-stellar-sdk/protocols/rpc"
	"github.com/stellar/go-stellar-sdk/txnbuild"
	"github.com/stellar/go-stellar-sdk/xdr"

	"github.com/proofstell/proofstell/chain/relay"
)

// ErrWouldRevert is what Prepare returns (as a *relay.RevertError telling
// why) when simulation says the mint would fail; nothing was signed.
var ErrWouldRevert = relay.ErrWouldRevert

// Prepare builds, simulates, prices and signs one mint at sequence nonce.
// Simulation supplies the footprint, resources, resource fee and auth
// entries. Fees: resource fee = simulated × FeeMultiplier (the unspent part
// is refunded), inclusion fee = txnbuild.MinBaseFee × FeeMultiplier ×
// feeScale (the bid that surge pricing compares); their sum above MaxFee is
// relay.ErrFeeCapExceeded. The transaction has no time bound: once persisted
// it stays valid until its sequence number is consumed.
func (r *Relayer) Prepare(ctx context.Context, nonce uint64, w relay.Work, feeScale float64) (relay.Signed, error) {
	if err := checkWork(w, nonce, feeScale); err != nil {
		return relay.Signed{}, err
	}
	call, err := MintCall(r.contract, w.Mints[0].To, w.Mints[0].TokenID)
	if err != nil {
		return relay.Signed{}, fmt.Errorf("prepare mint: %w", err)
	}
	op := txnbuild.InvokeHostFunction{HostFunction: xdr.HostFunction{
		Type: xdr.HostFunctionTypeHostFunctionTypeInvokeContract, InvokeContract: &call}}
	draft, err := r.build(nonce, op, txnbuild.MinBaseFee)
	if err != nil {
		return relay.Signed{}, err
	}
	data, auth, err := r.simulate(ctx, draft)
	if err != nil {
		return relay.Signed{}, fmt.Errorf("prepare mint %s at %d: %w", w.Mints[0].TokenID, nonce, err)
	}
	inclusion, err := r.fees(&data, feeScale)
	if err != nil {
		return relay.Signed{}, fmt.Errorf("prepare mint %s at %d: %w", w.Mints[0].TokenID, nonce, err)
	}
	op.Auth, op.Ext = auth, xdr.TransactionExt{V: 1, SorobanData: &data}
	tx, err := r.build(nonce, op, inclusion)
	if err != nil {
		return relay.Signed{}, err
	}
	return r.sign(tx, nonce)
}

// checkWork accepts exactly one mint, a usable sequence and fee scale.
func checkWork(w relay.Work, nonce uint64, feeScale float64) error {
	switch {
	case w.Root != nil:
		return errors.New("prepare: stellar relayer submits no roots")
	case len(w.Mints) != 1:
		return fmt.Errorf("prepare: %d mints, want exactly 1 per transaction", len(w.Mints))
	case nonce == 0 || nonce > math.MaxInt64:
		return fmt.Errorf("prepare: sequence number %d out of range", nonce)
	case !(feeScale >= 1) || math.IsInf(feeScale, 0):
		return fmt.Errorf("prepare: fee scale %v: want a finite number ≥ 1", feeScale)
	}
	return nil
}

// build assembles op from the relayer account at sequence nonce (the
// source account holds nonce-1 and txnbuild increments it).
func (r *Relayer) build(nonce uint64, op txnbuild.InvokeHostFunction, inclusionFee int64) (*txnbuild.Transaction, error) {
	tx, err := txnbuild.NewTransaction(txnbuild.TransactionParams{
		SourceAccount:        &txnbuild.SimpleAccount{AccountID: r.kp.Address(), Sequence: int64(nonce - 1)}, //nolint:gosec // nonce ≤ MaxInt64 checked
		IncrementSequenceNum: true,
		Operations:           []txnbuild.Operation{&op},
		BaseFee:              inclusionFee,
		Preconditions:        txnbuild.Preconditions{TimeBounds: txnbuild.NewInfiniteTimeout()},
	})
	if err != nil {
		return nil, fmt.Errorf("build mint transaction: %w", err)
	}
	return tx, nil
}

// simulate runs simulateTransaction on the unsigned draft and returns its
// transaction data and auth entries. Only source-account credentials are
// accepted: the relayer, the contract's minter, authorizes by signing the
// transaction; any other credential means a signature this relayer cannot
// give (it is not the minter).
func (r *Relayer) simulate(ctx context.Context, draft *txnbuild.Transaction) (xdr.SorobanTransactionData, []xdr.SorobanAuthorizationEntry, error) {
	var data xdr.SorobanTransactionData
	env, err := draft.Base64()
	if err != nil {
		return data, nil, fmt.Errorf("encode draft: %w", err)
	}
	resp, err := r.rpc.SimulateTransaction(ctx, protocol.SimulateTransactionRequest{Transaction: env})
	if err != nil {
		return data, nil, fmt.Errorf("simulate: %w", rpcFailure(err))
	}
	if resp.Error != "" {
		return data, nil, r.simulationError(resp)
	}
	if err := xdr.SafeUnmarshalBase64(resp.TransactionDataXDR, &data); err != nil || len(resp.Results) != 1 {
		return data, nil, fmt.Errorf("simulate: %w: malformed transaction data or results", relay.ErrUnavailable)
	}
	if int64(data.ResourceFee) < resp.MinResourceFee {
		data.ResourceFee = xdr.Int64(resp.MinResourceFee)
	}
	auth, err := sourceAuth(resp.Results[0].AuthXDR)
	return data, auth, err
}

// simulationError explains a failed simulation from its diagnostic events.
func (r *Relayer) simulationError(resp protocol.SimulateTransactionResponse) error {
	e, ok := hostError(resp.EventsXDR, r.contract)
	if !ok {
		return &relay.RevertError{Reason: firstLine(resp.Error)}
	}
	return &relay.RevertError{Reason: scErrorText(e), AlreadyMinted: alreadyMinted(e)}
}

// sourceAuth decodes the simulated auth entries, refusing any that needs
// a signature other than the transaction's.
func sourceAuth(entries *[]string) ([]xdr.SorobanAuthorizationEntry, error) {
	if entries == nil {
		return nil, nil
	}
	out := make([]xdr.SorobanAuthorizationEntry, len(*entries))
	for i, b64 := range *entries {
		if err := xdr.SafeUnmarshalBase64(b64, &out[i]); err != nil {
			return nil, fmt.Errorf("simulate: %w: malformed auth entry %d", relay.ErrUnavailable, i)
		}
		if c := out[i].Credentials.Type; c != xdr.SorobanCredentialsTypeSorobanCredentialsSourceAccount {
			return nil, fmt.Errorf("simulate: auth entry %d needs %s credentials: "+
				"the relayer account is not the badge contract's minter", i, c)
		}
	}
	return out, nil
}

// fees scales data's resource fee and returns the inclusion fee, within
// the cap and the protocol's uint32 total.
func (r *Relayer) fees(data *xdr.SorobanTransactionData, feeScale float64) (int64, error) {
	resource := math.Ceil(float64(data.ResourceFee) * r.mult)
	inclusion := math.Ceil(txnbuild.MinBaseFee * r.mult * feeScale)
	total := resource + inclusion
	if r.maxFee > 0 && total > float64(r.maxFee) {
		return 0, fmt.Errorf("fee %.0f stroops (resource %.0f, inclusion %.0f), cap %d: %w",
			total, resource, inclusion, r.maxFee, relay.ErrFeeCapExceeded)
	}
	if total > math.MaxUint32 {
		return 0, fmt.Errorf("fee %.0f stroops above the protocol's uint32 fee: %w", total, relay.ErrFeeCapExceeded)
	}
	data.ResourceFee = xdr.Int64(resource)
	return int64(inclusion), nil
}

// sign signs tx with the relayer key for the network.
func (r *Relayer) sign(tx *txnbuild.Transaction, nonce uint64) (relay.Signed, error) {
	tx, err := tx.Sign(r.passphrase, r.kp)
	if err != nil {
		return relay.Signed{}, fmt.Errorf("sign mint transaction: %w", err)
	}
	h, err := tx.HashHex(r.passphrase)
	if err != nil {
		return relay.Signed{}, fmt.Errorf("hash mint transaction: %w", err)
	}
	env, err := tx.Base64()
	if err != nil {
		return relay.Signed{}, fmt.Errorf("encode mint transaction: %w", err)
	}
	return relay.Signed{Hash: h, Nonce: nonce, MaxFee: strconv.FormatInt(tx.MaxFee(), 10), Payload: []byte(env)}, nil
}

// firstLine is s up to its first newline, at most 200 bytes: a simulation
// error carries the whole event log after it.
func firstLine(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			s = s[:i]
			break
		}
	}
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}
