// Package starknet proves ownership of a StarkNet account for wallet
// sign-in. It builds the SNIP-12 (revision 1) typed-data message a player
// signs in Argent or Braavos, hashes it for the account with starknet.go, and
// verifies the signature by asking the account contract itself
// (is_valid_signature over JSON-RPC), so every signature scheme an account
// implements (one signer, guardian pairs, multisig) works unchanged.
//
// It is the only package tree (with chain/chaintest) that imports
// starknet.go; callers see strings and the sentinel errors below.
package starknet
