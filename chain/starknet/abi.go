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

// mintInputs is the signature Minter encodes: mint(to, token_id: u256).
var mintInputs = []string{"core::starknet::contract_address::ContractAddress", "core::integer::u256"}

// checkMintABI fails unless abi declares mint with the inputs the minter
// encodes, so an ABI change cannot silently desynchronize the calldata.
func checkMintABI(abi []byte) error {
	var items []abiItem
	if err := json.Unmarshal(abi, &items); err != nil {
		return fmt.Errorf("parse badge abi: %w", err)
	}
	for _, it := range flatten(items) {
		if it.Type != "function" || it.Name != "mint" {
			continue
		}
		got := make([]string, len(it.Inputs))
		for i, in := range it.Inputs {
			got[i] = in.Type
		}
		if !slices.Equal(got, mintInputs) {
			return fmt.Errorf("badge abi: mint takes %v, minter encodes %v", got, mintInputs)
		}
		return nil
	}
	return fmt.Errorf("badge abi: no mint function")
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
