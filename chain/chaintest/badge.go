package chaintest

import (
	"fmt"
	"math/big"

	"github.com/NethermindEth/juno/core/felt"
	"github.com/NethermindEth/starknet.go/utils"
)

// mintSelector is sn_keccak("mint"), the badge contract's entry point.
var mintSelector = utils.GetSelectorFromNameFelt("mint")

// mintCall is one decoded mint(to, token_id: u256).
type mintCall struct {
	to      string // "0x" + 64 hex digits
	tokenID string // feltKey of low + high·2^128
}

// parseMulticall decodes a Cairo 1 account's __execute__ calldata
// [n, (to, selector, len, data...)×n] into badge mints; it returns a reason
// when the calldata is not a list of mints of the badge contract.
func parseMulticall(cd []*felt.Felt) ([]mintCall, string) {
	if len(cd) == 0 {
		return nil, "empty calldata"
	}
	count, rest := cd[0].Uint64(), cd[1:]
	if count == 0 || count > 1000 {
		return nil, "bad call count"
	}
	badge, _ := new(felt.Felt).SetString(BadgeContract)
	calls := make([]mintCall, 0, count)
	for range count {
		if len(rest) < 3 {
			return nil, "truncated calldata"
		}
		to, sel, n := rest[0], rest[1], rest[2].Uint64()
		rest = rest[3:]
		if n != 3 || uint64(len(rest)) < n {
			return nil, "mint takes 3 felts"
		}
		if !to.Equal(badge) || !sel.Equal(mintSelector) {
			return nil, "not a badge mint"
		}
		calls = append(calls, mintCall{to: pad(rest[0]), tokenID: u256Key(rest[1], rest[2])})
		rest = rest[n:]
	}
	if len(rest) != 0 {
		return nil, "trailing calldata"
	}
	return calls, ""
}

func pad(f *felt.Felt) string { return fmt.Sprintf("0x%064x", f.BigInt(new(big.Int))) }

// u256Key is the token id low + high·2^128 as a feltKey.
func u256Key(low, high *felt.Felt) string {
	v := high.BigInt(new(big.Int))
	v.Lsh(v, 128).Add(v, low.BigInt(new(big.Int)))
	return "0x" + v.Text(16)
}

// Deterministic fee estimate: a base plus a per-call amount of L2 gas, fixed
// prices, so a test can compute the exact bounds a relayer must sign.
const (
	FeeL1Gas         = 0
	FeeL1GasPrice    = 1
	FeeL1DataGas     = 128
	FeeL1DataPrice   = 2
	FeeL2GasBase     = 400_000
	FeeL2GasPerCall  = 100_000
	FeeL2GasPrice    = 3
	feeUnit          = "FRI"
	maxEstimateCalls = 1000
)

// feeEstimate is one FEE_ESTIMATE object.
type feeEstimate struct {
	L1GasConsumed     string `json:"l1_gas_consumed"`
	L1GasPrice        string `json:"l1_gas_price"`
	L2GasConsumed     string `json:"l2_gas_consumed"`
	L2GasPrice        string `json:"l2_gas_price"`
	L1DataGasConsumed string `json:"l1_data_gas_consumed"`
	L1DataGasPrice    string `json:"l1_data_gas_price"`
	OverallFee        string `json:"overall_fee"`
	Unit              string `json:"unit"`
}

// EstimatedOverallFee is the node's overall fee for an invoke of calls mints.
func EstimatedOverallFee(calls int) uint64 {
	l2 := l2Gas(calls)
	return FeeL1Gas*FeeL1GasPrice + FeeL1DataGas*FeeL1DataPrice + l2*FeeL2GasPrice
}

func estimateFor(calls int) feeEstimate {
	hex := func(v uint64) string { return fmt.Sprintf("0x%x", v) }
	return feeEstimate{
		L1GasConsumed: hex(FeeL1Gas), L1GasPrice: hex(FeeL1GasPrice),
		L2GasConsumed: hex(l2Gas(calls)), L2GasPrice: hex(FeeL2GasPrice),
		L1DataGasConsumed: hex(FeeL1DataGas), L1DataGasPrice: hex(FeeL1DataPrice),
		OverallFee: hex(EstimatedOverallFee(calls)), Unit: feeUnit,
	}
}

// l2Gas is the L2 gas an invoke of calls mints consumes.
func l2Gas(calls int) uint64 {
	if calls < 0 || calls > maxEstimateCalls {
		calls = maxEstimateCalls
	}
	return FeeL2GasBase + FeeL2GasPerCall*uint64(calls)
}
