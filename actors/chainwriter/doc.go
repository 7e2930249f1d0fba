// Package chainwriter is the chain writer: the cluster singleton job (one
// per relayer account and chain) that drains mint requests, and on
// StarkNet period roots, onto the chain exactly once. It drives any chain
// through chain/relay.Relayer (chain/starknet.Minter,
// chain/stellar.Relayer).
//
// Messages: *Tick (time; its own timer when Deps.TickInterval > 0, tests
// send it) and the results of its I/O, which always runs in goroutines and
// comes back as messages (loaded, batchDone, sendDone, polled, replaced,
// markDone). At most one I/O step is outstanding; a tick while one is
// outstanding does nothing.
//
// Loop. On start it loads the lease's in-flight transactions (signed by
// any earlier leader), grouped by nonce into flights, and until they are
// final it only polls them: a persisted transaction is never re-signed at
// a new nonce while it may still land. When nothing is in flight a tick
// takes the next work: a pending period root (when the relayer submits
// roots) or up to BatchSize pending mint requests, oldest first, the two
// taking turns; reads the nonce; prepares and signs one transaction;
// records it (RecordSigned: the tx and its work pending → submitted, one
// fenced transaction) and only then sends it.
//
// A flight's outcomes, from a poll of every transaction it holds:
//   - one is final: accepted → its work accepted; reverted → failed with
//     the reason, except "already minted to owner": for a single mint that
//     is accepted, for a multicall (where no call took effect) the
//     requests are split: pending again with a reason, and each then goes
//     alone;
//   - pending longer than StuckAfter: it is re-signed at the same nonce
//     with the fee scaled by FeeBump per replacement (at most MaxFeeBumps,
//     within the relayer's cap), recorded as a replacement
//     (RecordReplacement) before it is sent. Either transaction may land;
//     the other is then superseded;
//   - unknown to the node: the newest is rebroadcast byte for byte. If the
//     node refuses its nonce and the account's nonce is past it, another
//     transaction took the nonce; after NonceTakenChecks such findings in
//     a row the flight is dropped and its work requeued.
//
// Invariants:
//   - every sent transaction was persisted first, so a new leader finds it;
//   - a persisted transaction is only ever rebroadcast with the same bytes
//     (Send is idempotent);
//   - work goes back to pending only when no transaction carrying it can
//     land: the node refused the nonce before ever holding it, or the
//     nonce was consumed by another transaction;
//   - relay.ErrUnavailable keeps everything as it is; the next tick retries;
//   - every write is fenced by the lease epoch: on ErrStaleEpoch the job
//     stops at once.
//
// Its lease is renewed by the singleton runner on its own budget (its own
// goroutine and cmd's postgres.LeasePool, see actors/runtime/singleton), so
// game load on the main pool cannot cost the writer its lease mid-flight;
// its fenced journal writes stay on the main pool.
//
// Each request's player gets mint:status on "player:<id>" when it is
// submitted and when it settles. Metrics: blockchain_transaction_* per
// node call, proofstell_mint_queue_depth and proofstell_mint_queue_age_seconds per chain,
// proofstell_mint_requests_finished_total and proofstell_chain_writer_fee_bumps_total.
package chainwriter
