// Package starknet is ProofStell's StarkNet edge: wallet sign-in and badge
// mints.
//
// Sign-in: it builds the SNIP-12 (revision 1) typed-data message a player
// signs in Argent or Braavos, hashes it for the account with starknet.go, and
// verifies the signature by asking the account contract itself
// (is_valid_signature over JSON-RPC), so every signature scheme an account
// implements (one signer, guardian pairs, multisig) works unchanged.
//
// Mints: Minter builds an INVOKE v3 multicall of the badge contract's
// mint(to, token_id: u256) (ABI in abi/badge.json) for one relayer account,
// estimates its fee (multiplier, cap), hashes it with starknet.go's
// TransactionHashInvokeV3 and signs it with the relayer key, returning the
// signed bytes so the chain writer persists them before Send. Send is
// idempotent (a node that knows the hash counts as sent); Receipt reports
// pending, accepted or reverted, and ErrTxNotFound for a dropped transaction.
//
// Token ids: TokenID(badgeID, playerID) is the low 128 bits of
// sha256(badgeID + ":" + playerID) (the digest's last 16 bytes, big-endian),
// written "0x" + 32 hex digits and minted as the u256 (low = id, high = 0).
// Every writer of mint rows must use it, so a repeated award maps to the same
// token and can never mint a second one. Badge ids must not contain ':'.
//
// It is the only package tree (with chain/chaintest) that imports
// starknet.go; callers see strings and the sentinel errors in errors.go.
package starknet
