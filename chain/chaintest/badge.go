package chaintest

import (
	"fmt"
	"math/big"

	"github.com/NethermindEth/juno/core/felt"
	"github.com/NethermindEth/starknet.go/utils"
)

// Entry points of the node's contracts: sn_keccak of their names.
var (
	mintSelector       = utils.GetSelectorFromNameFelt("mint")
	submitRootSelector = utils.GetSelectorFromNameFelt("submit_root")
)

// call is one decoded contract call of a multicall: a badge mint(to,
// token_id: u256) or a leaderboard submit_root(board, period, root).
type call struct {
	to      string // mint: "0x" + 64 hex digits
	tokenID string // mint: feltKey of low + high·2^128
	root    *rootCall
}

// rootCall is one submit_root.
type rootCall struct {
	board, period string // decoded short strings
	root          string // feltKey
}

// parseMulticall decodes a Cairo 1 account's __execute__ calldata
// [n, (to, selector, len, data...)×n] into calls of the badge and
// leaderboard contracts; it returns a reason when the calldata is anything
// else.
func parseMulticall(cd []*felt.Felt) ([]call, string) {
	if len(cd) == 0 {
		return nil, "empty calldata"
	}
	count, rest := cd[0].Uint64(), cd[1:]
	if count == 0 || count > 1000 {
		return nil, "bad call count"
	}
	badge, _ := new(felt.Felt).SetString(BadgeContract)
	board, _ := new(felt.Felt).SetString(LeaderboardContract)
	calls := make([]call, 0, count)
	for range count {
		if len(rest) < 3 {
			return nil, "truncated calldata"
		}
		to, sel, n := rest[0], rest[1], rest[2].Uint64()
		rest = rest[3:]
		if n != 3 || uint64(len(rest)) < n {
			return nil, "mint and submit_root take 3 felts"
		}
		switch {
		case to.Equal(badge) && sel.Equal(mintSelector):
			calls = append(calls, call{to: pad(rest[0]), tokenID: u256Key(rest[1], rest[2])})
		case to.Equal(board) && sel.Equal(submitRootSelector):
			calls = append(calls, call{root: &rootCall{board: shortString(rest[0]), period: shortString(rest[1]),
				root: "0x" + rest[2].BigInt(new(big.Int)).Text(16)}})
		default:
			return nil, "not a badge mint or a root submission"
		}
		rest = rest[n:]
	}
	if len(rest) != 0 {
		return nil, "trailing calldata"
	}
	return calls, ""
}

// shortString decodes a Cairo short string felt.
func shortString(f *felt.Felt) string {
	return string(f.BigInt(new(big.Int)).Bytes())
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
