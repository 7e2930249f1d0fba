package starknet

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
)

// badgeABI is the badge contract's Cairo ABI, kept in the repo so the
// calldata we build can be checked against what the contract declares.
//
//go:embed abi/badge.json
var badgeABI []byte

// abiItem is the part of a Cairo ABI entry the minter reads.
type abiItem struct {
	Type   string    `json:"type"`
	Name   string    `json:"name"`
	Items  []abiItem `json:"items"`
	Inputs []struct {
		Name string `json:"name"`
		Type string `json:"type"`
	} `json:"inputs"`
}

// leaderboardABI is the leaderboard contract's Cairo ABI: submit_root
// stores a closed period's Merkle root (chain/merkle) once.
//
//go:embed abi/leaderboard.json
var leaderboardABI []byte

// The signatures Minter encodes: mint(to, token_id: u256) and
// submit_root(board, period, root: felt252).
var (
	mintInputs       = []string{"core::starknet::contract_address::ContractAddress", "core::integer::u256"}
	submitRootInputs = []string{"core::felt252", "core::felt252", "core::felt252"}
)

// checkABI fails unless abi declares function name with exactly inputs, so
// an ABI change cannot silently desynchronize the calldata we build.
func checkABI(abi []byte, name string, inputs []string) error {
	var items []abiItem
	if err := json.Unmarshal(abi, &items); err != nil {
		return fmt.Errorf("parse abi of %s: %w", name, err)
	}
	for _, it := range flatten(items) {
		if it.Type != "function" || it.Name != name {
			continue
		}
		got := make([]string, len(it.Inputs))
		for i, in := range it.Inputs {
			got[i] = in.Type
		}
		if !slices.Equal(got, inputs) {
			return fmt.Errorf("abi: %s takes %v, minter encodes %v", name, got, inputs)
		}
		return nil
	}
	return fmt.Errorf("abi: no %s function", name)
}

// flatten lists top-level items and the functions of interfaces.
func flatten(items []abiItem) []abiItem {
	out := make([]abiItem, 0, len(items))
	for _, it := range items {
		out = append(out, it)
		out = append(out, it.Items...)
	}
	return out
}
