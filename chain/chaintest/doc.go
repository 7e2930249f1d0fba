// Package chaintest runs a fake StarkNet JSON-RPC node over real HTTP for
// tests. Its account contracts hold real Stark keys and their
// is_valid_signature really checks ECDSA signatures over the Stark curve, so
// a test that passes here would pass against Argent and Braavos accounts:
// nothing is stubbed to "valid". Faults (down, timeout, rate limited, wrong
// result) are injected per node.
//
// For a relayer it also serves starknet_getNonce, starknet_estimateFee
// (deterministic: see EstimatedOverallFee), starknet_addInvokeTransaction
// (INVOKE v3 only: the hash is recomputed from the fields with starknet.go,
// the signature checked against the sender's real public key, the nonce
// enforced, a known hash answered DUPLICATE_TX), and receipts and statuses
// that turn final after SetReceiptPolls queries. Its badge contract
// (BadgeContract) executes multicalls of mint(to, token_id) atomically and
// keeps the owner of each token id (OwnerOf). Transaction faults (revert,
// stale nonce, dropped) are injected with SetTxFault.
package chaintest
