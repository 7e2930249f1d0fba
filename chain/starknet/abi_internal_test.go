package starknet

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCheckMintABI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		abi  string
		ok   bool
	}{
		{"embedded", string(badgeABI), true},
		{"felt token id", `[{"type":"function","name":"mint","inputs":[{"name":"to","type":"core::starknet::contract_address::ContractAddress"},{"name":"token_id","type":"core::felt252"}]}]`, false},
		{"no mint", `[{"type":"function","name":"burn","inputs":[]}]`, false},
		{"not json", `{`, false},
	}
	for _, tt := range tests {
		err := checkMintABI([]byte(tt.abi))
		if tt.ok {
			require.NoError(t, err, tt.name)
		} else {
			require.Error(t, err, tt.name)
		}
	}
}
