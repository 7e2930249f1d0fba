package starknet

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCheckABI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		abi    string
		fn     string
		inputs []string
		ok     bool
	}{
		{"embedded badge", string(badgeABI), "mint", mintInputs, true},
		{"embedded leaderboard", string(leaderboardABI), "submit_root", submitRootInputs, true},
		{"root as u256", `[{"type":"function","name":"submit_root","inputs":[{"name":"board","type":"core::felt252"},{"name":"period","type":"core::felt252"},{"name":"root","type":"core::integer::u256"}]}]`, "submit_root", submitRootInputs, false},
		{"felt token id", `[{"type":"function","name":"mint","inputs":[{"name":"to","type":"core::starknet::contract_address::ContractAddress"},{"name":"token_id","type":"core::felt252"}]}]`, "mint", mintInputs, false},
		{"no mint", `[{"type":"function","name":"burn","inputs":[]}]`, "mint", mintInputs, false},
		{"not json", `{`, "mint", mintInputs, false},
	}
	for _, tt := range tests {
		err := checkABI([]byte(tt.abi), tt.fn, tt.inputs)
		if tt.ok {
			require.NoError(t, err, tt.name)
		} else {
			require.Error(t, err, tt.name)
		}
	}
}
