// Package chaintest runs a fake StarkNet JSON-RPC node over real HTTP for
// tests. Its account contracts hold real Stark keys and their
// is_valid_signature really checks ECDSA signatures over the Stark curve, so
// a test that passes here would pass against Argent and Braavos accounts:
// nothing is stubbed to "valid". Faults (down, timeout, rate limited, wrong
// result) are injected per node. It speaks JSON-RPC spec 0.9
// (starknet_specVersion answers SpecVersion; SetSpecVersion injects another)
// and, like a node validating requests against the spec's schema, refuses a
// starknet_call whose address, selector or calldata is not a canonical FELT
// (zero-padded included) with INVALID_PARAMS.
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
//
// SorobanNode is the same for Stellar: a fake Soroban RPC node speaking
// JSON-RPC 2.0 with the real method and field names and XDR encodings
// (getHealth, with SetUnhealthy answering the RPC's latency error;
// getNetwork, whose passphrase is the node's own: a node built with another
// is a node of another network; getLatestLedger, getLedgerEntries for accounts,
// simulateTransaction, sendTransaction, getTransaction). Accounts
// (FundAccount) start at sequence ledger<<32. Its badge contract
// (SorobanBadgeContract) takes mint(to: Address, token_id: u128) from its
// minter (SetSorobanMinter, source-account auth) and fails with
// Error(Contract, #SorobanErrAlreadyMintedToOwner) or
// #SorobanErrOwnedByAnother, reported in diagnostic events as the host
// does. Simulation returns the footprint, resources, minResourceFee
// (SorobanResourceFee) and auth entries; sendTransaction recomputes the
// hash with the network passphrase, verifies the ed25519 signature against
// the source account's key, enforces seqNum = sequence + 1 (else txBAD_SEQ)
// and fee ≥ resource fee + SorobanMinInclusionFee, answers DUPLICATE while
// a hash is queued and, like stellar-core, judges a resend of an applied
// transaction by its consumed sequence (txBAD_SEQ). getTransaction answers
// NOT_FOUND until SetReceiptPolls queries have passed, then SUCCESS or
// FAILED. Transport faults use SetFault; transaction faults (revert, stale
// sequence, dropped, TRY_AGAIN_LATER) SetTxFault.
package chaintest
