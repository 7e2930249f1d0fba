// Package chainwriter is the StarkNet chain writer: the cluster singleton
// job (one per relayer account) that drains mint requests onto the chain
// exactly once.
//
// Messages: *Tick (time; its own timer when Deps.TickInterval > 0, tests
// send it) and the results of its I/O, which always runs in goroutines and
// comes back as messages (loaded, batchDone, sendDone, receiptDone,
// markDone). At most one I/O step is outstanding; a tick while one is
// outstanding does nothing.
//
// Loop. On start it loads the lease's in-flight transactions (signed by
// any earlier leader) and, until they are final, only polls their receipts:
// a persisted transaction is never re-signed with a new nonce while it may
// still land. When nothing is in flight, a tick reads the account nonce,
// takes up to BatchSize pending requests oldest first, prepares and signs
// one multicall, records it (RecordSigned: the tx and pending → submitted
// in one fenced transaction) and only then sends it.
//
// Invariants:
//   - every sent transaction was persisted first, so a new leader finds it;
//   - a persisted transaction is only ever rebroadcast with the same bytes
//     (Send is idempotent), e.g. when the node no longer knows its hash;
//   - requests go back to pending (the tx dropped) only when the node
//     refused the tx's nonce on its first send, i.e. it never held it;
//   - ErrUnavailable keeps everything as it is; the next tick retries;
//   - every write is fenced by the lease epoch: on ErrStaleEpoch the job
//     stops at once.
//
// Outcomes: accepted → requests accepted; reverted → failed with the
// reason, except a one-mint tx reverted as "already minted to owner", which
// is accepted. Each request's player gets mint:status on "player:<id>".
package chainwriter
