package starknet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/NethermindEth/starknet.go/rpc"

	"github.com/proofstell/proofstell/chain/relay"
)

// feeEstimate is the FEE_ESTIMATE object of starknet_estimateFee.
type feeEstimate struct {
	L1GasConsumed     string `json:"l1_gas_consumed"`
	L1GasPrice        string `json:"l1_gas_price"`
	L2GasConsumed     string `json:"l2_gas_consumed"`
	L2GasPrice        string `json:"l2_gas_price"`
	L1DataGasConsumed string `json:"l1_data_gas_consumed"`
	L1DataGasPrice    string `json:"l1_data_gas_price"`
	OverallFee        string `json:"overall_fee"`
}

func zeroBounds() *rpc.ResourceBoundsMapping {
	z := rpc.ResourceBounds{MaxAmount: "0x0", MaxPricePerUnit: "0x0"}
	return &rpc.ResourceBoundsMapping{L1Gas: z, L1DataGas: z, L2Gas: z}
}

// estimate asks the node for the fee of the unsigned tx, sent with the query
// version so it can never be replayed as a real transaction.
func (m *Minter) estimate(ctx context.Context, tx rpc.InvokeTxnV3) (feeEstimate, error) {
	tx.Version = rpc.TransactionV3WithQueryBit
	var out []feeEstimate
	err := postRPC(ctx, m.client, m.url, "starknet_estimateFee",
		[]any{[]rpc.InvokeTxnV3{tx}, []string{"SKIP_VALIDATE"}, "pre_confirmed"}, &out)
	if reverted := executionRevert(err); reverted != nil {
		return feeEstimate{}, fmt.Errorf("estimate fee: %w", reverted)
	}
	if err != nil {
		return feeEstimate{}, fmt.Errorf("estimate fee: %w", classifySendError(err))
	}
	if len(out) != 1 {
		return feeEstimate{}, fmt.Errorf("estimate fee: %w: %d estimates", ErrUnavailable, len(out))
	}
	return out[0], nil
}

// resource is one (amount, price) pair of an estimate.
type resource struct{ amount, price *big.Int }

// feeBounds multiplies every estimated amount and price by mult (rounding
// up); when the resulting Σ amount·price exceeds maxFee the prices are
// scaled down to fit, but never below the estimated prices: an estimate
// above the cap is ErrFeeCapExceeded. It returns the bounds and their total.
func feeBounds(est feeEstimate, mult float64, maxFee *big.Int) (*rpc.ResourceBoundsMapping, *big.Int, error) {
	raw, err := resources(est)
	if err != nil {
		return nil, nil, err
	}
	r := new(big.Rat).SetFloat64(mult)
	if r == nil {
		return nil, nil, fmt.Errorf("fee multiplier %v: not finite", mult)
	}
	bounded := make([]resource, len(raw))
	for i, x := range raw {
		bounded[i] = resource{ceilMul(x.amount, r), ceilMul(x.price, r)}
	}
	if maxFee != nil && total(bounded).Cmp(maxFee) > 0 {
		if bounded, err = fitCap(raw, bounded, maxFee); err != nil {
			return nil, nil, err
		}
	}
	hex := func(v *big.Int) string { return "0x" + v.Text(16) }
	b := func(x resource) rpc.ResourceBounds {
		return rpc.ResourceBounds{MaxAmount: rpc.U64(hex(x.amount)), MaxPricePerUnit: rpc.U128(hex(x.price))}
	}
	return &rpc.ResourceBoundsMapping{L1Gas: b(bounded[0]), L2Gas: b(bounded[1]), L1DataGas: b(bounded[2])},
		total(bounded), nil
}

// fitCap scales bounded prices by maxFee/total, keeping at least the
// estimated prices.
func fitCap(raw, bounded []resource, maxFee *big.Int) ([]resource, error) {
	if total(raw).Cmp(maxFee) > 0 {
		return nil, fmt.Errorf("estimated %s FRI, cap %s: %w", total(raw), maxFee, ErrFeeCapExceeded)
	}
	scale := new(big.Rat).SetFrac(maxFee, total(bounded))
	out := make([]resource, len(bounded))
	for i, x := range bounded {
		p := new(big.Int).Mul(x.price, scale.Num())
		p.Quo(p, scale.Denom())
		if p.Cmp(raw[i].price) < 0 {
			p = raw[i].price
		}
		out[i] = resource{x.amount, p}
	}
	if total(out).Cmp(maxFee) > 0 { // the estimated price floor won over the scaling
		for i := range out {
			out[i].amount = raw[i].amount
		}
	}
	if total(out).Cmp(maxFee) > 0 {
		return nil, fmt.Errorf("bounds %s FRI, cap %s: %w", total(out), maxFee, ErrFeeCapExceeded)
	}
	return out, nil
}

// resources reads (l1 gas, l2 gas, l1 data gas) amounts and prices.
func resources(est feeEstimate) ([]resource, error) {
	fields := [][2]string{{est.L1GasConsumed, est.L1GasPrice}, {est.L2GasConsumed, est.L2GasPrice},
		{est.L1DataGasConsumed, est.L1DataGasPrice}}
	out := make([]resource, len(fields))
	for i, f := range fields {
		a, err1 := parseFelt(f[0], feltPrime)
		p, err2 := parseFelt(f[1], feltPrime)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("fee estimate: %w: malformed resource %d", ErrUnavailable, i)
		}
		out[i] = resource{a, p}
	}
	return out, nil
}

func ceilMul(v *big.Int, r *big.Rat) *big.Int {
	n := new(big.Int).Mul(v, r.Num())
	q, m := new(big.Int).QuoRem(n, r.Denom(), new(big.Int))
	if m.Sign() != 0 {
		q.Add(q, big.NewInt(1))
	}
	return q
}

func total(rs []resource) *big.Int {
	t := new(big.Int)
	for _, x := range rs {
		t.Add(t, new(big.Int).Mul(x.amount, x.price))
	}
	return t
}

// maxRevertReason bounds a revert reason kept from a node's answer.
const maxRevertReason = 512

// executionRevert reads TRANSACTION_EXECUTION_ERROR (41): the estimate ran
// the transaction and it reverted. Its data is {transaction_index,
// execution_error}, where execution_error is a string or a nested object
// (contract call frames); either way the reason text is searched for the
// badge contract's "already minted to owner".
func executionRevert(err error) *relay.RevertError {
	var re *RPCError
	if !errors.As(err, &re) || re.Code != codeExecutionError {
		return nil
	}
	var data struct {
		ExecutionError json.RawMessage `json:"execution_error"`
	}
	reason := string(re.Data)
	if json.Unmarshal(re.Data, &data) == nil && len(data.ExecutionError) > 0 {
		var text string
		if json.Unmarshal(data.ExecutionError, &text) == nil {
			reason = text
		} else {
			reason = string(data.ExecutionError)
		}
	}
	if len(reason) > maxRevertReason {
		reason = reason[:maxRevertReason]
	}
	return &relay.RevertError{Reason: reason, AlreadyMinted: strings.Contains(reason, revertAlreadyMintedTo)}
}
